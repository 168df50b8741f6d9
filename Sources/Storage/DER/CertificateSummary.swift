import Foundation

/// The few facts about a certificate that a certificate record keeps, read from its DER by a
/// small walk of the TBSCertificate header (RFC 5280 §4.1): serial number, issuer and validity.
/// No signature or extension is checked; this is bookkeeping, not validation.
struct CertificateSummary: Hashable {
    /// Lowercase hex of the serial number's content octets, leading zero octets removed.
    var serialNumber: String
    /// The issuer in RFC 4514 string form (last RDN first), as swift-certificates prints it.
    var issuer: String
    var notBefore: Date
    var notAfter: Date

    /// Reads the summary of the certificate `der`.
    init(der: [UInt8]) throws {
        var outer = DERReader(der)
        let certificate = try outer.next(DERReader.Tag.sequence, "Certificate")
        var certificateFields = DERReader(certificate.content)
        let tbs = try certificateFields.next(DERReader.Tag.sequence, "TBSCertificate")
        var fields = DERReader(tbs.content)
        if fields.peekTag == DERReader.Tag.contextConstructed0 {
            _ = try fields.next()  // version
        }
        let serial = try fields.next(DERReader.Tag.integer, "serialNumber")
        _ = try fields.next(DERReader.Tag.sequence, "signature")
        let issuer = try fields.next(DERReader.Tag.sequence, "issuer")
        let validity = try fields.next(DERReader.Tag.sequence, "validity")
        var times = DERReader(validity.content)
        self.notBefore = try Self.time(try times.next())
        self.notAfter = try Self.time(try times.next())
        self.serialNumber = Self.hex(serial.content)
        self.issuer = try Self.distinguishedName(issuer.content)
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        var trimmed = bytes.drop(while: { $0 == 0 })
        if trimmed.isEmpty { trimmed = [0][...] }
        return trimmed.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 0x10 ? "0" + digits : digits
        }.joined()
    }

    /// UTCTime (YYMMDDHHMMSSZ; years 50–99 are 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ), the
    /// two forms RFC 5280 §4.1.2.5 allows.
    static func time(_ element: DERReader.Element) throws -> Date {
        let text = String(decoding: element.content, as: UTF8.self)
        let digits: Substring
        var year: Int
        switch element.tag {
        case DERReader.Tag.utcTime:
            guard text.count == 13, text.hasSuffix("Z") else {
                throw DERReader.ParseError(description: "UTCTime \(text) is not YYMMDDHHMMSSZ")
            }
            guard let yy = Int(text.prefix(2)) else { throw DERReader.ParseError(description: "bad UTCTime \(text)") }
            year = yy >= 50 ? 1900 + yy : 2000 + yy
            digits = text.dropFirst(2).dropLast()
        case DERReader.Tag.generalizedTime:
            guard text.count == 15, text.hasSuffix("Z") else {
                throw DERReader.ParseError(description: "GeneralizedTime \(text) is not YYYYMMDDHHMMSSZ")
            }
            guard let yyyy = Int(text.prefix(4)) else { throw DERReader.ParseError(description: "bad GeneralizedTime \(text)") }
            year = yyyy
            digits = text.dropFirst(4).dropLast()
        default:
            throw DERReader.ParseError(description: "validity time has tag 0x\(String(element.tag, radix: 16))")
        }
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            throw DERReader.ParseError(description: "bad time \(text)")
        }
        let numbers = stride(from: 0, to: 10, by: 2).map { offset -> Int in
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return Int(digits[start..<digits.index(start, offsetBy: 2)])!
        }
        let (month, day, hour, minute, second) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4])
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw DERReader.ParseError(description: "time out of range \(text)")
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// RFC 4514 form: RDNs last first, joined by `,`; attributes of one RDN joined by `+`.
    static func distinguishedName(_ content: ArraySlice<UInt8>) throws -> String {
        var rdns: [String] = []
        var reader = DERReader(content)
        while !reader.isAtEnd {
            let set = try reader.next(DERReader.Tag.set, "RelativeDistinguishedName")
            var attributes = DERReader(set.content)
            var parts: [String] = []
            while !attributes.isAtEnd {
                let pair = try attributes.next(DERReader.Tag.sequence, "AttributeTypeAndValue")
                var fields = DERReader(pair.content)
                let type = try DERReader.objectIdentifier(try fields.next(DERReader.Tag.objectIdentifier, "attribute type").content)
                let value = try fields.next()
                parts.append("\(attributeName(type))=\(escape(try string(value)))")
            }
            rdns.append(parts.joined(separator: "+"))
        }
        return rdns.reversed().joined(separator: ",")
    }

    private static func attributeName(_ oid: String) -> String {
        switch oid {
        case "2.5.4.3": "CN"
        case "2.5.4.6": "C"
        case "2.5.4.7": "L"
        case "2.5.4.8": "ST"
        case "2.5.4.9": "STREET"
        case "2.5.4.10": "O"
        case "2.5.4.11": "OU"
        case "0.9.2342.19200300.100.1.25": "DC"
        case "1.2.840.113549.1.9.1": "E"
        default: oid
        }
    }

    private static func string(_ element: DERReader.Element) throws -> String {
        switch element.tag {
        case DERReader.Tag.utf8String, DERReader.Tag.printableString, DERReader.Tag.ia5String:
            return String(decoding: element.content, as: UTF8.self)
        case DERReader.Tag.teletexString:
            return String(element.content.map { Character(Unicode.Scalar($0)) })
        case DERReader.Tag.bmpString:
            let units = stride(from: element.content.startIndex, to: element.content.endIndex - 1, by: 2).map {
                UInt16(element.content[$0]) << 8 | UInt16(element.content[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        case DERReader.Tag.universalString:
            let bytes = Array(element.content)
            var scalars = String.UnicodeScalarView()
            var index = 0
            while index + 3 < bytes.count {
                var value: UInt32 = 0
                for offset in 0..<4 {
                    value = value << 8 | UInt32(bytes[index + offset])
                }
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
                index += 4
            }
            return String(scalars)
        default:
            return "#" + hex(element.content)
        }
    }

    private static func escape(_ value: String) -> String {
        var result = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            let leading = index == 0 && (character == " " || character == "#")
            let trailing = index == characters.count - 1 && character == " "
            if leading || trailing || ",+\"\\<>;".contains(character) {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }
}
