import DNS
import Foundation

/// `dnsChallenge.provider: exec`: lego's exec contract. The program named by EXEC_PATH is run
/// as `PROGRAM present <fqdn> <value>` and `PROGRAM cleanup <fqdn> <value>`, the FQDN with its
/// trailing dot (`_acme-challenge.example.com.`), the environment passed on.
///
/// A non-zero exit is an error carrying the exit status and the last lines the program wrote to
/// standard error. The program is stopped (SIGTERM, then SIGKILL) when it runs longer than
/// EXEC_COMMAND_TIMEOUT seconds (a Gatehouse variable; default 60).
///
/// EXEC_MODE=RAW (`present -- <domain> <token> <keyAuth>`) is refused: it hands the program the
/// ACME token and key authorization, which Gatehouse's providers are never given (a provider
/// receives only the record's name and value).
public struct ExecProvider: DNSChallengeProvider {
    /// The program.
    public let program: String
    /// How long one run may take.
    public var timeout: Duration

    /// - Parameters: see the properties.
    public init(program: String, timeout: Duration = .seconds(60)) {
        self.program = program
        self.timeout = timeout
    }

    /// `exec`.
    public var name: String { "exec" }
    /// The program gets the record's name only.
    public var needsZone: Bool { false }

    /// Runs `PROGRAM present <fqdn> <value>`.
    public func present(_ record: ChallengeRecord) async throws {
        try await self.run(["present", record.name.description, record.value])
    }

    /// Runs `PROGRAM cleanup <fqdn> <value>`.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        try await self.run(["cleanup", record.name.description, record.value])
    }

    /// Runs the program with `arguments` and checks its exit.
    func run(_ arguments: [String]) async throws(DNSProviderError) {
        let command = ([self.program] + arguments.prefix(2)).joined(separator: " ")
        let result: ProgramRun.Result
        do {
            result = try await ProgramRun.run(self.program, arguments: arguments, timeout: self.timeout)
        } catch {
            throw DNSProviderError(.configuration, provider: "exec", "cannot run \(self.program): \(error.localizedDescription) (EXEC_PATH)")
        }
        let stderr = result.lastErrorLines.isEmpty ? "" : ": " + result.lastErrorLines
        if result.timedOut {
            throw DNSProviderError(.rejected, provider: "exec", "\(command) did not finish within \(self.timeout) and was stopped\(stderr)")
        }
        switch result.termination {
        case .exit(0):
            return
        case .exit(let status):
            throw DNSProviderError(.rejected, provider: "exec", "\(command) exited with status \(status)\(stderr)", status: Int(status))
        case .signal(let signal):
            throw DNSProviderError(.rejected, provider: "exec", "\(command) was killed by signal \(signal)\(stderr)")
        }
    }

    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "exec",
        environmentPrefix: "EXEC",
        variables: [
            .init("EXEC_PATH", required: true, "the program, called with present|cleanup <fqdn> <value>"),
            .init("EXEC_MODE", "RAW is not supported (it needs the ACME token and key authorization); leave unset"),
            .init("EXEC_COMMAND_TIMEOUT", "seconds one run of the program may take (default 60; Gatehouse only)"),
        ] + DNSProviderKind.Variable.propagation("EXEC", defaults: (60, 2)),
        make: { credentials, _ throws(DNSProviderError) in
            let program = try credentials.required("EXEC_PATH", provider: "exec")
            if let mode = try credentials.value("EXEC_MODE", provider: "exec"), !mode.isEmpty {
                guard mode.uppercased() != "RAW" else {
                    throw DNSProviderError(
                        .configuration, provider: "exec",
                        "EXEC_MODE=RAW is not supported: it passes the ACME token and key authorization, which Gatehouse does not hand to providers; unset EXEC_MODE and take <fqdn> <value>"
                    )
                }
                throw DNSProviderError(.configuration, provider: "exec", "EXEC_MODE \"\(mode)\" is not known (only RAW exists, and is not supported)")
            }
            let timeout = try credentials.seconds("EXEC_COMMAND_TIMEOUT", provider: "exec") ?? 60
            return ExecProvider(program: program, timeout: .seconds(max(1, timeout)))
        }
    )
}
