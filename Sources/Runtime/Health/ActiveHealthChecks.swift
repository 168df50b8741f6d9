import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Proxy
import Synchronization

/// Runs the active health checks of the current snapshot: one task per server, probing at the
/// service's `interval` while the server is healthy and `unhealthyInterval` while it is not, and
/// marking it down or up in its ``ServerHealth`` (which every snapshot with that server shares).
/// A new snapshot's checks replace the old ones; a server keeps its state across the change.
final class ActiveHealthChecks: Sendable {
    private let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])

    /// Clients that follow redirects and clients that do not; process-wide, never shut down.
    private static let following = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .follow(max: 10, allowCycles: false), decompression: .disabled)
    )
    private static let notFollowing = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, decompression: .disabled)
    )

    init(logger: Logger) {
        self.logger = logger
    }

    /// Stops the running checks and starts `targets`.
    func replace(with targets: [HealthCheckTarget]) {
        let started = targets.map { target in
            Task { [logger] in await Self.run(target, logger: logger) }
        }
        let old = tasks.withLock { tasks in
            defer { tasks = started }
            return tasks
        }
        for task in old { task.cancel() }
    }

    /// Stops every check.
    func stop() {
        replace(with: [])
    }

    private static func run(_ target: HealthCheckTarget, logger: Logger) async {
        while !Task.isCancelled {
            let outcome = await probe(target)
            guard !Task.isCancelled else { return }
            let healthy = outcome == nil
            if target.upstream.health.setActive(healthy: healthy) {
                if healthy {
                    logger.info("server is healthy again", metadata: ["service": "\(target.service)", "server": "\(target.upstream.url)"])
                } else {
                    logger.warning("server failed its health check; taken out", metadata: [
                        "service": "\(target.service)", "server": "\(target.upstream.url)", "reason": "\(outcome ?? "")",
                    ])
                }
            }
            let wait = healthy ? target.interval : target.unhealthyInterval
            try? await Task.sleep(nanoseconds: UInt64(max(wait.nanoseconds, 1_000_000)))
        }
    }

    /// `nil` when the server answered as expected, else why not.
    static func probe(_ target: HealthCheckTarget) async -> String? {
        do {
            let request = try HTTPClient.Request(url: target.url, method: target.method, headers: target.headers,
                                                 tlsConfiguration: target.upstream.transport.tlsConfiguration)
            let client = target.followRedirects ? following : notFollowing
            let response = try await client.execute(request: request, deadline: .now() + target.timeout).get()
            return target.accepts(Int(response.status.code)) ? nil : "status \(response.status.code)"
        } catch {
            return "\(error)"
        }
    }
}
