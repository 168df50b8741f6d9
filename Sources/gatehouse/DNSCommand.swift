import ArgumentParser
import Config
import DNS
import DNSProviders
import Foundation

/// `gatehouse dns …`: DNS-01 providers and a pre-flight of their credentials.
struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "DNS-01 providers: list them, and test a provider's credentials for a domain.",
        subcommands: [Test.self, Providers.self]
    )

    /// `gatehouse dns test PROVIDER DOMAIN`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish and remove a probe TXT record at _acme-challenge.DOMAIN through PROVIDER, and report each step.",
            discussion: """
                Credentials are read from lego's environment variables (RFC2136_NAMESERVER, CF_DNS_API_TOKEN, …, and their \
                _FILE variants) and from --credentials-file (NAME=value lines), which wins over the environment.
                The provider's <PREFIX>_PROPAGATION_TIMEOUT, <PREFIX>_POLLING_INTERVAL and <PREFIX>_TTL set the \
                propagation timeout, the pause between checks and the probe's TTL; --timeout, --interval and --ttl win over them.
                Prints one line per step (zone, present, propagation, cleanup, gone), then `result: ok` (exit 0) or \
                `result: failed at <step>: <kind>: <detail>` (exit 1).
                """
        )

        @Argument(help: "The provider's name, as in dnsChallenge.provider (see `gatehouse dns providers`).")
        var provider: String

        @Argument(help: "The domain to test, such as example.com or *.example.com.")
        var domain: String

        @Option(name: .long, help: "Comma-separated resolvers (host:port) for the zone lookup and the propagation check; default the system's.")
        var resolvers: String?

        @Option(name: .customLong("credentials-file"), help: "A file of NAME=value lines with the provider's variables.")
        var credentialsFile: String?

        @Option(name: .long, help: "How long the record may take to become visible (and to go away): 60s, 2m, 90. Default: the provider's <PREFIX>_PROPAGATION_TIMEOUT, else 60s.")
        var timeout: String?

        @Option(name: .long, help: "The pause between propagation checks: 2s, 500ms. Default: the provider's <PREFIX>_POLLING_INTERVAL, else 2s.")
        var interval: String?

        @Option(name: .long, help: "The probe record's TTL in seconds. Default: the provider's <PREFIX>_TTL, else 120.")
        var ttl: Int?

        @Option(name: .long, help: "Where the record must be visible: authoritative, resolvers or both. Default: resolvers when --resolvers is given, else authoritative.")
        var propagation: String?

        @Flag(name: .customLong("no-propagation-check"), help: "Do not wait for the record to be visible.")
        var noPropagationCheck = false

        @Flag(name: .long, help: "Print the report as JSON instead of lines.")
        var json = false

        func run() async throws {
            guard let kind = DNSProviderRegistry.kind(named: self.provider) else {
                Self.fail("unknown provider \"\(self.provider)\"; known: \(DNSProviderRegistry.all.map(\.name).joined(separator: ", "))")
            }
            var resolverList: [DNSAddress] = []
            for text in (self.resolvers ?? "").split(separator: ",") where !text.trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    resolverList.append(try DNSAddress(parsing: String(text), defaultPort: 53))
                } catch {
                    Self.fail("--resolvers: \(error)")
                }
            }
            var timeout: Duration?
            if let text = self.timeout {
                guard let parsed = ConfigDuration(text)?.duration, parsed >= .zero else {
                    Self.fail("--timeout \"\(text)\": expected seconds such as 60, 60s, 2m")
                }
                timeout = parsed
            }
            var interval: Duration?
            if let text = self.interval {
                guard let parsed = ConfigDuration(text)?.duration, parsed > .zero else {
                    Self.fail("--interval \"\(text)\": expected a positive duration such as 2s, 500ms")
                }
                interval = parsed
            }
            if let ttl = self.ttl, ttl <= 0 {
                Self.fail("--ttl \(ttl): expected a positive number of seconds")
            }
            var policy: PropagationPolicy = resolverList.isEmpty ? .authoritativeServers : .resolvers
            switch self.propagation?.lowercased() {
            case nil: break
            case "authoritative": policy = .authoritativeServers
            case "resolvers": policy = .resolvers
            case "both": policy = .authoritativeServersAndResolvers
            case let other?: Self.fail("--propagation \"\(other)\": expected authoritative, resolvers or both")
            }
            if self.noPropagationCheck { policy = .none }

            var explicit: [String: String] = [:]
            if let path = self.credentialsFile {
                do {
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    explicit = try DNSCredentials.parseEnvironmentFile(text, path: path, provider: kind.name)
                } catch let error as DNSProviderError {
                    Self.fail(error.description)
                } catch {
                    Self.fail("--credentials-file \(path): \(error.localizedDescription)")
                }
            }
            let credentials = DNSCredentials(explicit)
            let madeProvider: any DNSChallengeProvider
            let tuning: DNSProviderKind.Tuning
            do {
                madeProvider = try kind.make(credentials, DNSProviderContext())
                tuning = try kind.tuning(credentials)
            } catch {
                let line = "result: failed at configuration: \(error.kind): \(error.detail)"
                if self.json {
                    Self.printJSON(["provider": kind.name, "domain": self.domain, "result": line])
                } else {
                    print(line)
                }
                throw ExitCode(1)
            }
            let preflight = DNSPreflight(
                options: .init(tuning: tuning, resolvers: resolverList, policy: policy, timeout: timeout, interval: interval, ttl: self.ttl)
            )
            let report = await preflight.run(provider: madeProvider, domain: self.domain)
            if self.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                if let data = try? encoder.encode(report) { print(String(decoding: data, as: UTF8.self)) }
            } else {
                for step in report.steps {
                    print(step.line)
                }
                print(report.resultLine)
            }
            if !report.succeeded { throw ExitCode(1) }
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("gatehouse dns test: \(message)\n".utf8))
            Foundation.exit(2)
        }

        static func printJSON(_ object: [String: String]) {
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// `gatehouse dns providers`.
    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the DNS-01 providers and the variables each reads (lego's names; NAME_FILE reads the value from a file)."
        )

        func run() async throws {
            print("builtin: Gatehouse's own DNS server answers the delegated _acme-challenge names (no variables)")
            for kind in DNSProviderRegistry.all {
                print("\(kind.name):")
                for variable in kind.variables {
                    var marks: [String] = []
                    if variable.isRequired { marks.append("required") }
                    if variable.isSecret { marks.append("secret") }
                    let aliases = variable.aliases.isEmpty ? "" : " (or \(variable.aliases.joined(separator: ", ")))"
                    let tag = marks.isEmpty ? "" : " [\(marks.joined(separator: ", "))]"
                    print("  \(variable.name)\(aliases)\(tag): \(variable.summary)")
                }
            }
        }
    }
}
