#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An IPv4 or IPv6 address, stored as plain integers (no allocation, cheap to compare and hash).
///
/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) stay IPv6 addresses — `IPAddress("::ffff:1.2.3.4")`
/// is not equal to `IPAddress("1.2.3.4")` — but ``IPNetwork/contains(_:)`` treats them as the IPv4
/// address they carry, as Go's `net.IPNet.Contains` does.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    @usableFromInline
    enum Storage: Sendable, Hashable {
        case v4(UInt32)
        case v6(high: UInt64, low: UInt64)
    }

    @usableFromInline
    let storage: Storage

    @inlinable
    init(storage: Storage) {
        self.storage = storage
    }

    /// An IPv4 address from its 32-bit value in host byte order (`0x7F000001` is `127.0.0.1`).
    public init(ipv4 value: UInt32) {
        self.storage = .v4(value)
    }

    /// An IPv6 address from its 128-bit value as two host-order halves.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.storage = .v6(high: high, low: low)
    }

    /// Parses the textual form: dotted-quad IPv4 (`192.0.2.1`, no leading zeros, as Go) or IPv6
    /// (`2001:db8::1`, `::ffff:192.0.2.1`, optionally in brackets, an optional `%zone` is ignored).
    /// Returns `nil` for anything else, including CIDR suffixes.
    public init?<S: StringProtocol>(_ text: S) {
        let parsed = text.utf8.withContiguousStorageIfAvailable { IPAddress.parse($0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { IPAddress.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The IP address of a socket address; `nil` for Unix domain sockets.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self.storage = .v4(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let (high, low) = withUnsafeBytes(of: &raw) { bytes -> (UInt64, UInt64) in
                var high: UInt64 = 0
                var low: UInt64 = 0
                for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
                for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
                return (high, low)
            }
            self.storage = .v6(high: high, low: low)
        case .unixDomainSocket:
            return nil
        }
    }

    /// `true` for IPv4 addresses (not for IPv4-mapped IPv6 addresses).
    public var isIPv4: Bool {
        if case .v4 = storage { return true }
        return false
    }

    /// `true` for IPv6 addresses, including IPv4-mapped ones.
    public var isIPv6: Bool { !isIPv4 }

    /// For an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), the IPv4 address it carries; `nil` otherwise.
    public var ipv4Mapped: IPAddress? {
        guard case .v6(let high, let low) = storage, high == 0, low >> 32 == 0xFFFF else { return nil }
        return IPAddress(storage: .v4(UInt32(truncatingIfNeeded: low)))
    }

    /// The address as an IPv4 address when it is one or carries one (IPv4-mapped), else itself.
    public var unmapped: IPAddress { ipv4Mapped ?? self }

    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        switch storage {
        case .v4(let value):
            return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    /// The canonical text: dotted quad for IPv4, RFC 5952 for IPv6 (`2001:db8::1`, `::ffff:1.2.3.4`).
    public var description: String {
        switch storage {
        case .v4(let value):
            return IPAddress.formatIPv4(value)
        case .v6(let high, let low):
            return IPAddress.formatIPv6(high: high, low: low)
        }
    }
}

// MARK: - Parsing

extension IPAddress {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var start = 0
        var end = bytes.count
        guard end > 0 else { return nil }
        if bytes[0] == UInt8(ascii: "[") {
            guard bytes[end - 1] == UInt8(ascii: "]") else { return nil }
            start = 1
            end -= 1
        }
        // An IPv6 zone (`fe80::1%eth0`) names an interface, not part of the address.
        var hasColon = false
        for i in start..<end {
            if bytes[i] == UInt8(ascii: ":") { hasColon = true }
            if bytes[i] == UInt8(ascii: "%") {
                guard hasColon, i > start, i + 1 < end else { return nil }
                end = i
                break
            }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if hasColon {
            guard let (high, low) = parseIPv6(slice) else { return nil }
            return IPAddress(storage: .v6(high: high, low: low))
        }
        guard start == 0, let value = parseIPv4(slice) else { return nil }
        return IPAddress(storage: .v4(value))
    }

    /// Dotted quad, four decimal parts 0–255, no leading zeros (Go rejects them since 1.17).
    static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var leadingZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                leadingZero = false
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var ellipsis = -1
        var i = 0
        let n = bytes.count
        guard n >= 2 else { return nil }
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            ellipsis = 0
            i = 2
            if i == n { return (0, 0) }
        }
        while i < n {
            // Either a hex group of 1–4 digits, or a trailing dotted IPv4 address.
            var j = i
            var group: UInt32 = 0
            while j < n, j - i < 5, let digit = hexValue(bytes[j]) {
                group = group << 4 | UInt32(digit)
                j += 1
            }
            if j < n, bytes[j] == UInt8(ascii: ".") {
                guard count <= 6, let v4 = parseIPv4(UnsafeBufferPointer(rebasing: bytes[i..<n])) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                i = n
                break
            }
            guard j > i, j - i <= 4, count < 8 else { return nil }
            groups[count] = UInt16(group)
            count += 1
            i = j
            if i == n { break }
            guard bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            if i < n, bytes[i] == UInt8(ascii: ":") {
                guard ellipsis < 0 else { return nil }
                ellipsis = count
                i += 1
                if i == n { break }
            } else if i == n {
                return nil  // a trailing single colon
            }
        }
        if ellipsis >= 0 {
            guard count < 8 else { return nil }
            let shift = 8 - count
            var k = count - 1
            while k >= ellipsis {
                groups[k + shift] = groups[k]
                k -= 1
            }
            for z in ellipsis..<(ellipsis + shift) { groups[z] = 0 }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for g in 0..<4 { high = high << 16 | UInt64(groups[g]) }
        for g in 4..<8 { low = low << 16 | UInt64(groups[g]) }
        return (high, low)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

// MARK: - Formatting

extension IPAddress {
    static func formatIPv4(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    static func formatIPv6(high: UInt64, low: UInt64) -> String {
        if high == 0 && low >> 32 == 0xFFFF {
            return "::ffff:" + formatIPv4(UInt32(truncatingIfNeeded: low))
        }
        var groups = [UInt16]()
        groups.reserveCapacity(8)
        for g in 0..<4 { groups.append(UInt16(truncatingIfNeeded: high >> (48 - 16 * g))) }
        for g in 0..<4 { groups.append(UInt16(truncatingIfNeeded: low >> (48 - 16 * g))) }
        // RFC 5952: compress the longest run (2 or more) of zero groups, the first one on a tie.
        var bestStart = -1
        var bestLength = 1
        var g = 0
        while g < 8 {
            if groups[g] == 0 {
                var e = g
                while e < 8 && groups[e] == 0 { e += 1 }
                if e - g > bestLength {
                    bestStart = g
                    bestLength = e - g
                }
                g = e
            } else {
                g += 1
            }
        }
        var text = ""
        g = 0
        while g < 8 {
            if g == bestStart {
                text += "::"
                g += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[g], radix: 16)
            g += 1
        }
        return text
    }
}
