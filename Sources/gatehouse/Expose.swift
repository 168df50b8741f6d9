import ArgumentParser
import Foundation

/// `gatehouse expose HOST --to URL…`: publishes a service through a running gateway's admin
/// API (route and certificate in one operation).
struct Expose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish HOST through the running gateway: route and (https) certificate in one operation.",
        discussion: """
        HOST is a DNS name (app.example.com), or a single label (app) for a name proxy under the \
        gateway's domain (gateway.domain). https is the default: the route goes live only once its \
        certificate is valid, and nothing stays when the certificate fails. Re-running the same \
        command changes nothing and orders no new certificate; other backends update the route in place.
        The admin API address and token come from --admin-address/--token or \
        GATEHOUSE_ADMIN_ADDRESS/GATEHOUSE_ADMIN_TOKEN (a token with ingress.manage).
        """
    )

    @Argument(help: "The host name to serve, or a name under the gateway's domain.")
    var host: String

    @Option(name: .customLong("to"), parsing: .upToNextOption,
            help: "Backends: http(s)://host:port URLs, or host:port with --passthrough.")
    var backends: [String]

    @Flag(name: .customLong("http"), help: "Serve plain http on the web entry point (no certificate).")
    var plainHTTP = false

    @Flag(name: .customLong("https"), help: "Serve https with a certificate (the default).")
    var https = false

    @Flag(name: .long, help: "Forward TLS to the backends without terminating it.")
    var passthrough = false

    @Option(name: .long, help: "The certificate resolver (default: gateway.resolver, or the only resolver).")
    var resolver: String?

    @Option(name: .long, help: "The challenge type: http-01, tls-alpn-01 or dns-01.")
    var challenge: String?

    @Option(name: .customLong("dns-credential"), help: "The id of a stored DNS credential for dns-01.")
    var dnsCredential: String?

    @Option(name: .customLong("entry-point"), help: "An entry point to listen on (repeatable; default web for http, websecure for https).")
    var entryPoints: [String] = []

    @Flag(name: .long, help: "Follow the operation, printing each step as it happens; exit 1 if it fails.")
    var wait = false

    @OptionGroup var connection: AdminAPIOptions

    func validate() throws {
        if plainHTTP && https { throw ValidationError("--http and --https exclude each other") }
        if plainHTTP && passthrough { throw ValidationError("--passthrough forwards TLS: it needs https") }
        if backends.isEmpty { throw ValidationError("give at least one backend with --to") }
    }

    func run() async throws {
        let client = connection.client()
        var body: [String: Any] = [
            host.contains(".") ? "hostname" : "name": host,
            "protocol": plainHTTP ? "http" : "https",
            "backends": backends,
        ]
        if passthrough { body["tls_passthrough"] = true }
        if let resolver { body["resolver"] = resolver }
        if let challenge { body["challenge"] = challenge }
        if let dnsCredential { body["dns_credential"] = dnsCredential }
        if !entryPoints.isEmpty { body["entry_points"] = entryPoints }
        let answer: AdminAPIClient.Answer
        do {
            answer = try await client.send(.POST, "/api/v1/expose", json: body)
        } catch {
            FileHandle.standardError.write(Data("gatehouse: \(error)\n".utf8))
            throw ExitCode(1)
        }
        try await OperationProgress.report(answer, client: client, wait: wait)
    }
}

/// `gatehouse unexpose HOST`: removes a service published through the admin API.
struct Unexpose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a service published with `gatehouse expose`; its certificate is no longer renewed unless another route uses it."
    )

    @Argument(help: "The host name (or, for a name proxy, its full name under the gateway's domain).")
    var host: String

    @Flag(name: .long, help: "Follow the operation to its end.")
    var wait = false

    @OptionGroup var connection: AdminAPIOptions

    func run() async throws {
        let client = connection.client()
        let path = "/api/v1/expose/" + (host.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? host)
        let answer: AdminAPIClient.Answer
        do {
            answer = try await client.send(.DELETE, path)
        } catch {
            FileHandle.standardError.write(Data("gatehouse: \(error)\n".utf8))
            throw ExitCode(1)
        }
        try await OperationProgress.report(answer, client: client, wait: wait)
    }
}
