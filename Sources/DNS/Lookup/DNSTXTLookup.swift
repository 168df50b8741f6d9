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
        /// ``DNSTXTLookup/waitForTXT(name:value:resolvers:delayBeforeChecks:timeout:)``.
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
    private let group: any EventLoopGroup
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
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// The TXT values at `name` according to `resolver`, each record's strings joined into one
    /// value; empty when the name has no TXT records or does not exist (NXDOMAIN). A CNAME
    /// chain in the answer is followed.
    /// - Throws: ``DNSLookupError`` naming the resolver and the name when every attempt timed
    ///   out or failed, or the resolver answered REFUSED, FORMERR or another error code.
    public func lookupTXT(_ name: DomainName, at resolver: DNSAddress) async throws(DNSLookupError) -> [String] {
        let server: SocketAddress
        do {
            server = try resolver.socketAddress()
        } catch {
            throw DNSLookupError(.invalidResolver, name: name, resolver: resolver.description, detail: error.reason.description)
        }
        let attempts = max(1, self.configuration.attempts)
        var lastError = DNSLookupError(.timedOut, name: name, resolver: resolver.description)
        for attempt in 1...attempts {
            guard !Task.isCancelled else {
                throw DNSLookupError(.cancelled, name: name, resolver: resolver.description)
            }
            let query = DNSMessage(
                id: .random(in: 0...UInt16.max),
                recursionDesired: true,
                questions: [Question(name: name, type: .txt)],
                edns: EDNS(udpPayloadSize: self.configuration.udpPayloadSize)
            )
            do {
                var response = try await self.exchange(query, with: server, overTCP: false)
                if response.isTruncated {
                    response = try await self.exchange(query, with: server, overTCP: true)
                }
                switch response.responseCode {
                case .noError:
                    return Self.txtValues(in: response, for: name)
                case .nameError:
                    return []
                case .serverFailure:
                    lastError = DNSLookupError(
                        .errorResponse, name: name, resolver: resolver.description, responseCode: .serverFailure,
                        detail: "\(attempt) attempts"
                    )
                default:
                    throw DNSLookupError(.errorResponse, name: name, resolver: resolver.description, responseCode: response.responseCode)
                }
            } catch let error as DNSLookupError {
                throw error
            } catch ExchangeFailure.timedOut {
                lastError = DNSLookupError(.timedOut, name: name, resolver: resolver.description, detail: "\(attempt) attempts of \(self.configuration.attemptTimeout)")
            } catch {
                lastError = DNSLookupError(.network, name: name, resolver: resolver.description, detail: "\(error)")
            }
            self.logger.debug(
                "TXT lookup attempt failed",
                metadata: ["name": "\(name)", "resolver": "\(resolver)", "attempt": "\(attempt)", "error": "\(lastError)"]
            )
        }
        throw lastError
    }

    /// Waits until every resolver shows `value` among the TXT values at `name`.
    ///
    /// Sleeps `delayBeforeChecks` first (Traefik's `propagation.delayBeforeChecks`), then asks
    /// all resolvers at once, and again every ``Configuration/pollInterval`` while some do not
    /// show the value yet, until `timeout` has passed since the first check. Resolvers that
    /// showed the value are not asked again.
    /// - Parameter resolvers: `host:port` addresses; when empty, the system's resolvers from
    ///   /etc/resolv.conf.
    /// - Throws: ``DNSPropagationError`` listing each resolver that never showed the value and
    ///   what it showed last (its values, or its lookup error), or saying the task was
    ///   cancelled.
    public func waitForTXT(
        name: DomainName,
        value: String,
        resolvers: [DNSAddress] = [],
        delayBeforeChecks: Duration = .zero,
        timeout: Duration
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
                            return (resolver, .success(try await self.lookupTXT(name, at: resolver)))
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

    // MARK: - Exchanges

    /// Sends `query` to `server` and waits for the matching response, within the attempt
    /// timeout.
    private func exchange(_ query: DNSMessage, with server: SocketAddress, overTCP: Bool) async throws -> DNSMessage {
        let eventLoop = self.group.any()
        let completion = ExchangeCompletion(promise: eventLoop.makePromise(of: DNSMessage.self))
        let timeout = TimeAmount(self.configuration.attemptTimeout)
        let timer = eventLoop.scheduleTask(in: timeout) {
            completion.fail(ExchangeFailure.timedOut)
        }
        defer { timer.cancel() }

        var channel: (any Channel)? = nil
        do {
            if overTCP {
                channel = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(timeout)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(ByteToMessageHandler(LengthPrefixedFrameDecoder()))
                            try sync.addHandler(StreamResponseHandler(query: query, completion: completion))
                        }
                    }
                    .connect(to: server)
                    .get()
            } else {
                let udp = try await DatagramBootstrap(group: eventLoop)
                    // Room for more than the payload size announced, in case a server ignores it.
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DatagramResponseHandler(query: query, completion: completion))
                        }
                    }
                    .connect(to: server)
                    .get()
                channel = udp
                udp.writeAndFlush(query.serialized(allocator: udp.allocator)).whenFailure { error in
                    completion.fail(error)
                }
            }
        } catch {
            completion.fail(error)
        }
        let result = await Result(catching: { try await completion.promise.futureResult.get() })
        try? await channel?.close()
        return try result.get()
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
