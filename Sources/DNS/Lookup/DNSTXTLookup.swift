import Logging
import NIOCore
import NIOPosix

/// A small DNS client for the DNS-01 propagation check (Traefik's `dnsChallenge.resolvers` and
/// `propagation.delayBeforeChecks`): asks given resolvers for the TXT records at a name, and
/// waits until every resolver shows a value.
///
/// Each query goes over UDP from a fresh socket with a random port and ID, and is asked again
/// over TCP when the answer comes back truncated. A lookup tries ``Configuration/attempts``
/// times before it fails.
public struct DNSTXTLookup: Sendable {
    /// Timeouts and retries.
    public struct Configuration: Sendable {
        /// How long to wait for each response. Default: 2 seconds.
        public var attemptTimeout: Duration
        /// How many times a lookup is tried when a resolver does not answer, fails with
        /// SERVFAIL or cannot be reached. Default: 3.
        public var attempts: Int
        /// The pause between rounds of checks in
        /// ``DNSTXTLookup/waitForTXT(name:value:resolvers:delayBeforeChecks:timeout:recursionDesired:)``.
        /// Default: 1 second.
        public var pollInterval: Duration
        /// The UDP payload size announced in queries (EDNS, RFC 6891). Default: 1232.
        public var udpPayloadSize: UInt16

        /// Makes a value from its fields; defaults are documented on each property.
        public init(
            attemptTimeout: Duration = .seconds(2),
            attempts: Int = 3,
            pollInterval: Duration = .seconds(1),
            udpPayloadSize: UInt16 = 1232
        ) {
            self.attemptTimeout = attemptTimeout
            self.attempts = attempts
            self.pollInterval = pollInterval
            self.udpPayloadSize = udpPayloadSize
        }
    }

    /// The timeouts and retries in use.
    public let configuration: Configuration
    private let client: DNSClient
    private let logger: Logger

    /// - Parameters:
    ///   - eventLoopGroup: where the sockets run. Default: NIO's shared singleton group.
    ///   - logger: receives each check at debug level. Default: discards everything.
    public init(
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.dns.lookup", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.client = DNSClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.logger = logger
    }

    /// The TXT values at `name` according to `resolver`, each record's strings joined into one
    /// value; empty when the name has no TXT records or does not exist (NXDOMAIN). A CNAME
    /// chain in the answer is followed.
    /// - Throws: ``DNSLookupError`` naming the resolver and the name when every attempt timed
    ///   out or failed, or the resolver answered REFUSED, FORMERR or another error code.
    /// - Parameter recursionDesired: false to ask an authoritative server for its own data.
    public func lookupTXT(_ name: DomainName, at resolver: DNSAddress, recursionDesired: Bool = true) async throws(DNSLookupError) -> [String] {
        let response = try await self.client.query(name, type: .txt, at: resolver, recursionDesired: recursionDesired)
        switch response.responseCode {
        case .noError:
            return Self.txtValues(in: response, for: name)
        case .nameError:
            return []
        default:
            throw DNSLookupError(.errorResponse, name: name, resolver: resolver.description, responseCode: response.responseCode)
        }
    }

    /// Waits until every resolver shows `value` among the TXT values at `name`.
    ///
    /// Sleeps `delayBeforeChecks` first (Traefik's `propagation.delayBeforeChecks`), then asks
    /// all resolvers at once, and again every ``Configuration/pollInterval`` while some do not
    /// show the value yet, until `timeout` has passed since the first check. Resolvers that
    /// showed the value are not asked again.
    /// - Parameter resolvers: `host:port` addresses; when empty, the system's resolvers from
    ///   /etc/resolv.conf.
    /// - Parameter recursionDesired: false when `resolvers` are the zone's authoritative servers.
    /// - Throws: ``DNSPropagationError`` listing each resolver that never showed the value and
    ///   what it showed last (its values, or its lookup error), or saying the task was
    ///   cancelled.
    public func waitForTXT(
        name: DomainName,
        value: String,
        resolvers: [DNSAddress] = [],
        delayBeforeChecks: Duration = .zero,
        timeout: Duration,
        recursionDesired: Bool = true
    ) async throws(DNSPropagationError) {
        var pending = resolvers.isEmpty ? SystemResolvers.load() : resolvers
        var lastResults: [DNSAddress: String] = [:]
        let clock = ContinuousClock()
        let started = clock.now

        func failure(cancelled: Bool) -> DNSPropagationError {
            DNSPropagationError(
                name: name, value: value, waited: clock.now - started, isCancelled: cancelled,
                pending: pending.map { DNSPropagationError.Pending(resolver: $0.description, lastResult: lastResults[$0] ?? "not asked") }
            )
        }

        if delayBeforeChecks > .zero {
            do {
                try await Task.sleep(for: delayBeforeChecks)
            } catch {
                throw failure(cancelled: true)
            }
        }
        let deadline = clock.now + timeout
        while true {
            let results = await withTaskGroup(of: (DNSAddress, Result<[String], DNSLookupError>).self) { group in
                for resolver in pending {
                    group.addTask {
                        do throws(DNSLookupError) {
                            return (resolver, .success(try await self.lookupTXT(name, at: resolver, recursionDesired: recursionDesired)))
                        } catch {
                            return (resolver, .failure(error))
                        }
                    }
                }
                var results: [DNSAddress: Result<[String], DNSLookupError>] = [:]
                for await (resolver, result) in group {
                    results[resolver] = result
                }
                return results
            }
            pending.removeAll { resolver in
                switch results[resolver] {
                case .success(let values) where values.contains(value):
                    return true
                case .success(let values):
                    lastResults[resolver] = values.isEmpty ? "no TXT records" : "values " + values.map { "\"\($0)\"" }.joined(separator: ", ")
                case .failure(let error):
                    lastResults[resolver] = error.description
                case nil:
                    break
                }
                return false
            }
            self.logger.debug(
                "TXT propagation check",
                metadata: ["name": "\(name)", "pending": "\(pending.map(\.description).joined(separator: ","))"]
            )
            if pending.isEmpty {
                return
            }
            if Task.isCancelled {
                throw failure(cancelled: true)
            }
            guard clock.now + self.configuration.pollInterval <= deadline else {
                throw failure(cancelled: false)
            }
            do {
                try await Task.sleep(for: self.configuration.pollInterval)
            } catch {
                throw failure(cancelled: true)
            }
        }
    }

    /// The TXT values for `name` in a response, following CNAMEs in the answer section.
    static func txtValues(in response: DNSMessage, for name: DomainName) -> [String] {
        var target = name
        for _ in 0..<8 {
            guard let alias = response.answers.first(where: { $0.name == target && $0.type == .cname }),
                case .cname(let next) = alias.data
            else { break }
            target = next
        }
        return response.answers.filter { $0.name == target }.compactMap(\.data.text)
    }
}
