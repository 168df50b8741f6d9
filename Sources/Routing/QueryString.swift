/// Lookups in a raw query string with Go's `url.ParseQuery` rules, without building a dictionary:
/// pairs are separated by `&`; a pair containing `;` is rejected (skipped); keys and values are
/// unescaped (`+` is a space, `%XX` a byte), and a pair whose escapes are invalid is skipped; a key
/// without `=` has the empty value.
enum QueryString {
    /// Whether some value of `key` in `query` satisfies `predicate`.
    static func containsValue(in query: String, forKey key: String, where predicate: (String) -> Bool) -> Bool {
        if let result = query.utf8.withContiguousStorageIfAvailable({ bytes in
            search(bytes, key: key, predicate: predicate)
        }) {
            return result
        }
        return Array(query.utf8).withUnsafeBufferPointer { search($0, key: key, predicate: predicate) }
    }

    private static func search(_ bytes: UnsafeBufferPointer<UInt8>, key: String, predicate: (String) -> Bool) -> Bool {
        var start = 0
        let count = bytes.count
        while start <= count {
            var end = start
            var equals = -1
            var hasSemicolon = false
            while end < count && bytes[end] != UInt8(ascii: "&") {
                if bytes[end] == UInt8(ascii: "=") && equals < 0 { equals = end }
                if bytes[end] == UInt8(ascii: ";") { hasSemicolon = true }
                end += 1
            }
            defer { start = end + 1 }
            if end == start || hasSemicolon { continue }
            let keyEnd = equals < 0 ? end : equals
            let rawKey = UnsafeBufferPointer(rebasing: bytes[start..<keyEnd])
            guard keyMatches(rawKey, key) else { continue }
            let rawValue = equals < 0 ? UnsafeBufferPointer(rebasing: bytes[end..<end])
                : UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end])
            guard let value = unescape(rawValue) else { continue }
            if predicate(value) { return true }
        }
        return false
    }

    private static func keyMatches(_ raw: UnsafeBufferPointer<UInt8>, _ key: String) -> Bool {
        if !raw.contains(UInt8(ascii: "%")) && !raw.contains(UInt8(ascii: "+")) {
            let count = raw.count
            guard count == key.utf8.count else { return false }
            return key.utf8.withContiguousStorageIfAvailable { Bytes.equal(raw.baseAddress, $0.baseAddress, count) }
                ?? raw.elementsEqual(key.utf8)
        }
        guard let decoded = unescape(raw) else { return false }
        return Bytes.equal(decoded, key)
    }

    /// `QueryUnescape`: nil when a `%` is not followed by two hex digits.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        if !raw.contains(UInt8(ascii: "%")) && !raw.contains(UInt8(ascii: "+")) {
            return String(decoding: raw, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < raw.count, Bytes.isHexDigit(raw[i + 1]), Bytes.isHexDigit(raw[i + 2]) else { return nil }
                output.append(Bytes.hexValue(raw[i + 1]) << 4 | Bytes.hexValue(raw[i + 2]))
                i += 3
            } else {
                output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
