import ACME
import Admin
import Certificates
import Runtime
import Storage

/// The admin API's certificate operations over the gateway's storage: the same operations as
/// `gatehouse certs`, then a nudge so the running certificate manager acts at once (a revoked
/// certificate leaves serving, a renewal order starts).
struct GatewayCertificateControl: CertificateControl {
    let operations: CertificateOperations
    let storage: any CertificateStorage
    let gateway: Gateway
    let resolvers: [String]

    func certificates() async throws -> [CertificateRecord] {
        try await operations.list()
    }

    func certificate(id: String) async throws -> CertificateRecord? {
        try await storage.certificate(id: id)
    }

    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord {
        let record = try await operations.issue(names: names, resolver: resolver, challenge: challenge, dnsCredential: dnsCredential,
                                                source: .adminAPI, reason: "requested through the admin API")
        await gateway.certificatesChanged()
        return record
    }

    func requestRenewal(id: String) async throws -> CertificateRecord {
        let record = try await operations.requestRenewal(id)
        await gateway.certificatesChanged()
        return record
    }

    func revoke(id: String, reason: Int?) async throws -> CertificateRecord {
        let record = try await operations.revoke(id, reason: reason.flatMap { RevocationReason(code: $0) })
        await gateway.certificatesChanged()
        return record
    }
}
