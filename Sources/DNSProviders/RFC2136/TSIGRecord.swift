import DNS

/// The TSIG pseudo-record's fields (RFC 8945 §4.2): owner is the key name, class ANY, TTL 0,
/// and RDATA
///
///     Algorithm Name (uncompressed name) | Time Signed (u48) | Fudge (u16) | MAC Size (u16) |
///     MAC | Original ID (u16) | Error (u16) | Other Len (u16) | Other Data
struct TSIGRecord: Sendable, Hashable {
    /// TYPE 250.
    static let recordType = RecordType(rawValue: 250)

    var keyName: DomainName
    var algorithmName: DomainName
    /// Seconds since 1970, 48 bits.
    var timeSigned: UInt64
    var fudge: UInt16
    var mac: [UInt8]
    var originalID: UInt16
    var error: TSIGError
    var otherData: [UInt8]

    /// Reads the record from its owner and RDATA; `nil` when the RDATA is malformed.
    init?(owner: DomainName, rdata: [UInt8]) {
        var index = 0
        var labels: [[UInt8]] = []
        while true {
            guard index < rdata.count else { return nil }
            let length = Int(rdata[index])
            index += 1
            if length == 0 { break }
            // No compression inside TSIG RDATA (RFC 8945 §4.2).
            guard length < 64, index + length <= rdata.count else { return nil }
            labels.append(Array(rdata[index..<(index + length)]))
            index += length
        }
        guard let algorithm = try? DomainName(labels: labels) else { return nil }
        func integer(_ width: Int) -> UInt64? {
            guard index + width <= rdata.count else { return nil }
            defer { index += width }
            return rdata[index..<(index + width)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard let time = integer(6), let fudge = integer(2), let macSize = integer(2), index + Int(macSize) <= rdata.count else {
            return nil
        }
        let mac = Array(rdata[index..<(index + Int(macSize))])
        index += Int(macSize)
        guard let originalID = integer(2), let error = integer(2), let otherLength = integer(2),
            index + Int(otherLength) == rdata.count
        else { return nil }
        self.keyName = owner
        self.algorithmName = algorithm
        self.timeSigned = time
        self.fudge = UInt16(fudge)
        self.mac = mac
        self.originalID = UInt16(originalID)
        self.error = TSIGError(rawValue: UInt16(error))
        self.otherData = Array(rdata[index...])
    }

    init(keyName: DomainName, algorithmName: DomainName, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16,
         error: TSIGError = .noError, otherData: [UInt8] = []) {
        self.keyName = keyName
        self.algorithmName = algorithmName
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = error
        self.otherData = otherData
    }

    /// The whole record in wire form, names uncompressed.
    var wire: [UInt8] {
        var rdata = Self.canonical(self.algorithmName)
        rdata += Self.bytes(self.timeSigned, 6) + Self.bytes(UInt64(self.fudge), 2)
        rdata += Self.bytes(UInt64(self.mac.count), 2) + self.mac
        rdata += Self.bytes(UInt64(self.originalID), 2) + Self.bytes(UInt64(self.error.rawValue), 2)
        rdata += Self.bytes(UInt64(self.otherData.count), 2) + self.otherData
        var record = Self.canonical(self.keyName)
        record += Self.bytes(UInt64(Self.recordType.rawValue), 2) + Self.bytes(UInt64(RecordClass.any.rawValue), 2)
        record += Self.bytes(0, 4) + Self.bytes(UInt64(rdata.count), 2) + rdata
        return record
    }

    /// The TSIG variables that follow the message in the MAC input (RFC 8945 §4.3.3).
    var variables: [UInt8] {
        var bytes = Self.canonical(self.keyName)
        bytes += Self.bytes(UInt64(RecordClass.any.rawValue), 2) + Self.bytes(0, 4)
        bytes += Self.canonical(self.algorithmName)
        bytes += Self.bytes(self.timeSigned, 6) + Self.bytes(UInt64(self.fudge), 2)
        bytes += Self.bytes(UInt64(self.error.rawValue), 2)
        bytes += Self.bytes(UInt64(self.otherData.count), 2) + self.otherData
        return bytes
    }

    /// A name in canonical wire form: lower case, uncompressed (RFC 4034 §6.2).
    static func canonical(_ name: DomainName) -> [UInt8] {
        name.lowercased.labels.flatMap { [UInt8($0.count)] + $0 } + [0]
    }

    /// `value`'s low `width` octets, big-endian.
    static func bytes(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

/// The TSIG record's Error field (RFC 8945 §4.2, §5.3).
public struct TSIGError: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The numeric value.
    public let rawValue: UInt16

    /// Wraps any value.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// No error.
    public static let noError = TSIGError(rawValue: 0)
    /// The MAC did not verify (16).
    public static let badSignature = TSIGError(rawValue: 16)
    /// The server does not know the key, or not with that algorithm (17).
    public static let badKey = TSIGError(rawValue: 17)
    /// The time signed is outside the fudge window: the clocks differ (18).
    public static let badTime = TSIGError(rawValue: 18)
    /// The MAC was truncated too much (22).
    public static let badTruncation = TSIGError(rawValue: 22)

    /// `BADSIG`, `BADKEY`, `BADTIME`, `BADTRUNC`, or `TSIG error N`.
    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .badSignature: "BADSIG"
        case .badKey: "BADKEY"
        case .badTime: "BADTIME"
        case .badTruncation: "BADTRUNC"
        default: "TSIG error \(self.rawValue)"
        }
    }
}
