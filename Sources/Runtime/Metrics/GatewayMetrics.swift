import Foundation
import Proxy
import SwiftASN1
import Synchronization
import TLS
import X509

/// What the gateway counts beyond the data plane's traffic (configuration reloads), and where
/// a scrape finds the rest: the traffic recorder, the servers' health and the served
/// certificates. The gateway fills it in as it starts; ``sample()`` reads everything at once.
public final class GatewayMetrics: Sendable {
    private struct Sources: Sendable {
        var traffic: TrafficMetrics
        var health: HealthRegistry
        var certificates: TLS.CertificateStore
    }

    private let sources = Mutex<Sources?>(nil)
    private let reloads = Mutex<ReloadCounts>(ReloadCounts())
    private let orders = Mutex<[String: Int]>([:])

    /// Nothing counted yet.
    public init() {}

    /// Connects the running parts (called once by the gateway when it starts).
    func attach(traffic: TrafficMetrics, health: HealthRegistry, certificates: TLS.CertificateStore) {
        sources.withLock { $0 = Sources(traffic: traffic, health: health, certificates: certificates) }
    }

    /// Counts a configuration reload; a successful one also sets the last-success time.
    func recordReload(succeeded: Bool, at date: Date = Date()) {
        reloads.withLock { counts in
            if succeeded {
                counts.succeeded += 1
                counts.lastSuccess = date.timeIntervalSince1970
            } else {
                counts.failed += 1
            }
        }
    }

    /// Counts a finished ACME order by its result (`success`, `failure`).
    func recordOrder(result: String) {
        orders.withLock { $0[result, default: 0] += 1 }
    }

    /// Every value now; `nil` before the gateway has started its entry points.
    public func sample() async -> GatewayMetricsSample? {
        guard let sources = sources.withLock({ $0 }) else { return nil }
        let traffic = await sources.traffic.sample()
        let servers = sources.health.servers().map { ServerUp(service: $0.service, url: $0.url, isUp: $0.isAvailable) }
        let certificates = sources.certificates.current.certificates
            .filter { !$0.isDefaultGenerated }
            .map(CertificateExpiry.init)
        return GatewayMetricsSample(
            traffic: traffic, servers: servers, certificates: certificates,
            reloads: reloads.withLock { $0 }, orders: orders.withLock { $0 }
        )
    }
}

/// Configuration reloads counted since start.
public struct ReloadCounts: Sendable, Hashable {
    /// Reloads whose files all loaded.
    public var succeeded = 0
    /// Reloads with a file that could not be read or parsed (the rest still applied).
    public var failed = 0
    /// Seconds since 1970 of the last successful reload (or the start-up load); `nil` before any.
    public var lastSuccess: Double?
}

/// Whether one backend server may be picked now.
public struct ServerUp: Sendable, Hashable {
    /// The service's name.
    public var service: String
    /// The server's URL.
    public var url: String
    /// `true` when neither the active nor the passive health check holds it down.
    public var isUp: Bool
}

/// A served certificate's identity and expiry, with the labels Traefik gives
/// `tls_certs_not_after`.
public struct CertificateExpiry: Sendable, Hashable {
    /// The subject common name (empty when there is none).
    public var commonName: String
    /// The serial number in decimal, as Traefik writes it.
    public var serial: String
    /// The DNS names the certificate covers.
    public var sans: [String]
    /// The end of its validity, seconds since 1970.
    public var notAfter: Double

    init(_ certificate: ServerCertificate) {
        var commonName = ""
        for relativeName in certificate.leaf.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { commonName = text }
            }
        }
        self.commonName = commonName
        serial = BigEndianDecimal.string(certificate.leaf.serialNumber.bytes)
        sans = certificate.names
        notAfter = certificate.notAfter.timeIntervalSince1970
    }

}

/// Everything the metrics endpoint shows, read at one moment.
public struct GatewayMetricsSample: Sendable {
    /// Requests, connections and TLS handshakes.
    public var traffic: TrafficSample
    /// Each backend server's health.
    public var servers: [ServerUp]
    /// The served certificates (the generated default left out).
    public var certificates: [CertificateExpiry]
    /// Configuration reloads.
    public var reloads: ReloadCounts
    /// ACME orders by result.
    public var orders: [String: Int]
}
