import Certificates
import Config
import Logging
import Storage
import Synchronization

/// The second source of dynamic configuration next to the file provider: the routes made
/// through the admin API. It keeps the file provider's last result and the API's routes, and
/// hands their merge to the gateway's reloader whenever either changes, one reload at a time.
public final class APIRoutesSource: Sendable {
    private struct State {
        var file = DynamicLoadResult(configuration: DynamicConfiguration(), files: [], errors: [], issues: [])
        var routes: [StoredRoute] = []
        var apply: (@Sendable (DynamicLoadResult, [CertificateDemand]) async -> Void)?
        var lastReload: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let logger: Logger

    /// An empty source.
    public init(logger: Logger = Logger(label: "gatehouse.api-routes")) {
        self.logger = logger
    }

    /// The file provider's configuration last loaded (for clash checks on API requests).
    public var fileConfiguration: DynamicConfiguration { state.withLock { $0.file.configuration } }

    /// The API routes in use.
    public var routes: [StoredRoute] { state.withLock { $0.routes } }

    /// Replaces the API routes and, once the gateway runs, returns after the merged
    /// configuration is built and swapped in (so an activated route is served on return).
    public func replaceRoutes(_ routes: [StoredRoute]) async {
        let reload = state.withLock { state -> Task<Void, Never>? in
            state.routes = routes
            return scheduleReload(&state)
        }
        await reload?.value
    }

    /// The file provider's new result: reloads with the API routes merged in.
    func fileChanged(_ result: DynamicLoadResult) async {
        let reload = state.withLock { state -> Task<Void, Never>? in
            state.file = result
            return scheduleReload(&state)
        }
        await reload?.value
    }

    /// Records the file provider's first result and returns it with the API routes merged in
    /// (the gateway builds its first snapshot from it).
    func initialLoad(_ result: DynamicLoadResult) -> DynamicLoadResult {
        state.withLock { state in
            state.file = result
            return merged(state)
        }
    }

    /// The certificates the prepared API routes demand.
    var preparedDemands: [CertificateDemand] { state.withLock { APIRouteConfiguration.demands(for: $0.routes) } }

    /// From now on, changes are applied through `apply` (the gateway's reloader).
    func attach(_ apply: @escaping @Sendable (DynamicLoadResult, [CertificateDemand]) async -> Void) {
        state.withLock { $0.apply = apply }
    }

    /// Stops applying changes (the gateway stopped).
    func detach() {
        state.withLock { $0.apply = nil }
    }

    /// A reload after the one before it, with the state as it is now.
    private func scheduleReload(_ state: inout State) -> Task<Void, Never>? {
        guard let apply = state.apply else { return nil }
        let previous = state.lastReload
        let result = merged(state)
        let demands = APIRouteConfiguration.demands(for: state.routes)
        let task = Task {
            await previous?.value
            await apply(result, demands)
        }
        state.lastReload = task
        return task
    }

    private func merged(_ state: State) -> DynamicLoadResult {
        let api = APIRouteConfiguration.configuration(for: state.routes)
        let (configuration, clashes) = APIRouteConfiguration.merge(api, into: state.file.configuration)
        for clash in clashes {
            logger.error("admin API route not served", metadata: ["error": "\(clash)"])
        }
        var result = state.file
        result.configuration = configuration
        return result
    }
}
