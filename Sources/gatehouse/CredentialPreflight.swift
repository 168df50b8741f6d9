import Admin
import DNS
import DNSProviders
import Foundation
import Runtime

/// The pre-flight of a stored credential for the admin API
/// (`POST /api/v1/dns-credentials/{id}/test`): makes the provider from the stored values (a
/// malformed or missing variable is a failed `configuration` step), then runs
/// ``DNSProviders/DNSPreflight`` — zone by SOA, probe TXT present, propagation at the
/// authoritative servers, clean-up, gone — and gives its steps in the admin API's shape.
///
/// The resolvers are those of `GATEHOUSE_ACME_DNS_RESOLVERS` (`1.1.1.1:53,1.0.0.1:53`), else
/// the system's; a provider that names its own servers (rfc2136's nameserver) is asked there.
/// The credential's `<PREFIX>_PROPAGATION_TIMEOUT`, `<PREFIX>_POLLING_INTERVAL` and
/// `<PREFIX>_TTL` apply (``DNSProviders/DNSPreflight/Options/init(tuning:resolvers:policy:timeout:interval:ttl:)``).
struct CredentialPreflight: Sendable {
    var context = DNSProviderContext()
    var resolvers: [DNSAddress] = ACMESetup.environmentResolvers(ProcessInfo.processInfo.environment).resolvers

    func run(kind: DNSProviderKind, credentials: DNSCredentials, domain: String) async -> DNSCredentialTestReport {
        let provider: any DNSChallengeProvider
        let tuning: DNSProviderKind.Tuning
        do {
            provider = try kind.make(credentials, context)
            tuning = try kind.tuning(credentials)
        } catch {
            let skipped = DNSPreflightReport.StepName.allCases.map {
                DNSCredentialTestReport.Step(name: $0.rawValue, status: .skipped, detail: "an earlier step failed")
            }
            return DNSCredentialTestReport(domain: domain, provider: kind.name, steps: [
                .init(name: "configuration", status: .failed, detail: error.description, failureKind: error.kind.rawValue),
            ] + skipped)
        }
        let options = DNSPreflight.Options(tuning: tuning, resolvers: resolvers)
        let report = await DNSPreflight(options: options).run(provider: provider, domain: domain)
        return DNSCredentialTestReport(domain: domain, provider: kind.name, steps: [
            .init(name: "configuration", status: .succeeded),
        ] + report.steps.map(Self.step))
    }

    /// A pre-flight step in the admin API's shape (`ok` is `succeeded` there).
    static func step(_ step: DNSPreflightReport.Step) -> DNSCredentialTestReport.Step {
        let status: DNSCredentialTestReport.Step.Status = switch step.status {
        case .ok: .succeeded
        case .failed: .failed
        case .skipped: .skipped
        }
        return .init(name: step.name.rawValue, status: status, detail: step.detail, failureKind: step.kind?.rawValue,
                     milliseconds: Int((step.durationSeconds * 1000).rounded()))
    }
}
