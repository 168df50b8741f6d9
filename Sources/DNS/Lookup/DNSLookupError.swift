/// Why a lookup (TXT, SOA, NS …) or an exchange at one server failed, naming the resolver and the name.
public struct DNSLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case timedOut
            case errorResponse
            case network
            case invalidResolver
            case cancelled
        }

        private let base: Base

        /// No response within the timeout, on any attempt.
        public static let timedOut = Code(base: .timedOut)
        /// The resolver answered with an error code other than NXDOMAIN (see
        /// ``DNSLookupError/responseCode``).
        public static let errorResponse = Code(base: .errorResponse)
        /// A socket error, such as "connection refused".
        public static let network = Code(base: .network)
        /// The resolver's address is not an IP address and port.
        public static let invalidResolver = Code(base: .invalidResolver)
        /// The task was cancelled.
        public static let cancelled = Code(base: .cancelled)

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .timedOut: "no response in time"
            case .errorResponse: "error response"
            case .network: "network error"
            case .invalidResolver: "invalid resolver address"
            case .cancelled: "cancelled"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// The name looked up.
    public let name: DomainName
    /// The record type asked for (for an UPDATE, SOA: its zone section's type).
    public let type: RecordType
    /// The resolver asked, as `host:port`.
    public let resolver: String
    /// The response code, for ``Code/errorResponse``.
    public let responseCode: ResponseCode?
    /// More about the failure (the socket error, the number of attempts).
    public let detail: String?

    init(
        _ code: Code, name: DomainName, type: RecordType = .txt, resolver: String, responseCode: ResponseCode? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.name = name
        self.type = type
        self.resolver = resolver
        self.responseCode = responseCode
        self.detail = detail
    }

    /// A readable form for logs and error messages.
    public var description: String {
        var text = "DNSLookupError: \(self.type) \(self.name) at \(self.resolver): \(self.code)"
        if let responseCode = self.responseCode { text += " \(responseCode)" }
        if let detail = self.detail { text += " (\(detail))" }
        return text
    }
}
