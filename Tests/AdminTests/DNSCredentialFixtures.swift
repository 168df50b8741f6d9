import Admin
import Foundation
import Storage

/// A DNS credential control over the test storage with one provider shaped like lego's rfc2136
/// and a pre-flight that fails authentication when the stored TSIG secret is `wrong`, and fails
/// to find the zone for names under `.invalid`.
struct TestDNSCredentialControl: DNSCredentialControl {
    let storage: SQLiteCertificateStorage

    let providers = [
        DNSCredentialProvider(name: "rfc2136", variables: [
            .init(name: "RFC2136_NAMESERVER", isRequired: true),
            .init(name: "RFC2136_TSIG_KEY"),
            .init(name: "RFC2136_TSIG_SECRET", isSecret: true),
            .init(name: "RFC2136_TSIG_ALGORITHM"),
        ], tuningNames: ["RFC2136_TTL"]),
    ]

    func credentials() async throws -> [DNSCredentialRecord] { try await storage.credentials() }

    func credential(id: String) async throws -> DNSCredentialRecord? { try await storage.credential(id) }

    func create(name: String, provider: String, entries: [String: String], createdBy: String) async throws -> DNSCredentialRecord {
        try await storage.createCredential(name: name, provider: provider, entries: entries, createdBy: createdBy)
    }

    func delete(id: String) async throws -> DNSCredentialRecord? { try await storage.deleteCredential(id: id) }

    func test(id: String, domain: String) async throws -> DNSCredentialTestReport? {
        guard let record = try await storage.credential(id), let entries = try await storage.credentialEntries(id: id) else { return nil }
        var steps: [DNSCredentialTestReport.Step]
        if domain.hasSuffix(".invalid") {
            steps = [.init(name: "zone", status: .failed, detail: "no SOA for \(domain)", failureKind: "zone not found"),
                     .init(name: "present", status: .skipped), .init(name: "propagation", status: .skipped), .init(name: "cleanup", status: .skipped)]
        } else if entries["RFC2136_TSIG_SECRET"] == "wrong" {
            steps = [.init(name: "zone", status: .succeeded),
                     .init(name: "present", status: .failed, detail: "server answered NOTAUTH (TSIG BADSIG)", failureKind: "authentication"),
                     .init(name: "propagation", status: .skipped), .init(name: "cleanup", status: .skipped)]
        } else {
            steps = ["zone", "present", "propagation", "cleanup"].map { .init(name: $0, status: .succeeded, milliseconds: 3) }
        }
        let report = DNSCredentialTestReport(domain: domain, provider: record.provider, steps: steps)
        try await storage.recordCredentialTest(id: id, DNSCredentialTestResult(
            time: Date(), domain: domain, succeeded: report.succeeded, failedStep: report.failedStep?.name,
            failureKind: report.failedStep?.failureKind
        ))
        return report
    }
}
