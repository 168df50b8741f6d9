// Byte-level helpers for the matching hot path. Go compares strings byte by byte; Swift's `==`
// compares by canonical equivalence, which is both slower for non-ASCII text and different.

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isASCIIWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isASCIIWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}

extension Character {
    var isASCIIWhitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n"
    }
}

enum Bytes {
    /// Byte-wise equality of the UTF-8 forms.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        if let result = a.utf8.withContiguousStorageIfAvailable({ ap in
            b.utf8.withContiguousStorageIfAvailable { bp in
                equal(ap.baseAddress, bp.baseAddress, count)
            }
        }), let result {
            return result
        }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// Whether the UTF-8 form of `text` starts with that of `prefix`.
    @inline(__always)
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        let count = prefix.utf8.count
        guard text.utf8.count >= count else { return false }
        if let result = text.utf8.withContiguousStorageIfAvailable({ tp in
            prefix.utf8.withContiguousStorageIfAvailable { pp in
                equal(tp.baseAddress, pp.baseAddress, count)
            }
        }), let result {
            return result
        }
        return text.utf8.starts(with: prefix.utf8)
    }

    /// Compares `count` bytes 8 at a time; for the short strings of routing this beats a call to
    /// `memcmp`.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count > 0, let a, let b else { return true }
        let x = UnsafeRawPointer(a)
        let y = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= count {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        if count >= 8 {
            // The last (overlapping) word.
            return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// ASCII case-insensitive equality of the UTF-8 forms (non-ASCII bytes must be equal).
    @inline(__always)
    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        if let result = a.utf8.withContiguousStorageIfAvailable({ ap in
            b.utf8.withContiguousStorageIfAvailable { bp in
                for i in 0..<count where ap[i] != bp[i] && lowercase(ap[i]) != lowercase(bp[i]) { return false }
                return true
            }
        }), let result {
            return result
        }
        return a.utf8.elementsEqual(b.utf8) { $0 == $1 || lowercase($0) == lowercase($1) }
    }

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte &- UInt8(ascii: "0") < 10) || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte &- UInt8(ascii: "0") : (byte | 0x20) &- UInt8(ascii: "a") &+ 10
    }
}
