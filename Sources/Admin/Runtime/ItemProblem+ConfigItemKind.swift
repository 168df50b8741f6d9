import Config

extension ItemProblem.Kind {
    /// The configuration's name for this kind of item (for ``Config/ItemOrigins``).
    var configItemKind: ConfigItemKind {
        switch self {
        case .httpRouter: .httpRouter
        case .httpService: .httpService
        case .httpMiddleware: .httpMiddleware
        case .tcpRouter: .tcpRouter
        case .tcpService: .tcpService
        case .tcpMiddleware: .tcpMiddleware
        case .udpRouter: .udpRouter
        case .udpService: .udpService
        }
    }
}
