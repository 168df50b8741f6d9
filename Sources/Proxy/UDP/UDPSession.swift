import NIOCore
import NIOPosix

/// One client's session: a datagram socket of its own, connected to the server picked when the
/// session opened, whose source port identifies the client to that server. Lives on the entry
/// point's event loop and is driven by ``UDPListenerHandler``.
final class UDPSession {
    private enum State {
        /// The backend socket is being opened; datagrams wait here (bounded).
        case opening(pending: CircularBuffer<ByteBuffer>)
        case open(any Channel)
        case closed
    }

    let client: SocketAddress
    let server: UDPServer
    let routerName: String
    private var state: State = .opening(pending: CircularBuffer())
    private let maxPending: Int

    init(client: SocketAddress, server: UDPServer, routerName: String, maxPending: Int) {
        self.client = client
        self.server = server
        self.routerName = routerName
        self.maxPending = maxPending
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Opens the backend socket (resolving a host name on the shared thread pool first) with
    /// `listener` receiving what the server sends back. Completion is reported to the listener.
    func open(on eventLoop: any EventLoop, listener: UDPListenerHandler) {
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        let loopBoundListener = NIOLoopBound(listener, eventLoop: eventLoop)
        let address: EventLoopFuture<SocketAddress>
        if let resolved = server.resolvedAddress {
            address = eventLoop.makeSucceededFuture(resolved)
        } else {
            let host = server.host
            let port = server.port
            address = NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
                try SocketAddress.makeAddressResolvingHost(host, port: port)
            }
        }
        address.flatMap { address in
            DatagramBootstrap(group: eventLoop)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: UDPListenerHandler.receiveBufferSize))
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = UDPBackendHandler(session: loopBoundSelf.value, listener: loopBoundListener.value)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(to: address)
        }
        .assumeIsolated()
        .whenComplete { result in
            let session = loopBoundSelf.value
            switch result {
            case .success(let channel): session.opened(channel)
            case .failure(let error): loopBoundListener.value.sessionFailed(session, error: error)
            }
        }
    }

    private func opened(_ channel: any Channel) {
        guard case .opening(var pending) = state else {
            // Closed while opening (expired, entry point closing).
            channel.close(promise: nil)
            return
        }
        state = .open(channel)
        guard !pending.isEmpty else { return }
        while let datagram = pending.popFirst() {
            channel.write(datagram, promise: nil)
        }
        channel.flush()
    }

    /// Sends `datagram` to the server, or holds it while the socket opens.
    /// - Returns: `false` when it was dropped (too many held, the socket's send queue full, or
    ///   the session closed): UDP may drop, so memory stays bounded when a server is slow.
    @discardableResult
    func forward(_ datagram: ByteBuffer) -> Bool {
        switch state {
        case .open(let channel):
            guard channel.isWritable else { return false }
            channel.writeAndFlush(datagram, promise: nil)
            return true
        case .opening(var pending):
            guard pending.count < maxPending else { return false }
            state = .closed  // no copy-on-write of the buffer while it is mutated
            pending.append(datagram)
            state = .opening(pending: pending)
            return true
        case .closed:
            return false
        }
    }

    /// Closes the backend socket; later datagrams and replies are dropped.
    func close() {
        let previous = state
        state = .closed
        if case .open(let channel) = previous {
            channel.close(promise: nil)
        }
    }
}
