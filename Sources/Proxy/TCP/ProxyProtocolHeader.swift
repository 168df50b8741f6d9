import NIOCore
import Routing

/// The PROXY protocol version written to a backend before any byte of the client's.
public enum ProxyProtocolVersion: Int, Sendable {
    /// Version 1: one text line, `PROXY TCP4 <src> <dst> <sport> <dport>\r\n`.
    case v1 = 1
    /// Version 2: a binary header with a 12-byte signature.
    case v2 = 2
}

/// The PROXY protocol header (haproxy.org `proxy-protocol.txt`) that tells a backend who the
/// client is: the client's address and port (source) and the address and port the client
/// connected to (destination).
///
/// When either address is unknown, or the two are of different families, the header says so:
/// `PROXY UNKNOWN\r\n` in version 1, the `UNSPEC` family with no address block in version 2.
/// IPv4-mapped IPv6 addresses are written as IPv4 when both ends are IPv4 underneath.
public struct ProxyProtocolHeader: Sendable, Equatable {
    /// One end of the client's connection.
    public struct Endpoint: Sendable, Equatable {
        public let address: IPAddress
        public let port: Int

        /// An address and a port (0…65535).
        public init(address: IPAddress, port: Int) {
            self.address = address
            self.port = port
        }

        /// The endpoint of a socket address; `nil` for Unix domain sockets.
        public init?(_ socketAddress: SocketAddress?) {
            guard let socketAddress, let address = IPAddress(socketAddress), let port = socketAddress.port else { return nil }
            self.init(address: address, port: port)
        }
    }

    /// The client's end.
    public let source: Endpoint?
    /// The end the client connected to (the entry point's local address).
    public let destination: Endpoint?

    /// A header for a connection from `source` to `destination`.
    public init(source: Endpoint?, destination: Endpoint?) {
        self.source = source
        self.destination = destination
    }

    /// Both ends in one family: IPv4 when both are IPv4 or IPv4-mapped, else IPv6 when both are
    /// IPv6; `nil` when the header must say UNKNOWN/UNSPEC.
    private var addresses: (source: Endpoint, destination: Endpoint, isIPv4: Bool)? {
        guard let source, let destination else { return nil }
        let s = source.address.unmapped
        let d = destination.address.unmapped
        if s.isIPv4 && d.isIPv4 {
            return (Endpoint(address: s, port: source.port), Endpoint(address: d, port: destination.port), true)
        }
        if source.address.isIPv6 && destination.address.isIPv6 {
            return (source, destination, false)
        }
        return nil
    }

    /// The header's bytes in the given version.
    public func encoded(_ version: ProxyProtocolVersion) -> [UInt8] {
        switch version {
        case .v1: return encodedV1()
        case .v2: return encodedV2()
        }
    }

    /// `PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n` (at most 107 bytes).
    private func encodedV1() -> [UInt8] {
        guard let ends = addresses else {
            return Array("PROXY UNKNOWN\r\n".utf8)
        }
        let (source, destination, isIPv4) = ends
        let family = isIPv4 ? "TCP4" : "TCP6"
        let line = "PROXY \(family) \(source.address) \(destination.address) \(source.port) \(destination.port)\r\n"
        return Array(line.utf8)
    }

    /// Signature, version/command, family/transport, length, then the address block.
    private func encodedV2() -> [UInt8] {
        var bytes = Self.v2Signature
        // Version 2 in the high nibble, command PROXY (1) in the low one.
        bytes.append(0x21)
        guard let ends = addresses else {
            // AF_UNSPEC, UNSPEC transport, no address block: the receiver uses the real addresses.
            bytes.append(contentsOf: [0x00, 0x00, 0x00])
            return bytes
        }
        let (source, destination, isIPv4) = ends
        // Address family (AF_INET 1, AF_INET6 2) in the high nibble, STREAM (1) in the low one.
        bytes.append(isIPv4 ? 0x11 : 0x21)
        let length: UInt16 = isIPv4 ? 12 : 36
        bytes.append(UInt8(length >> 8))
        bytes.append(UInt8(length & 0xFF))
        bytes.append(contentsOf: source.address.bytes)
        bytes.append(contentsOf: destination.address.bytes)
        for port in [source.port, destination.port] {
            bytes.append(UInt8(truncatingIfNeeded: port >> 8))
            bytes.append(UInt8(truncatingIfNeeded: port))
        }
        return bytes
    }

    /// `\r\n\r\n\0\r\nQUIT\n`: the 12 bytes every version 2 header starts with.
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
}
