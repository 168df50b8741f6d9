import Testing
import TLS

@Suite("Certificate serial numbers in decimal, as Traefik's tls_certs_not_after writes them")
struct CertificateExpiryTests {
    @Test("big-endian bytes become the same number in decimal", arguments: [
        ([UInt8](), "0"),
        ([0x00], "0"),
        ([0x01], "1"),
        ([0x00, 0xff], "255"),
        ([0x01, 0x00], "256"),
        ([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "18446744073709551615"),
        // 2^128, beyond any fixed-width integer.
        ([0x01] + [UInt8](repeating: 0, count: 16), "340282366920938463463374607431768211456"),
    ])
    func decimal(bytes: [UInt8], expected: String) {
        #expect(BigEndianDecimal.string(bytes) == expected)
    }
}
