import Crypto
import Foundation
import Testing
@testable import Storage

/// The small DER walks that give imported certificates their serial, issuer and dates, and
/// keys their type.
@Suite struct DERWalkTests {
    @Test(arguments: [
        (UInt8(0x17), "700101000000Z", 0.0),
        (0x17, "491231235959Z", 2_524_607_999),  // 2049: UTCTime years below 50 are 20xx
        (0x17, "500101000000Z", -631_152_000),  // 1950
        (0x17, "270301120000Z", 1_803_902_400),
        (0x18, "20500101000000Z", 2_524_608_000),  // GeneralizedTime from 2050 on
        (0x18, "20240229235959Z", 1_709_251_199),  // leap day
    ])
    func readsValidityTimes(tag: UInt8, text: String, seconds: TimeInterval) throws {
        let element = DERReader.Element(tag: tag, content: Array(text.utf8)[...])
        #expect(try CertificateSummary.time(element) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: [
        (UInt8(0x17), "7001010000Z"),  // no seconds
        (0x17, "700101000000+0100"),  // offsets are not DER
        (0x18, "20241301000000Z"),  // month 13
        (0x18, "2024010100000aZ"),
        (0x02, "700101000000Z"),  // not a time
    ])
    func refusesMalformedTimes(tag: UInt8, text: String) {
        let element = DERReader.Element(tag: tag, content: Array(text.utf8)[...])
        #expect(throws: DERReader.ParseError.self) { try CertificateSummary.time(element) }
    }

    @Test func serialNumbersAreHexWithoutLeadingZeroOctets() {
        #expect(CertificateSummary.hex([0x00, 0xab, 0x12][...]) == "ab12")
        #expect(CertificateSummary.hex([0x01, 0x0f][...]) == "010f")
        #expect(CertificateSummary.hex([0x00][...]) == "00")
    }

    @Test func distinguishedNamesInRFC4514Order() throws {
        // SEQUENCE { SET { C=US }, SET { O="Acme, Inc." }, SET { CN=" lead" } }
        func attribute(_ oid: [UInt8], _ tag: UInt8, _ value: String) -> [UInt8] {
            let valueBytes = Array(value.utf8)
            let pair = [0x06, UInt8(oid.count)] + oid + [tag, UInt8(valueBytes.count)] + valueBytes
            let sequence = [0x30, UInt8(pair.count)] + pair
            return [0x31, UInt8(sequence.count)] + sequence
        }
        let content = attribute([0x55, 0x04, 0x06], 0x13, "US")
            + attribute([0x55, 0x04, 0x0a], 0x0c, "Acme, Inc.")
            + attribute([0x55, 0x04, 0x03], 0x0c, " lead")
            + attribute([0x2a, 0x03], 0x0c, "x")  // 1.2.3: printed as the OID
        #expect(try CertificateSummary.distinguishedName(content[...]) == #"1.2.3=x,CN=\ lead,O=Acme\, Inc.,C=US"#)
    }

    @Test func keyTypesFromSwiftCryptoKeys() throws {
        let p256 = try PrivateKeyKind(der: Array(P256.Signing.PrivateKey().derRepresentation))
        #expect(p256.pemLabel == "PRIVATE KEY")
        #expect(p256.keyType == "EC256")
        #expect(try PrivateKeyKind(der: Array(P384.Signing.PrivateKey().derRepresentation)).keyType == "EC384")
        #expect(try PrivateKeyKind(der: Array(P521.Signing.PrivateKey().derRepresentation)).keyType == "EC521")
        #expect(try PrivateKeyKind(pem: P256.Signing.PrivateKey().pemRepresentation).keyType == "EC256")
    }

    @Test func garbageIsNotAKey() {
        #expect(throws: DERReader.ParseError.self) { try PrivateKeyKind(der: Array("hello".utf8)) }
        #expect(throws: DERReader.ParseError.self) { try PrivateKeyKind(der: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(throws: DERReader.ParseError.self) { try PrivateKeyKind(pem: "no pem here") }
    }

    @Test func pemRoundTrip() throws {
        let der = Array(P256.Signing.PrivateKey().derRepresentation)
        let pem = PEMDocument.encode(label: "PRIVATE KEY", der: der)
        #expect(pem.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })
        #expect(try PEMDocument.parseAll("leading text\n" + pem + pem) == [PEMDocument(label: "PRIVATE KEY", der: der), PEMDocument(label: "PRIVATE KEY", der: der)])
        #expect(throws: DERReader.ParseError.self) { try PEMDocument.parseAll("-----BEGIN CERTIFICATE-----\nAAAA\n") }
    }

    @Test func truncatedDERIsRefused() {
        var reader = DERReader([0x30, 0x05, 0x02, 0x01])
        #expect(throws: DERReader.ParseError.self) { try reader.next() }
        var longForm = DERReader([0x30, 0x82, 0x01])
        #expect(throws: DERReader.ParseError.self) { try longForm.next() }
    }
}
