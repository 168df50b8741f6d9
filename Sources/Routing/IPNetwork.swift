/// A block of IP addresses in CIDR notation: `10.0.0.0/8`, `2400:cb00::/32`, or a bare address
/// (`/32` for IPv4, `/128` for IPv6).
///
/// Host bits are cleared (`10.1.2.3/8` is `10.0.0.0/8`), as Go's `net.ParseCIDR` does. An IPv4-mapped
/// IPv6 network (`::ffff:10.0.0.0/104`) is stored as the IPv4 network it covers (`10.0.0.0/8`), and
/// ``contains(_:)`` answers for IPv4-mapped IPv6 addresses as for the IPv4 address they carry.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let address: IPAddress
    /// The number of leading bits that are fixed: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// A network from an address and a prefix length; host bits are cleared. Returns `nil` when the
    /// prefix length is out of range for the address family.
    public init?(address: IPAddress, prefixLength: Int) {
        switch address.storage {
        case .v4(let value):
            guard (0...32).contains(prefixLength) else { return nil }
            self.address = IPAddress(storage: .v4(value & IPNetwork.mask32(prefixLength)))
            self.prefixLength = prefixLength
        case .v6(let high, let low):
            guard (0...128).contains(prefixLength) else { return nil }
            if prefixLength >= 96, high == 0, low >> 32 == 0xFFFF {
                let v4 = UInt32(truncatingIfNeeded: low)
                let length = prefixLength - 96
                self.address = IPAddress(storage: .v4(v4 & IPNetwork.mask32(length)))
                self.prefixLength = length
                return
            }
            let (maskHigh, maskLow) = IPNetwork.mask128(prefixLength)
            self.address = IPAddress(storage: .v6(high: high & maskHigh, low: low & maskLow))
            self.prefixLength = prefixLength
        }
    }

    /// Parses `address/length` or a bare address; throws ``IPNetworkParseError`` with a message
    /// naming the problem.
    public init(parsing text: some StringProtocol) throws(IPNetworkParseError) {
        let trimmed = Substring(text).trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw IPNetworkParseError(text: String(text), reason: "empty address") }
        if let slash = trimmed.lastIndex(of: "/") {
            let addressText = trimmed[..<slash]
            let lengthText = trimmed[trimmed.index(after: slash)...]
            guard let address = IPAddress(addressText) else {
                throw IPNetworkParseError(text: String(text), reason: "\"\(addressText)\" is not an IP address")
            }
            guard !lengthText.isEmpty, lengthText.utf8.count <= 3,
                  lengthText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let length = Int(lengthText) else {
                throw IPNetworkParseError(text: String(text), reason: "prefix length \"\(lengthText)\" is not a number")
            }
            let maximum = address.isIPv4 ? 32 : 128
            guard let network = IPNetwork(address: address, prefixLength: length) else {
                throw IPNetworkParseError(text: String(text), reason: "prefix length \(length) is larger than \(maximum)")
            }
            self = network
        } else {
            guard let address = IPAddress(trimmed) else {
                throw IPNetworkParseError(text: String(text), reason: "not an IP address or CIDR block")
            }
            self.init(host: address)
        }
    }

    /// Parses like ``init(parsing:)`` but returns `nil` on error.
    public init?(_ text: some StringProtocol) {
        guard let network = try? IPNetwork(parsing: text) else { return nil }
        self = network
    }

    /// The network holding exactly one address (`/32` or `/128`).
    public init(host address: IPAddress) {
        // A single address is always a valid network.
        self = IPNetwork(address: address, prefixLength: address.isIPv4 ? 32 : 128)!
    }

    /// Whether `candidate` lies in this network. IPv4-mapped IPv6 addresses are compared as IPv4.
    @inlinable
    public func contains(_ candidate: IPAddress) -> Bool {
        switch address.storage {
        case .v4(let network):
            let value: UInt32
            switch candidate.storage {
            case .v4(let v4):
                value = v4
            case .v6(let high, let low):
                guard high == 0, low >> 32 == 0xFFFF else { return false }
                value = UInt32(truncatingIfNeeded: low)
            }
            let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
            return value & mask == network
        case .v6(let networkHigh, let networkLow):
            guard case .v6(let high, let low) = candidate.storage else { return false }
            if prefixLength <= 64 {
                let mask: UInt64 = prefixLength == 0 ? 0 : ~UInt64(0) << UInt64(64 - prefixLength)
                return high & mask == networkHigh
            }
            let mask: UInt64 = ~UInt64(0) << UInt64(128 - prefixLength)
            return high == networkHigh && low & mask == networkLow
        }
    }

    /// `address/prefixLength`, e.g. `10.0.0.0/8`, `2400:cb00::/32`.
    public var description: String { "\(address)/\(prefixLength)" }

    static func mask32(_ length: Int) -> UInt32 {
        length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
    }

    static func mask128(_ length: Int) -> (UInt64, UInt64) {
        if length <= 64 {
            return (length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length), 0)
        }
        return (~UInt64(0), length == 128 ? ~UInt64(0) : ~UInt64(0) << UInt64(128 - length))
    }
}

/// Why a text is not an IP address or CIDR block.
public struct IPNetworkParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that was parsed.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid IP or CIDR \"\(text)\": \(reason)" }
}
