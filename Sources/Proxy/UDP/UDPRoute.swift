/// What a UDP entry point does with a new session: the router in force and its service.
///
/// UDP routers have no rule; as in Traefik, one router serves an entry point.
public struct UDPRoute: Sendable {
    /// The router's name as shown in logs, e.g. `dns@file`.
    public let routerName: String
    public let service: UDPService

    public init(routerName: String, service: UDPService) {
        self.routerName = routerName
        self.service = service
    }
}
