import Admin
import DNSProviders
import Foundation
import Storage

/// The admin API's DNS credential operations over the gateway's storage: providers and their
/// variables come from ``DNSProviders/DNSProviderRegistry``; the values are sealed by the
/// storage; the pre-flight runs with the stored values only (never the process environment, so
/// a test proves the stored credential, not whatever the server happens to have).
struct GatewayDNSCredentialControl: DNSCredentialControl {
    let store: any DNSCredentialStore
    let preflight: CredentialPreflight
    var clock: @Sendable () -> Date = { Date() }

    var providers: [DNSCredentialProvider] {
        DNSProviderRegistry.all.map(Self.provider)
    }

    /// The admin API's view of a provider kind.
    static func provider(_ kind: DNSProviderKind) -> DNSCredentialProvider {
        DNSCredentialProvider(
            name: kind.name,
            variables: kind.variables.map {
                .init(name: $0.name, aliases: $0.aliases, isRequired: $0.isRequired, isSecret: $0.isSecret)
            },
            tuningNames: ["TTL", "PROPAGATION_TIMEOUT", "POLLING_INTERVAL"].map { "\(kind.environmentPrefix)_\($0)" }
        )
    }

    func credentials() async throws -> [DNSCredentialRecord] {
        try await store.credentials()
    }

    func credential(id: String) async throws -> DNSCredentialRecord? {
        try await store.credential(id)
    }

    func create(name: String, provider: String, entries: [String: String], createdBy: String) async throws -> DNSCredentialRecord {
        try await store.createCredential(name: name, provider: provider, entries: entries, createdBy: createdBy)
    }

    func delete(id: String) async throws -> DNSCredentialRecord? {
        try await store.deleteCredential(id: id)
    }

    func test(id: String, domain: String) async throws -> DNSCredentialTestReport? {
        guard let record = try await store.credential(id), let entries = try await store.credentialEntries(id: record.id) else {
            return nil
        }
        let report: DNSCredentialTestReport
        if let kind = DNSProviderRegistry.kind(named: record.provider) {
            report = await preflight.run(kind: kind, credentials: DNSCredentials(entries, environment: [:]), domain: domain)
        } else {
            report = DNSCredentialTestReport(domain: domain, provider: record.provider, steps: [
                .init(name: "configuration", status: .failed,
                      detail: "this Gatehouse has no provider \"\(record.provider)\" (known: \(DNSProviderRegistry.names.joined(separator: ", ")))",
                      failureKind: DNSProviderError.Kind.configuration.rawValue),
            ])
        }
        let failed = report.failedStep
        try await store.recordCredentialTest(id: record.id, DNSCredentialTestResult(
            time: clock(), domain: domain, succeeded: report.succeeded, failedStep: failed?.name, failureKind: failed?.failureKind
        ))
        return report
    }
}
