import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after the TLS handler and counts the handshake's outcome: the negotiated version
/// when it completes, a failure when an error comes before that. Removes itself once it knows.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let metrics: TrafficMetrics
    private let entryPoint: String

    init(metrics: TrafficMetrics, entryPoint: String) {
        self.metrics = metrics
        self.entryPoint = entryPoint
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            let version = (try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).tlsVersion) ?? nil
            metrics.handshakeCompleted(entryPoint: entryPoint, version: version.map(Self.label) ?? "unknown")
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        metrics.handshakeFailed(entryPoint: entryPoint)
        context.fireErrorCaught(error)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// `1.2`, `1.3`, as Traefik's `tls_version` label.
    static func label(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "1.0"
        case .tlsv11: "1.1"
        case .tlsv12: "1.2"
        case .tlsv13: "1.3"
        }
    }
}
