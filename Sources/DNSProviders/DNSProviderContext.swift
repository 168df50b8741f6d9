import AsyncHTTPClient
import Logging

/// What providers share: the HTTP client for the DNS services' APIs and a logger.
public struct DNSProviderContext: Sendable {
    /// The client for HTTP APIs; owned by the caller, shared by every provider.
    public var httpClient: HTTPClient
    /// Receives debug lines (never credentials).
    public var logger: Logger

    /// - Parameters: see the properties.
    public init(httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "gatehouse.dns.provider")) {
        self.httpClient = httpClient
        self.logger = logger
    }
}
