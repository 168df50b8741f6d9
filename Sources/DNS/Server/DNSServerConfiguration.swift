#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DNSServer {
    /// How the built-in DNS server describes its zones and treats its clients.
    public struct Configuration: Sendable {
        /// The name server named in NS answers and as the SOA's primary server: the host name
        /// the parent zone's NS record for `_acme-challenge.<domain>` points at.
        ///
        /// Default: this machine's host name (`gethostname`), or `localhost` when it has none
        /// or it is not a valid name.
        public var nameServer: DomainName

        /// The SOA's contact mailbox in name form. Default: `hostmaster.` followed by
        /// ``nameServer``.
        public var hostmaster: DomainName?

        /// The TTL, in seconds, of every record served and of negative answers (it is also the
        /// SOA `minimum`, which RFC 2308 makes the negative caching time). Default: 10.
        ///
        /// Short, because challenge records live for seconds to minutes: a resolver that asked
        /// before a value was published, or cached the previous order's value, sees the new
        /// one within this time. Not 0, so a validator querying through a shared resolver
        /// several times within one validation gets a consistent answer.
        public var ttl: UInt32

        /// Zones served besides the `_acme-challenge` names, such as `acme.example.net` when
        /// `_acme-challenge.example.com` is a CNAME to a name under it and the parent zone
        /// delegates `acme.example.net` to Gatehouse. Default: none.
        public var zones: [DomainName]

        /// The UDP payload size the server advertises in its OPT record and the most it sends
        /// over UDP to an EDNS client (less when the client asks for less). Default: 1232, the
        /// size the 2020 DNS flag day settled on to avoid IP fragmentation.
        public var udpPayloadSize: UInt16

        /// How long a TCP connection may stay without a complete query before it is closed
        /// (RFC 7766 §6.2.3 asks for timeouts of seconds). Default: 10 seconds.
        public var tcpIdleTimeout: Duration

        /// The most TCP connections open at once; more are closed as soon as they are
        /// accepted. Default: 256.
        public var maximumTCPConnections: Int

        /// Makes a value from its fields; defaults are documented on each property.
        public init(
            nameServer: DomainName? = nil,
            hostmaster: DomainName? = nil,
            ttl: UInt32 = 10,
            zones: [DomainName] = [],
            udpPayloadSize: UInt16 = 1232,
            tcpIdleTimeout: Duration = .seconds(10),
            maximumTCPConnections: Int = 256
        ) {
            self.nameServer = nameServer ?? Self.hostName()
            self.hostmaster = hostmaster
            self.ttl = ttl
            self.zones = zones
            self.udpPayloadSize = udpPayloadSize
            self.tcpIdleTimeout = tcpIdleTimeout
            self.maximumTCPConnections = maximumTCPConnections
        }

        /// ``hostmaster``, or its default.
        var effectiveHostmaster: DomainName {
            if let hostmaster = self.hostmaster { return hostmaster }
            return (try? self.nameServer.prepending("hostmaster")) ?? self.nameServer
        }

        /// This machine's host name as a domain name.
        static func hostName() -> DomainName {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count - 1) == 0 else { return Self.localhost }
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            let name = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard !name.isEmpty, let domainName = try? DomainName(name) else { return Self.localhost }
            return domainName
        }

        private static let localhost = DomainName(uncheckedLabels: [Array("localhost".utf8)])
    }
}
