/// bcrypt (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999) as htpasswd writes
/// it: `$2y$` (also `$2a$`, `$2b$`), a two-digit cost, 22 characters of salt and 31 of hash.
///
/// The password with its terminating NUL is the Blowfish key, cut at 72 bytes.
enum Bcrypt {
    /// Whether `password` hashes to `encoded`; `false` for anything that is not a bcrypt hash.
    static func verify(password: [UInt8], encoded: String) -> Bool {
        guard let parsed = Parsed(encoded), let computed = hash(password: password, cost: parsed.cost, salt: parsed.salt) else {
            return false
        }
        return ConstantTime.equal(computed, parsed.hash)
    }

    /// The 23 hash bytes bcrypt keeps, or `nil` for a cost outside 4...31.
    static func hash(password: [UInt8], cost: Int, salt: [UInt8]) -> [UInt8]? {
        guard (4...31).contains(cost), salt.count == 16 else { return nil }
        var key = Array(password.prefix(72))
        if key.count < 72 { key.append(0) }
        var state = Blowfish()
        state.expand(key: key, salt: salt)
        for _ in 0..<(1 << cost) {
            state.expand(key: key)
            state.expand(key: salt)
        }
        // "OrpheanBeholderScryDoubt", as six big-endian words, enciphered 64 times.
        var words: [UInt32] = [0x4F72_7068, 0x6561_6E42, 0x6568_6F6C, 0x6465_7253, 0x6372_7944, 0x6F75_6274]
        for _ in 0..<64 {
            for block in stride(from: 0, to: 6, by: 2) {
                (words[block], words[block + 1]) = state.encipher(words[block], words[block + 1])
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        for word in words {
            bytes += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return Array(bytes.prefix(23))
    }

    /// The parts of an encoded hash.
    struct Parsed {
        let cost: Int
        let salt: [UInt8]
        let hash: [UInt8]

        init?(_ encoded: String) {
            let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
            // "", "2y", "10", salt+hash
            guard parts.count == 4, parts[0].isEmpty, ["2a", "2b", "2y"].contains(parts[1]),
                  parts[2].count == 2, let cost = Int(parts[2]), parts[3].count == 53,
                  let salt = BcryptBase64.decode(parts[3].prefix(22), count: 16),
                  let hash = BcryptBase64.decode(parts[3].suffix(31), count: 23) else { return nil }
            self.cost = cost
            self.salt = salt
            self.hash = hash
        }
    }
}

/// bcrypt's own base-64 alphabet (`./A-Za-z0-9`), without padding.
enum BcryptBase64 {
    private static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The first `count` bytes encoded in `text`, or `nil` for a character outside the alphabet.
    static func decode(_ text: Substring, count: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text.utf8 {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes.count >= count ? Array(bytes.prefix(count)) : nil
    }
}

/// Comparison whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
