import DNS
import Foundation
import NIOCore
import Testing

@testable import DNSProviders

/// UPDATE encoding and TSIG signing against octets and MACs computed independently (Python's
/// hmac over a hand-built message), verification of responses, and the provider's variables.
/// That BIND accepts these signatures is proven in tests/integration/test_dns_rfc2136.py.
@Suite struct RFC2136Tests {
    static let sha256Secret = "i2PlDwU4gqUqIt683/n2qodNCoep7nlVIq7A7F+Wvu4="
    static let sha512Secret = "SIDexaQwOGIl9vYwPgvuRWa4qss7wTKwlwfi51AB/+0yM8Ut53jTdCOq4Vk5SPEKU2i0EGk5i/Qt7/z8X60lxQ=="

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }

    static let addition = DynamicUpdate(
        zone: try! DomainName("example.test"),
        changes: [.addTXT(name: try! DomainName("_acme-challenge.example.test"), value: "v", ttl: 120)]
    )

    @Test func additionIsEncodedAsRFC2136Says() {
        let wire = Self.bytes(Self.addition.message(id: 0x1234).serialized())
        // Header: opcode 5, ZOCOUNT 1, UPCOUNT 1; zone example.test SOA IN; the TXT record, IN, TTL 120.
        #expect(
            Self.hex(wire)
                == "123428000001000000010000076578616d706c65047465737400000600010f5f61636d652d6368616c6c656e6765c00c001000010000007800020176"
        )
    }

    @Test func deletionByValueHasClassNoneAndTTLZero() throws {
        let update = DynamicUpdate(zone: try DomainName("example.test"), changes: [.deleteTXT(name: try DomainName("_acme-challenge.example.test"), value: "v")])
        let wire = Self.hex(Self.bytes(update.message(id: 0x1234).serialized()))
        #expect(wire.hasSuffix("c00c001000fe00000000" + "00020176"))
        let parsed = try DNSMessage(parsing: update.message(id: 1).serialized())
        #expect(parsed.opcode == .update)
        #expect(parsed.authority.first?.recordClass == RecordClass.none)
    }

    @Test(arguments: [
        (TSIGAlgorithm.hmacSHA256, "gatehouse-sha256", RFC2136Tests.sha256Secret, "6f157f4102889bf05d0ff738c6e4afd18f9a749027ca43da5f82e9d1823ee78f"),
        (
            TSIGAlgorithm.hmacSHA512, "gatehouse-sha512", RFC2136Tests.sha512Secret,
            "e27250c030d643497e15a12125c9ccfb9c0b6653682618050b6d43714d53f3d2a2a9627a09c01778211768310eca66f8965039e2657bd5dfffef718c5dd7f131"
        ),
    ])
    func knownAnswerMAC(algorithm: TSIGAlgorithm, keyName: String, secret: String, expected: String) throws {
        let key = try #require(TSIGKey(name: try DomainName(keyName), algorithm: algorithm, base64Secret: secret))
        let signed = TSIGSigner(key: key).sign(Self.addition.message(id: 0x1234), time: 1_700_000_000)
        #expect(Self.hex(signed.mac) == expected)
        // The record appended: ARCOUNT 1, and it reads back with the same fields.
        let message = try DNSMessage(parsing: signed.wire)
        let last = try #require(message.additional.last)
        #expect(last.type.rawValue == 250)
        #expect(last.recordClass == .any)
        guard case .unknown(_, let rdata) = last.data else { Issue.record("TSIG data not kept as octets"); return }
        let record = try #require(TSIGRecord(owner: last.name, rdata: rdata))
        #expect(record.algorithmName == algorithm.algorithmName)
        #expect(record.timeSigned == 1_700_000_000)
        #expect(record.fudge == 300)
        #expect(record.originalID == 0x1234)
        #expect(record.mac == signed.mac)
    }

    /// A response signed as a server signs it (the request's MAC first), then checked.
    private func signedResponse(key: TSIGKey, requestMAC: [UInt8], time: UInt64, tamper: Bool = false, error: TSIGError = .noError) -> DNSResponse {
        let message = DNSMessage(id: 0x1234, isResponse: true, opcode: .update, questions: [Question(name: try! DomainName("example.test"), type: .soa)])
        var wire = message.serialized()
        let unsigned = Self.bytes(wire)
        var record = TSIGRecord(
            keyName: key.name, algorithmName: key.algorithm.algorithmName, timeSigned: time, fudge: 300, mac: [], originalID: 0x1234, error: error
        )
        if error == .noError {
            let input = TSIGRecord.bytes(UInt64(requestMAC.count), 2) + requestMAC + unsigned + record.variables
            record.mac = key.algorithm.mac(input, key: key.secret)
            if tamper { record.mac[0] ^= 1 }
        }
        wire.writeBytes(record.wire)
        wire.setInteger(UInt16(1), at: 10)
        return DNSResponse(message: try! DNSMessage(parsing: wire), bytes: wire)
    }

    @Test func verifiesResponsesAndRejectsTamperedOnes() throws {
        let key = try #require(TSIGKey(name: try DomainName("gatehouse-sha256."), algorithm: .hmacSHA256, base64Secret: Self.sha256Secret))
        let signer = TSIGSigner(key: key)
        let requestMAC = signer.sign(Self.addition.message(id: 0x1234), time: 1_700_000_000).mac
        let good = self.signedResponse(key: key, requestMAC: requestMAC, time: 1_700_000_010)
        #expect(try signer.verify(good, requestMAC: requestMAC, now: 1_700_000_000) == .verified)
        // Another request's MAC, a flipped bit, or a clock too far off: not trusted.
        #expect(throws: TSIGSigner.VerificationError.self) { try signer.verify(good, requestMAC: [UInt8](repeating: 0, count: 32), now: 1_700_000_000) }
        let tampered = self.signedResponse(key: key, requestMAC: requestMAC, time: 1_700_000_000, tamper: true)
        #expect(throws: TSIGSigner.VerificationError.self) { try signer.verify(tampered, requestMAC: requestMAC, now: 1_700_000_000) }
        #expect(throws: TSIGSigner.VerificationError.self) { try signer.verify(good, requestMAC: requestMAC, now: 1_700_001_000) }
        // A server's TSIG error comes back unsigned and is reported as such.
        let badKey = self.signedResponse(key: key, requestMAC: requestMAC, time: 1_700_000_000, error: .badKey)
        #expect(try signer.verify(badKey, requestMAC: requestMAC, now: 1_700_000_000) == .rejected(.badKey))
    }

    @Test func algorithmNamesWithOrWithoutTheTrailingDot() {
        #expect(TSIGAlgorithm("hmac-sha256.") == .hmacSHA256)
        #expect(TSIGAlgorithm("HMAC-SHA512") == .hmacSHA512)
        #expect(TSIGAlgorithm("hmac-md5.sig-alg.reg.int.") == .hmacMD5)
        #expect(TSIGAlgorithm("hmac-sha1") == .hmacSHA1)
        #expect(TSIGAlgorithm("hmac-sha3") == nil)
        #expect(TSIGAlgorithm.hmacMD5.algorithmName.description == "hmac-md5.sig-alg.reg.int.")
    }

    @Test func providerReadsLegoVariablesAndKeepsTheSecretOut() throws {
        let provider = try RFC2136Provider(
            credentials: DNSCredentials(
                ["RFC2136_NAMESERVER": "127.0.0.1:5353", "RFC2136_TSIG_KEY": "gatehouse-sha256", "RFC2136_TSIG_SECRET": Self.sha256Secret,
                 "RFC2136_TSIG_ALGORITHM": "hmac-sha256.", "RFC2136_DNS_TIMEOUT": "3"],
                environment: [:]
            )
        )
        #expect(provider.client.server == DNSAddress(host: "127.0.0.1", port: 5353))
        #expect(provider.zoneServers == [DNSAddress(host: "127.0.0.1", port: 5353)])
        #expect(provider.client.signer?.key.algorithm == .hmacSHA256)
        #expect(provider.client.signer?.key.name.description == "gatehouse-sha256.")
        #expect(provider.client.timeout == .seconds(3))
        let secretBytes = Self.hex(Array(Data(base64Encoded: Self.sha256Secret)!))
        for text in ["\(provider)", String(reflecting: provider), "\(provider.client)", String(reflecting: provider.client.signer!)] {
            #expect(!text.contains(Self.sha256Secret) && !text.contains(secretBytes) && !text.contains("139, 99"), "\(text)")
            #expect(text.contains("gatehouse-sha256."))
        }
        // No key: unsigned; lego's default algorithm is hmac-sha1; port 53 by default.
        let unsigned = try RFC2136Provider(credentials: DNSCredentials(["RFC2136_NAMESERVER": "127.0.0.1"], environment: [:]))
        #expect(unsigned.client.signer == nil)
        #expect(unsigned.client.server.port == 53)
        let sha1 = try RFC2136Provider(
            credentials: DNSCredentials(["RFC2136_NAMESERVER": "::1", "RFC2136_TSIG_KEY": "k", "RFC2136_TSIG_SECRET": Self.sha256Secret], environment: [:])
        )
        #expect(sha1.client.signer?.key.algorithm == .hmacSHA1)
    }

    @Test(arguments: [
        (["RFC2136_TSIG_KEY": "k"], "RFC2136_NAMESERVER"),
        (["RFC2136_NAMESERVER": "127.0.0.1", "RFC2136_TSIG_KEY": "k"], "RFC2136_TSIG_SECRET"),
        (["RFC2136_NAMESERVER": "127.0.0.1", "RFC2136_TSIG_KEY": "k", "RFC2136_TSIG_SECRET": "not base64!"], "not base64"),
        (["RFC2136_NAMESERVER": "127.0.0.1", "RFC2136_TSIG_KEY": "k", "RFC2136_TSIG_SECRET": RFC2136Tests.sha256Secret, "RFC2136_TSIG_ALGORITHM": "hmac-sha3"], "hmac-sha3"),
    ])
    func configurationErrorsNameTheVariable(values: [String: String], mentions: String) {
        do {
            _ = try RFC2136Provider(credentials: DNSCredentials(values, environment: [:]))
            Issue.record("accepted \(values.keys.sorted())")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.detail.contains(mentions), "\(error)")
            #expect(!error.description.contains(Self.sha256Secret))
        }
    }

    @Test func tsigFileIsABINDKeyStatement() throws {
        let statement = "key \"gatehouse-sha512\" {\n\talgorithm hmac-sha512;\n\tsecret \"\(Self.sha512Secret)\";\n};\n"
        let provider = try RFC2136Provider(
            credentials: DNSCredentials(
                ["RFC2136_NAMESERVER": "127.0.0.1:53", "RFC2136_TSIG_FILE": "/keys/k"], environment: [:], readFile: { _ in statement }
            )
        )
        #expect(provider.client.signer?.key.algorithm == .hmacSHA512)
        #expect(provider.client.signer?.key.name.description == "gatehouse-sha512.")
    }

    @Test func unreachableServerIsANetworkError() async throws {
        // A port nothing answers on: ICMP unreachable or a timeout, both `network`.
        let client = RFC2136Client(server: DNSAddress(host: "127.0.0.1", port: 9), key: nil, timeout: .milliseconds(300))
        do {
            try await client.send(Self.addition)
            Issue.record("an UPDATE to nowhere succeeded")
        } catch {
            #expect(error.kind == .network)
        }
    }
}
