/// A minimal reader of DER (ITU-T X.690) TLVs: enough to walk a certificate's TBSCertificate
/// header and a private key's outer structure. Single-byte tags only (all X.509 and PKCS tags
/// used here are), definite lengths only (DER forbids indefinite ones).
struct DERReader {
    /// A DER element: its identifier octet and content octets.
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
    }

    /// Why a DER walk stopped.
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Universal and context-specific tags used by the walkers.
    enum Tag {
        static let integer: UInt8 = 0x02
        static let bitString: UInt8 = 0x03
        static let octetString: UInt8 = 0x04
        static let null: UInt8 = 0x05
        static let objectIdentifier: UInt8 = 0x06
        static let utf8String: UInt8 = 0x0c
        static let printableString: UInt8 = 0x13
        static let teletexString: UInt8 = 0x14
        static let ia5String: UInt8 = 0x16
        static let utcTime: UInt8 = 0x17
        static let generalizedTime: UInt8 = 0x18
        static let universalString: UInt8 = 0x1c
        static let bmpString: UInt8 = 0x1e
        static let sequence: UInt8 = 0x30
        static let set: UInt8 = 0x31
        static let contextConstructed0: UInt8 = 0xa0
    }

    private var remaining: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.remaining = bytes
    }

    init(_ bytes: [UInt8]) {
        self.remaining = bytes[...]
    }

    var isAtEnd: Bool { remaining.isEmpty }

    /// The next element's tag, without consuming it.
    var peekTag: UInt8? { remaining.first }

    /// Consumes the next element.
    mutating func next() throws -> Element {
        guard let tag = remaining.first else {
            throw ParseError(description: "unexpected end of data")
        }
        guard tag & 0x1f != 0x1f else {
            throw ParseError(description: "multi-byte tags are not supported")
        }
        var index = remaining.index(after: remaining.startIndex)
        guard index < remaining.endIndex else {
            throw ParseError(description: "missing length")
        }
        let first = remaining[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7f)
            guard count >= 1, count <= 4 else {
                throw ParseError(description: "unsupported length encoding")
            }
            guard remaining.endIndex - index >= count else {
                throw ParseError(description: "truncated length")
            }
            for _ in 0..<count {
                length = length << 8 | Int(remaining[index])
                index += 1
            }
        }
        guard remaining.endIndex - index >= length else {
            throw ParseError(description: "element longer than its container")
        }
        let content = remaining[index..<(index + length)]
        remaining = remaining[(index + length)...]
        return Element(tag: tag, content: content)
    }

    /// Consumes the next element, which must have `tag`.
    mutating func next(_ tag: UInt8, _ what: String) throws -> Element {
        let element = try next()
        guard element.tag == tag else {
            throw ParseError(description: "\(what): expected tag 0x\(String(tag, radix: 16)), found 0x\(String(element.tag, radix: 16))")
        }
        return element
    }

    /// An OBJECT IDENTIFIER's content in dotted form, e.g. `2.5.4.3`.
    static func objectIdentifier(_ content: ArraySlice<UInt8>) throws -> String {
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var pending = false
        for byte in content {
            guard value < (1 << 56) else { throw ParseError(description: "object identifier arc too large") }
            value = value << 7 | UInt64(byte & 0x7f)
            pending = true
            if byte & 0x80 == 0 {
                if arcs.isEmpty {
                    let first: UInt64 = value < 40 ? 0 : (value < 80 ? 1 : 2)
                    arcs.append(first)
                    arcs.append(value - first * 40)
                } else {
                    arcs.append(value)
                }
                value = 0
                pending = false
            }
        }
        guard !pending, !arcs.isEmpty else { throw ParseError(description: "malformed object identifier") }
        return arcs.map(String.init).joined(separator: ".")
    }
}
