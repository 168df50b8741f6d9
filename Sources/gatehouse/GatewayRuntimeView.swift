import Admin
import Config
import Runtime

/// The running gateway as the admin API sees it: the snapshot's configuration and the problems
/// that disabled items, translated from the runtime's build issues.
struct GatewayRuntimeView: RuntimeView {
    let gateway: Gateway
    let staticConfig: StaticConfiguration

    func currentState() async -> RuntimeState? {
        guard let status = gateway.currentStatus else { return nil }
        return RuntimeState(
            generation: status.generation,
            configuration: status.configuration,
            problems: status.issues.compactMap(Self.problem),
            entryPoints: staticConfig.entryPoints,
            defaultEntryPoints: status.defaultEntryPoints,
            providers: Self.providers(staticConfig, status.configuration),
            accessLog: staticConfig.accessLog != nil,
            serverHealth: status.serverHealth()
        )
    }

    /// The providers feeding the configuration as Traefik's overview names them: `File` when the
    /// file provider is configured, `API` while routes made through the admin API are served.
    static func providers(_ staticConfig: StaticConfiguration, _ configuration: DynamicConfiguration) -> [String] {
        var names = staticConfig.providers?.file != nil ? ["File"] : []
        names += configuration.origins.otherProviders.map { $0 == .api ? "API" : $0.name.capitalized }
        return names
    }

    /// A build issue about a named item, as the admin API's problem; `nil` for the others
    /// (TLS options, certificate files).
    static func problem(_ issue: BuildIssue) -> ItemProblem? {
        guard let kindName = issue.itemKind, let name = issue.itemName else { return nil }
        let kind: ItemProblem.Kind
        switch kindName.lowercased() {
        case "router": kind = .httpRouter
        case "service": kind = .httpService
        case "middleware": kind = .httpMiddleware
        case "tcp router": kind = .tcpRouter
        case "tcp service": kind = .tcpService
        case "tcp middleware": kind = .tcpMiddleware
        case "udp router": kind = .udpRouter
        case "udp service": kind = .udpService
        default: return nil
        }
        return ItemProblem(kind: kind, name: name, message: issue.message)
    }
}
