/// Blowfish's key schedule and block function, with bcrypt's salted ("expensive") key expansion.
struct Blowfish {
    private var p: [UInt32]
    private var s: [UInt32]

    /// The initial state: pi's digits.
    init() {
        p = Array(BlowfishConstants.piWords[0..<18])
        s = Array(BlowfishConstants.piWords[18...])
    }

    @inline(__always)
    private func f(_ x: UInt32) -> UInt32 {
        s.withUnsafeBufferPointer { s in
            ((s[Int(x >> 24)] &+ s[256 + Int((x >> 16) & 0xFF)]) ^ s[512 + Int((x >> 8) & 0xFF)]) &+ s[768 + Int(x & 0xFF)]
        }
    }

    /// One 64-bit block, as two big-endian halves.
    @inline(__always)
    func encipher(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        var l = left
        var r = right
        p.withUnsafeBufferPointer { p in
            for round in stride(from: 0, to: 16, by: 2) {
                l ^= p[round]
                r ^= f(l)
                r ^= p[round + 1]
                l ^= f(r)
            }
            l ^= p[16]
            r ^= p[17]
        }
        return (r, l)
    }

    /// Mixes `key` into the P-array, then re-keys P and S by enciphering, XOR-ing in `salt` when
    /// given (bcrypt's `Blowfish_expandstate`; without salt `Blowfish_expand0state`).
    mutating func expand(key: [UInt8], salt: [UInt8]? = nil) {
        var keyIndex = 0
        for index in 0..<18 {
            p[index] ^= Self.word(key, &keyIndex)
        }
        var saltIndex = 0
        var l: UInt32 = 0
        var r: UInt32 = 0
        // The P-array, then the four S-boxes, refilled two words at a time.
        for index in stride(from: 0, to: 18 + 1024, by: 2) {
            if let salt {
                l ^= Self.word(salt, &saltIndex)
                r ^= Self.word(salt, &saltIndex)
            }
            (l, r) = encipher(l, r)
            if index < 18 {
                p[index] = l
                p[index + 1] = r
            } else {
                s[index - 18] = l
                s[index - 17] = r
            }
        }
    }

    /// The next four bytes of `data` as a big-endian word, wrapping around.
    @inline(__always)
    private static func word(_ data: [UInt8], _ index: inout Int) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            value = (value << 8) | UInt32(data[index])
            index = (index + 1) % data.count
        }
        return value
    }
}
