import AsyncHTTPClient
import Config
import Foundation
import NIOCore
import NIOHTTP1
import Proxy

/// One server's active health check: what to ask, how often, and what counts as healthy
/// (Traefik's `loadBalancer.healthCheck`).
struct HealthCheckTarget: Sendable {
    let service: String
    let upstream: Upstream
    let url: String
    let method: HTTPMethod
    let headers: HTTPHeaders
    let expectedStatus: Int?
    let interval: TimeAmount
    let unhealthyInterval: TimeAmount
    let timeout: TimeAmount
    let followRedirects: Bool

    init(service: String, upstream: Upstream, settings: HTTPService.HealthCheck) {
        self.service = service
        self.upstream = upstream
        let scheme = settings.scheme?.lowercased() ?? (upstream.isTLS ? "https" : "http")
        let host = upstream.host.contains(":") ? "[\(upstream.host)]" : upstream.host
        let port = settings.port.flatMap { $0 > 0 ? $0 : nil } ?? upstream.port
        var path = settings.path ?? "/"
        if !path.hasPrefix("/") { path = "/" + path }
        self.url = "\(scheme)://\(host):\(port)\(upstream.pathPrefix)\(path)"
        self.method = HTTPMethod(rawValue: settings.effectiveMethod.uppercased())
        var headers = HTTPHeaders()
        for (name, value) in (settings.headers ?? [:]).sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        if let hostname = settings.hostname, !hostname.isEmpty { headers.replaceOrAdd(name: "Host", value: hostname) }
        self.headers = headers
        self.expectedStatus = settings.status.flatMap { $0 > 0 ? $0 : nil }
        self.interval = settings.effectiveInterval.timeAmount
        self.unhealthyInterval = settings.effectiveUnhealthyInterval.timeAmount
        self.timeout = settings.effectiveTimeout.timeAmount
        self.followRedirects = settings.effectiveFollowRedirects
    }

    /// Whether `status` means healthy: the expected one if set, else any 2xx or 3xx.
    func accepts(_ status: Int) -> Bool {
        if let expectedStatus { return status == expectedStatus }
        return (200..<400).contains(status)
    }
}
