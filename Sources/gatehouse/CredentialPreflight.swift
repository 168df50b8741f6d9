import Admin
import DNS
import DNSProviders
import Foundation

/// Runs a credential pre-flight for the admin API (`POST /api/v1/dns-credentials/{id}/test`):
/// makes the provider from the credential, finds the zone of `_acme-challenge.<domain>` by SOA
/// (through the provider's own servers, else the resolvers of `GATEHOUSE_ACME_DNS_RESOLVERS` or
/// the system's), presents a probe TXT record, waits until the zone's authoritative servers show
/// it, and removes it. Each step is reported, a failed one with its
/// ``DNSProviders/DNSProviderError/Kind`` (authentication, zone not found, permission,
/// propagation …). Clean-up runs whenever presenting succeeded.
///
/// `DNSPreflight` (Sources/DNSProviders/Preflight, `gatehouse dns test`) does the same for
/// configured providers; once it is in the tree this can hand the work to it.
struct CredentialPreflight: Sendable {
    var context = DNSProviderContext()
    /// How long the probe may take to show when the credential sets no `<PREFIX>_PROPAGATION_TIMEOUT`.
    var defaultPropagationTimeout: Duration = .seconds(60)

    func run(kind: DNSProviderKind, credentials: DNSCredentials, domain: String) async -> DNSCredentialTestReport {
        var steps: [DNSCredentialTestReport.Step] = []
        func report() -> DNSCredentialTestReport { DNSCredentialTestReport(domain: domain, provider: kind.name, steps: steps) }
        func skip(_ names: [String]) { steps += names.map { .init(name: $0, status: .skipped) } }

        let provider: any DNSChallengeProvider
        let tuning: DNSProviderKind.Tuning
        do {
            provider = try kind.make(credentials, context)
            tuning = try kind.tuning(credentials)
            steps.append(.init(name: "configuration", status: .succeeded))
        } catch {
            steps.append(.init(name: "configuration", status: .failed, detail: error.description, failureKind: error.kind.rawValue))
            skip(["zone", "present", "propagation", "cleanup"])
            return report()
        }
        guard let name = try? DomainName("_acme-challenge." + domain), let parent = try? DomainName(domain) else {
            steps.append(.init(name: "zone", status: .failed, detail: "\(domain) is not a DNS name",
                               failureKind: DNSProviderError.Kind.zoneNotFound.rawValue))
            skip(["present", "propagation", "cleanup"])
            return report()
        }
        let finder = ZoneFinder(resolvers: provider.zoneServers.isEmpty ? Self.configuredResolvers() : provider.zoneServers)
        var zone = parent
        if provider.needsZone {
            let start = ContinuousClock.now
            do {
                zone = try await finder.zone(of: name)
                steps.append(.init(name: "zone", status: .succeeded, detail: "\(zone)", milliseconds: Self.milliseconds(since: start)))
            } catch {
                let kind: DNSProviderError.Kind = switch error.code {
                case .timedOut, .network, .cancelled: .network
                default: .zoneNotFound
                }
                steps.append(.init(name: "zone", status: .failed, detail: error.description, failureKind: kind.rawValue,
                                   milliseconds: Self.milliseconds(since: start)))
                skip(["present", "propagation", "cleanup"])
                return report()
            }
        } else {
            steps.append(.init(name: "zone", status: .skipped, detail: "\(kind.name) is handed the record's name; no zone lookup"))
        }
        let record = ChallengeRecord(name: name, value: Self.probeValue(), zone: zone, ttl: tuning.ttl ?? 120)
        let presented = await timed { try await provider.present(record) }
        steps.append(step("present", presented))
        guard presented.error == nil else {
            skip(["propagation", "cleanup"])
            return report()
        }
        if provider.isImmediatelyVisible {
            steps.append(.init(name: "propagation", status: .skipped, detail: "the provider's records are visible at once"))
        } else {
            let timeout = tuning.propagationTimeout.map { Duration.seconds($0) } ?? defaultPropagationTimeout
            let start = ContinuousClock.now
            do {
                let servers = try await finder.waitForTXT(
                    name: name, value: record.value, zone: zone, policy: .authoritativeServers,
                    authoritativeServers: provider.zoneServers.isEmpty ? nil : provider.zoneServers, timeout: timeout
                )
                steps.append(.init(name: "propagation", status: .succeeded,
                                   detail: "seen at \(servers.map(\.description).joined(separator: ", "))",
                                   milliseconds: Self.milliseconds(since: start)))
            } catch {
                steps.append(.init(name: "propagation", status: .failed, detail: error.description,
                                   failureKind: DNSProviderError.Kind.propagation.rawValue, milliseconds: Self.milliseconds(since: start)))
            }
        }
        steps.append(step("cleanup", await timed { try await provider.cleanUp(record) }))
        return report()
    }

    /// `GATEHOUSE_ACME_DNS_RESOLVERS` (`1.1.1.1:53,1.0.0.1:53`); empty (the system's) when unset.
    static func configuredResolvers(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [DNSAddress] {
        (environment["GATEHOUSE_ACME_DNS_RESOLVERS"] ?? "").split(separator: ",").compactMap {
            try? DNSAddress(parsing: $0.trimmingCharacters(in: .whitespaces))
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// A random value shaped like a DNS-01 digest (43 base64url characters), marked as a probe.
    static func probeValue() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return "gatehouse-probe-" + String((0..<27).map { _ in alphabet.randomElement()! })
    }

    private func timed(_ body: () async throws -> Void) async -> (error: (any Error)?, milliseconds: Int) {
        let start = ContinuousClock.now
        var failure: (any Error)?
        do { try await body() } catch { failure = error }
        let elapsed = ContinuousClock.now - start
        return (failure, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
    }

    private func step(_ name: String, _ outcome: (error: (any Error)?, milliseconds: Int)) -> DNSCredentialTestReport.Step {
        guard let error = outcome.error else { return .init(name: name, status: .succeeded, milliseconds: outcome.milliseconds) }
        let kind = (error as? DNSProviderError)?.kind.rawValue ?? DNSProviderError.Kind.rejected.rawValue
        return .init(name: name, status: .failed, detail: "\(error)", failureKind: kind, milliseconds: outcome.milliseconds)
    }
}
