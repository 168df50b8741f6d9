/// The RDATA of a resource record, decoded for the types Gatehouse reads or writes and kept as
/// octets for every other type (RFC 3597).
public enum RecordData: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address, 4 octets (RFC 1035 §3.4.1).
    case a([UInt8])
    /// An IPv6 address, 16 octets (RFC 3596 §2.2).
    case aaaa([UInt8])
    /// The host name of an authoritative name server (RFC 1035 §3.3.11).
    case ns(DomainName)
    /// The canonical name of an alias (RFC 1035 §3.3.1).
    case cname(DomainName)
    /// Start of authority (RFC 1035 §3.3.13).
    case soa(StartOfAuthority)
    /// One or more character-strings of at most 255 octets each (RFC 1035 §3.3.14). A value
    /// longer than 255 octets is published as several strings that readers concatenate
    /// (RFC 7208 §3.3 does the same for SPF); see ``txt(value:)``.
    case txt([[UInt8]])
    /// Data of any other type, as octets.
    case unknown(type: RecordType, bytes: [UInt8])

    /// The TYPE this data belongs to.
    public var type: RecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .soa: .soa
        case .txt: .txt
        case .unknown(let type, _): type
        }
    }

    /// TXT data holding `value`, split into character-strings of at most 255 octets.
    public static func txt(value: String) -> RecordData {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { return .txt([[]]) }
        return .txt(stride(from: 0, to: bytes.count, by: 255).map { Array(bytes[$0..<min($0 + 255, bytes.count)]) })
    }

    /// For TXT data, the character-strings joined into one value, as ACME validators and
    /// `dig +short` readers do; `nil` for other types. Invalid UTF-8 is repaired with U+FFFD.
    public var text: String? {
        guard case .txt(let strings) = self else { return nil }
        return String(decoding: strings.joined(), as: UTF8.self)
    }

    /// A readable form for logs and error messages.
    public var description: String {
        switch self {
        case .a(let bytes):
            return bytes.map(String.init).joined(separator: ".")
        case .aaaa(let bytes):
            return stride(from: 0, to: bytes.count, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[min($0 + 1, bytes.count - 1)]), radix: 16)
            }.joined(separator: ":")
        case .ns(let name), .cname(let name):
            return name.description
        case .soa(let soa):
            return soa.description
        case .txt(let strings):
            return strings.map { "\"" + String(decoding: $0, as: UTF8.self) + "\"" }.joined(separator: " ")
        case .unknown(_, let bytes):
            return "\\# \(bytes.count)"
        }
    }
}
