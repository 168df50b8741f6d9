/// Why ``ZoneFinder`` could not find a name's zone or a zone's authoritative servers, naming the
/// resolver and the name that failed.
public struct ZoneLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case noSOA
            case serverFailure
            case errorResponse
            case timedOut
            case network
            case invalidResolver
            case noNameServers
            case cancelled
        }

        private let base: Base

        /// Every suffix of the name was asked and no SOA came back: no zone holds the name as
        /// far as the resolvers know.
        public static let noSOA = Code(base: .noSOA)
        /// A resolver answered SERVFAIL on every attempt (a split-horizon resolver that cannot
        /// serve the zone's SOA, a broken delegation, a DNSSEC failure).
        public static let serverFailure = Code(base: .serverFailure)
        /// A resolver answered REFUSED, FORMERR or another error code (see
        /// ``ZoneLookupError/responseCode``).
        public static let errorResponse = Code(base: .errorResponse)
        /// A resolver did not answer in time.
        public static let timedOut = Code(base: .timedOut)
        /// A resolver could not be reached.
        public static let network = Code(base: .network)
        /// A resolver's address is not an IP address and port.
        public static let invalidResolver = Code(base: .invalidResolver)
        /// The zone has no NS records, or none of its servers' names has an address.
        public static let noNameServers = Code(base: .noNameServers)
        /// The task was cancelled.
        public static let cancelled = Code(base: .cancelled)

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .noSOA: "no SOA record found"
            case .serverFailure: "SERVFAIL"
            case .errorResponse: "error response"
            case .timedOut: "no response in time"
            case .network: "network error"
            case .invalidResolver: "invalid resolver address"
            case .noNameServers: "no authoritative server addresses"
            case .cancelled: "cancelled"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// The name whose zone (or the zone whose servers) was looked for.
    public let name: DomainName
    /// The name and type being asked when it failed (`_acme-challenge.example.com. SOA`).
    public let asked: String
    /// The resolver that failed, as `host:port`; `nil` for ``Code/noSOA`` and
    /// ``Code/noNameServers``, which no single resolver caused.
    public let resolver: String?
    /// The response code, for ``Code/errorResponse`` and ``Code/serverFailure``.
    public let responseCode: ResponseCode?
    /// More about the failure.
    public let detail: String?

    init(
        _ code: Code, name: DomainName, asked: String, resolver: String? = nil, responseCode: ResponseCode? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.name = name
        self.asked = asked
        self.resolver = resolver
        self.responseCode = responseCode
        self.detail = detail
    }

    /// Wraps a lookup error at one resolver.
    init(_ error: DNSLookupError, name: DomainName) {
        let code: Code =
            switch error.code {
            case .timedOut: .timedOut
            case .network: .network
            case .invalidResolver: .invalidResolver
            case .cancelled: .cancelled
            default: error.responseCode == .serverFailure ? .serverFailure : .errorResponse
            }
        self.init(
            code, name: name, asked: "\(error.name) \(error.type)", resolver: error.resolver, responseCode: error.responseCode,
            detail: error.detail
        )
    }

    /// `ZoneLookupError: zone of www.example.com.: SERVFAIL from 10.0.0.53:53 for
    /// www.example.com. SOA (3 attempts)`.
    public var description: String {
        var text = "ZoneLookupError: zone of \(self.name): \(self.code)"
        if let resolver = self.resolver {
            text += " from \(resolver) for \(self.asked)"
            if let responseCode = self.responseCode, self.code == .errorResponse { text += " \(responseCode)" }
        } else {
            text += " (\(self.asked))"
        }
        if let detail = self.detail { text += " (\(detail))" }
        return text
    }
}
