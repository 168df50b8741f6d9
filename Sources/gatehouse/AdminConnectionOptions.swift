import ArgumentParser

/// `--admin-address` and `--token` for commands that talk to a running gateway's admin API;
/// `GATEHOUSE_ADMIN_ADDRESS` and `GATEHOUSE_ADMIN_TOKEN` when not given.
struct AdminConnectionOptions: ParsableArguments {
    @Option(name: .customLong("admin-address"),
            help: "The admin API: host:port or unix:/path (default: $GATEHOUSE_ADMIN_ADDRESS, else 127.0.0.1:8081).")
    var adminAddress: String?

    @Option(name: .long, help: "A bearer token (default: $GATEHOUSE_ADMIN_TOKEN).")
    var token: String?

    /// The client these options describe; a missing token exits 2 with the reason.
    func client() throws -> AdminHTTPClient {
        do {
            return try AdminHTTPClient(address: adminAddress, token: token)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
