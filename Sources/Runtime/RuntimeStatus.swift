import Config
import Foundation
import Proxy
import Synchronization

/// What the gateway serves now, as plain data for the admin API: the dynamic configuration of
/// the last build and the problems that disabled items of it.
public struct RuntimeStatus: Sendable {
    /// The build's generation: 1 at start-up, one more per reload.
    public let generation: Int
    /// The dynamic configuration the snapshot was built from, disabled items included.
    public let configuration: DynamicConfiguration
    /// Every problem of the build; an item named by one is left out of the snapshot.
    public let issues: [BuildIssue]
    /// The entry points of routers that name none.
    public let defaultEntryPoints: [String]
    /// When the snapshot was swapped in.
    public let builtAt: Date
    /// The health objects of the snapshot's HTTP load-balancer servers, by service, then URL.
    let servers: [String: [String: ServerHealth]]

    /// Whether each HTTP load-balancer server of the snapshot may be picked now (active and
    /// passive health checks), by qualified service name (`app@file`), then server URL.
    public func serverHealth() -> [String: [String: Bool]] {
        servers.mapValues { $0.mapValues(\.isAvailable) }
    }
}

/// The latest ``RuntimeStatus``, replaced whenever a snapshot is swapped in.
final class RuntimeStatusBoard: Sendable {
    private let latest = Mutex<RuntimeStatus?>(nil)

    /// The status of the snapshot being served; `nil` before the first build.
    var current: RuntimeStatus? { latest.withLock { $0 } }

    /// Records that `configuration` was built into generation `generation` with `issues`.
    func publish(generation: Int, configuration: DynamicConfiguration, issues: [BuildIssue], defaultEntryPoints: [String],
                 servers: [String: [String: ServerHealth]] = [:]) {
        let status = RuntimeStatus(generation: generation, configuration: configuration, issues: issues,
                                   defaultEntryPoints: defaultEntryPoints, builtAt: Date(), servers: servers)
        latest.withLock { $0 = status }
    }
}
