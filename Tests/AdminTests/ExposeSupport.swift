import Admin
import Config
import Foundation
import Logging
import Storage
import Synchronization

/// The gateway side of the expose chain in tests: a fixed file configuration, and the routes
/// last handed over (what the data plane would serve).
final class FakeExposeControl: ExposeControl {
    let settings: ExposeSettings
    let file: DynamicConfiguration
    private let state = Mutex<(served: [StoredRoute], discarded: [String], changes: Int)>(([], [], 0))

    init(settings: ExposeSettings, file: DynamicConfiguration = DynamicConfiguration()) {
        self.settings = settings
        self.file = file
    }

    /// The routes handed over last.
    var served: [StoredRoute] { state.withLock { $0.served } }
    /// The certificate records discarded.
    var discarded: [String] { state.withLock { $0.discarded } }

    func fileConfiguration() async -> DynamicConfiguration { file }

    func routesChanged(_ routes: [StoredRoute]) async {
        state.withLock { $0.served = routes; $0.changes += 1 }
    }

    func discardCertificate(id: String) async {
        state.withLock { $0.discarded.append(id) }
    }
}

/// A certificate authority in tests, behind the ``CertificateControl`` protocol: `issue` stores a
/// pending record and counts an order; the next read makes it valid, or failed with `failure`.
final class FakeCertificates: CertificateControl {
    let resolvers = ["le", "dns"]
    private let state = Mutex<(records: [String: CertificateRecord], orders: Int, failure: String?)>(([:], 0, nil))

    /// Orders made (records that had to be issued).
    var orders: Int { state.withLock { $0.orders } }

    /// From now on, orders fail with `reason` (`nil`: they succeed).
    func failOrders(_ reason: String?) { state.withLock { $0.failure = reason } }

    func certificates() async throws -> [CertificateRecord] { state.withLock { Array($0.records.values) } }

    func certificate(id: String) async throws -> CertificateRecord? {
        state.withLock { state in
            guard var record = state.records[id] else { return nil }
            if record.status == .pending {
                if let failure = state.failure {
                    record.status = .failed
                    record.failureCount += 1
                    record.lastError = failure
                } else {
                    record.status = .valid
                    record.serialNumber = "0a"
                    record.notAfter = Date().addingTimeInterval(90 * 86_400)
                }
                state.records[id] = record
            }
            return record
        }
    }

    func issue(names: [String], resolver: String, challenge: String?, dnsCredential: String?) async throws -> CertificateRecord {
        state.withLock { state in
            if let existing = state.records.values.first(where: { $0.resolver == resolver && Set($0.names) == Set(names) }) {
                return existing
            }
            let record = CertificateRecord(resolver: resolver, names: names, status: .pending, challenge: challenge, dnsCredential: dnsCredential)
            state.records[record.id] = record
            state.orders += 1
            return record
        }
    }

    func requestRenewal(id: String) async throws -> CertificateRecord {
        try state.withLock { state in
            guard var record = state.records[id] else { throw CocoaError(.fileNoSuchFile) }
            record.status = .pending
            record.failureCount = 0
            state.orders += 1
            state.records[id] = record
            return record
        }
    }

    func revoke(id: String, reason: Int?) async throws -> CertificateRecord {
        try state.withLock { state in
            guard var record = state.records[id] else { throw CocoaError(.fileNoSuchFile) }
            record.status = .revoked
            state.records[id] = record
            return record
        }
    }
}

/// Expose settings as a gateway with resolvers `le` (HTTP-01) and `dns` (DNS-01), entry points
/// web and websecure, and the domain `gw.example.com` would have.
func exposeSettings(requireApproval: Bool = false, fourEyes: Bool = false, domain: String? = "gw.example.com") -> ExposeSettings {
    ExposeSettings(gatewayDomain: domain, defaultResolver: "le", resolvers: ["le": ["http-01"], "dns": ["dns-01"]],
                   entryPoints: ["web", "websecure"], requireApproval: requireApproval, fourEyes: fourEyes,
                   certificateTimeout: .seconds(5), pollInterval: .milliseconds(10))
}

/// An expose service over `storage` with fakes for the gateway and the CA.
func makeExposeService(
    _ storage: SQLiteCertificateStorage, settings: ExposeSettings = exposeSettings(), file: DynamicConfiguration = DynamicConfiguration(),
    certificates: FakeCertificates = FakeCertificates()
) -> (ExposeService, FakeExposeControl, FakeCertificates) {
    var logger = Logger(label: "expose-tests")
    logger.logLevel = .critical
    let control = FakeExposeControl(settings: settings, file: file)
    let service = ExposeService(store: storage, control: control, certificates: certificates,
                                audit: StorageAuditTrail(storage: storage, nodeID: "test-node"), logger: logger)
    return (service, control, certificates)
}
