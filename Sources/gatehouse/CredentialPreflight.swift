import Admin
import DNS
import DNSProviders
import Foundation

/// Runs a credential pre-flight for the admin API and `gatehouse dns-credentials test`: makes
/// the provider from the credential, presents a probe TXT record at `_acme-challenge.<domain>`,
/// and removes it, reporting each step and, for a failure, its ``DNSProviders/DNSProviderError/Kind``.
///
/// The zone is taken to be `domain` itself and propagation is not checked here: zone discovery
/// by SOA and the propagation wait belong to `DNSPreflight` (Sources/DNSProviders/Preflight),
/// which replaces the body of ``run(kind:credentials:domain:)`` once it is in the tree.
struct CredentialPreflight: Sendable {
    var context = DNSProviderContext()

    func run(kind: DNSProviderKind, credentials: DNSCredentials, domain: String) async -> DNSCredentialTestReport {
        var steps: [DNSCredentialTestReport.Step] = []
        func report() -> DNSCredentialTestReport { DNSCredentialTestReport(domain: domain, provider: kind.name, steps: steps) }
        func skip(_ names: [String]) { steps += names.map { .init(name: $0, status: .skipped) } }

        let provider: any DNSChallengeProvider
        do {
            provider = try kind.make(credentials, context)
            steps.append(.init(name: "configuration", status: .succeeded))
        } catch {
            steps.append(.init(name: "configuration", status: .failed, detail: error.description, failureKind: error.kind.rawValue))
            skip(["zone", "present", "propagation", "cleanup"])
            return report()
        }
        let name: DomainName
        let zone: DomainName
        do {
            name = try DomainName("_acme-challenge." + domain)
            zone = try DomainName(domain)
            steps.append(.init(name: "zone", status: .succeeded, detail: "zone taken to be \(domain) (no SOA lookup)"))
        } catch {
            steps.append(.init(name: "zone", status: .failed, detail: "\(error)", failureKind: DNSProviderError.Kind.zoneNotFound.rawValue))
            skip(["present", "propagation", "cleanup"])
            return report()
        }
        let record = ChallengeRecord(name: name, value: Self.probeValue(), zone: zone)
        let presented = await timed { try await provider.present(record) }
        steps.append(step("present", presented))
        guard presented.error == nil else {
            skip(["propagation", "cleanup"])
            return report()
        }
        steps.append(.init(name: "propagation", status: .skipped, detail: "not checked by this pre-flight"))
        steps.append(step("cleanup", await timed { try await provider.cleanUp(record) }))
        return report()
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
