import Logging
import NIOCore
import NIOPosix

/// One response as received: the parsed message and its octets (a TSIG check needs the octets
/// exactly as the server signed them).
public struct DNSResponse: Sendable {
    /// The parsed message.
    public var message: DNSMessage
    /// The message's octets, without the TCP length prefix.
    public var bytes: ByteBuffer

    /// - Parameters: see the properties.
    public init(message: DNSMessage, bytes: ByteBuffer) {
        self.message = message
        self.bytes = bytes
    }
}

/// The transport of one exchange.
public struct DNSTransport: Hashable, Sendable, CustomStringConvertible {
    private enum Base: Hashable, Sendable {
        case udp, tcp
    }

    private let base: Base

    /// UDP, asked again over TCP when the answer comes back truncated.
    public static let udp = DNSTransport(base: .udp)
    /// TCP only.
    public static let tcp = DNSTransport(base: .tcp)

    /// `udp` or `tcp`.
    public var description: String { self.base == .udp ? "udp" : "tcp" }
}

/// The DNS client under ``DNSTXTLookup``, ``ZoneFinder`` and the RFC 2136 provider: sends one
/// message to one server and waits for its response.
///
/// Each exchange uses a fresh socket with a random port (UDP) and a message ID chosen by the
/// caller; responses whose ID or question do not match are ignored.
public struct DNSClient: Sendable {
    /// Timeouts and retries (shared with ``DNSTXTLookup``).
    public let configuration: DNSTXTLookup.Configuration
    private let group: any EventLoopGroup
    private let logger: Logger

    /// - Parameters:
    ///   - eventLoopGroup: where the sockets run. Default: NIO's shared singleton group.
    ///   - logger: receives failed attempts at debug level. Default: discards everything.
    public init(
        configuration: DNSTXTLookup.Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.dns.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Asks `server` for the records of `type` at `name` and returns the whole response,
    /// whatever its response code except SERVFAIL, which is retried like a timeout.
    ///
    /// Tries ``DNSTXTLookup/Configuration/attempts`` times; each attempt goes over UDP (with
    /// EDNS) and again over TCP when the answer is truncated.
    /// - Parameter recursionDesired: RD; false to ask an authoritative server for its own data.
    /// - Throws: ``DNSLookupError`` naming the server, the name and the type: timed out,
    ///   SERVFAIL on every attempt, a socket error, or an address that is not an IP literal.
    public func query(
        _ name: DomainName,
        type: RecordType,
        at server: DNSAddress,
        recursionDesired: Bool = true
    ) async throws(DNSLookupError) -> DNSMessage {
        let attempts = max(1, self.configuration.attempts)
        var lastError = DNSLookupError(.timedOut, name: name, type: type, resolver: server.description)
        for attempt in 1...attempts {
            let query = DNSMessage(
                id: .random(in: 0...UInt16.max),
                recursionDesired: recursionDesired,
                questions: [Question(name: name, type: type)],
                edns: EDNS(udpPayloadSize: self.configuration.udpPayloadSize)
            )
            do {
                let response = try await self.exchange(query, with: server, transport: .udp).message
                guard response.responseCode == .serverFailure else { return response }
                lastError = DNSLookupError(
                    .errorResponse, name: name, type: type, resolver: server.description, responseCode: .serverFailure,
                    detail: "\(attempt) attempts"
                )
            } catch where error.code == .timedOut || error.code == .network {
                lastError = DNSLookupError(
                    error.code, name: name, type: type, resolver: server.description,
                    detail: error.code == .timedOut ? "\(attempt) attempts of \(self.configuration.attemptTimeout)" : error.detail
                )
            }
            self.logger.debug(
                "DNS query attempt failed",
                metadata: ["name": "\(name)", "type": "\(type)", "server": "\(server)", "attempt": "\(attempt)", "error": "\(lastError)"]
            )
        }
        throw lastError
    }

    /// Sends `message` to `server` once and waits for the response to it, within
    /// ``DNSTXTLookup/Configuration/attemptTimeout`` (or `timeout`).
    /// - Parameters:
    ///   - wire: the octets to send when they differ from `message`'s own wire form (a TSIG
    ///     signature appended); the response is matched against `message`.
    ///   - transport: ``DNSTransport/udp`` (TCP again when truncated) or ``DNSTransport/tcp``.
    /// - Throws: ``DNSLookupError`` with code timed out, network, invalid resolver or
    ///   cancelled; the type is the message's first question's.
    public func exchange(
        _ message: DNSMessage,
        wire: ByteBuffer? = nil,
        with server: DNSAddress,
        transport: DNSTransport,
        timeout: Duration? = nil
    ) async throws(DNSLookupError) -> DNSResponse {
        let name = message.questions.first?.name ?? .root
        let type = message.questions.first?.type ?? .any
        guard !Task.isCancelled else {
            throw DNSLookupError(.cancelled, name: name, type: type, resolver: server.description)
        }
        let address: SocketAddress
        do {
            address = try server.socketAddress()
        } catch {
            throw DNSLookupError(.invalidResolver, name: name, type: type, resolver: server.description, detail: error.reason.description)
        }
        let bytes = wire ?? message.serialized()
        let timeout = timeout ?? self.configuration.attemptTimeout
        do {
            if transport == .tcp {
                return try await self.send(message, bytes: bytes, to: address, overTCP: true, timeout: timeout)
            }
            let response = try await self.send(message, bytes: bytes, to: address, overTCP: false, timeout: timeout)
            guard response.message.isTruncated else { return response }
            return try await self.send(message, bytes: bytes, to: address, overTCP: true, timeout: timeout)
        } catch ExchangeFailure.timedOut {
            throw DNSLookupError(.timedOut, name: name, type: type, resolver: server.description, detail: "no answer in \(timeout)")
        } catch {
            throw DNSLookupError(.network, name: name, type: type, resolver: server.description, detail: "\(error)")
        }
    }

    /// One send and receive on a new socket.
    private func send(_ query: DNSMessage, bytes: ByteBuffer, to server: SocketAddress, overTCP: Bool, timeout: Duration) async throws -> DNSResponse {
        let eventLoop = self.group.any()
        let completion = ExchangeCompletion(promise: eventLoop.makePromise(of: DNSResponse.self))
        let timeAmount = TimeAmount(timeout)
        let timer = eventLoop.scheduleTask(in: timeAmount) {
            completion.fail(ExchangeFailure.timedOut)
        }
        defer { timer.cancel() }

        var channel: (any Channel)? = nil
        do {
            if overTCP {
                channel = try await ClientBootstrap(group: eventLoop)
                    .connectTimeout(timeAmount)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(ByteToMessageHandler(LengthPrefixedFrameDecoder()))
                            try sync.addHandler(StreamResponseHandler(query: query, wire: bytes, completion: completion))
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
                udp.writeAndFlush(bytes).whenFailure { error in
                    completion.fail(error)
                }
            }
        } catch {
            completion.fail(error)
        }
        let result: Result<DNSResponse, any Error>
        do {
            result = .success(try await completion.promise.futureResult.get())
        } catch {
            result = .failure(error)
        }
        try? await channel?.close()
        return try result.get()
    }
}
