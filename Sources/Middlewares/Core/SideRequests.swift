import AsyncHTTPClient
import NIOCore

/// The HTTP client for requests a middleware makes beside the proxied one (forwardAuth's
/// authentication request, the errors middleware's page), and their bounds.
///
/// One client for the process: connections are pooled per address and TLS configuration; it
/// follows no redirects and decodes nothing, so what the other service sent is what is used.
public enum SideRequests {
    /// The shared client.
    public static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(30)),
            decompression: .disabled
        )
    )

    /// The longest wait for a whole answer.
    public static let timeout: TimeAmount = .seconds(30)
    /// The largest answer body kept.
    public static let maximumBody = 1 << 20
}
