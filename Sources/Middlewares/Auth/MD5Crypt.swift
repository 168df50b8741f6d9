import Crypto

/// Poul-Henning Kamp's MD5-based crypt, as `$1$salt$hash`, and Apache's variant with the
/// magic `$apr1$` (the htpasswd default before bcrypt).
enum MD5Crypt {
    private static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Whether `password` hashes to `encoded` (`$apr1$…` or `$1$…`).
    static func verify(password: [UInt8], encoded: String) -> Bool {
        let magic: String
        if encoded.hasPrefix("$apr1$") {
            magic = "$apr1$"
        } else if encoded.hasPrefix("$1$") {
            magic = "$1$"
        } else {
            return false
        }
        let rest = encoded.dropFirst(magic.count)
        guard let dollar = rest.firstIndex(of: "$") else { return false }
        let salt = Array(rest[..<dollar].utf8.prefix(8))
        let computed = hash(password: password, salt: salt, magic: Array(magic.utf8))
        return ConstantTime.equal(Array(computed.utf8), Array(rest[rest.index(after: dollar)...].utf8))
    }

    /// The 22-character hash part.
    static func hash(password: [UInt8], salt: [UInt8], magic: [UInt8]) -> String {
        let alternate = Array(Insecure.MD5.hash(data: password + salt + password))
        var context = Insecure.MD5()
        context.update(data: password + magic + salt)
        var remaining = password.count
        while remaining > 0 {
            context.update(data: alternate.prefix(min(16, remaining)))
            remaining -= 16
        }
        var bits = password.count
        while bits > 0 {
            context.update(data: (bits & 1) != 0 ? [0] : [password.first ?? 0])
            bits >>= 1
        }
        var digest = Array(context.finalize())
        for round in 0..<1000 {
            var step = Insecure.MD5()
            step.update(data: (round & 1) != 0 ? password : digest)
            if round % 3 != 0 { step.update(data: salt) }
            if round % 7 != 0 { step.update(data: password) }
            step.update(data: (round & 1) != 0 ? digest : password)
            digest = Array(step.finalize())
        }
        var out: [UInt8] = []
        func encode(_ a: UInt8, _ b: UInt8, _ c: UInt8, count: Int) {
            var value = (UInt32(a) << 16) | (UInt32(b) << 8) | UInt32(c)
            for _ in 0..<count {
                out.append(alphabet[Int(value & 0x3F)])
                value >>= 6
            }
        }
        encode(digest[0], digest[6], digest[12], count: 4)
        encode(digest[1], digest[7], digest[13], count: 4)
        encode(digest[2], digest[8], digest[14], count: 4)
        encode(digest[3], digest[9], digest[15], count: 4)
        encode(digest[4], digest[10], digest[5], count: 4)
        encode(0, 0, digest[11], count: 2)
        return String(decoding: out, as: UTF8.self)
    }
}
