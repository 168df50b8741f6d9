import Foundation
import NIOSSL
import TLS
import Testing

@Suite("client certificate information for passTLSClientCert")
struct ClientCertificateInfoTests {
    /// `openssl` on PATH; when missing the test fails under CI=true and is skipped otherwise.
    private static var hasOpenSSL: Bool {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/openssl") }
    }

    @Test("subject, issuer, SANs, validity and serial of a certificate made with openssl")
    func opensslCertificate() throws {
        guard Self.hasOpenSSL else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("openssl is required (CI=true) but is not on PATH")
            } else {
                print("skipping: openssl not on PATH")
            }
            return
        }
        try withTemporaryDirectory { directory in
            try openssl(
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
                    "-subj", "/C=FR/O=Issuer Org/CN=Client Issuing CA",
                ],
                in: directory
            )
            try openssl(
                [
                    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "client.key", "-out", "client.csr",
                    "-subj", "/DC=com/DC=example/C=FR/ST=Rhone/L=Lyon/O=Acme/OU=Ops/OU=Dev/CN=alice/serialNumber=SN-42",
                ],
                in: directory
            )
            try "subjectAltName=DNS:alice.example.com,email:alice@example.com,IP:192.0.2.7,IP:2001:db8::1,URI:spiffe://example.com/alice\n"
                .write(to: directory.appendingPathComponent("ext.cnf"), atomically: true, encoding: .utf8)
            try openssl(
                [
                    "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "1311768467463790320",
                    "-days", "10", "-extfile", "ext.cnf", "-out", "client.crt",
                ],
                in: directory
            )
            let leafPEM = String(decoding: try readBytes("client.crt", in: directory), as: UTF8.self)
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(leafPEM.utf8)) + NIOSSLCertificate.fromPEMBytes(try readBytes("ca.crt", in: directory))
            let info = try ClientCertificateInfo(chain: chain)

            #expect(info.subject.commonName == ["alice"])
            #expect(info.subject.organization == ["Acme"])
            #expect(info.subject.organizationalUnit == ["Ops", "Dev"])
            #expect(info.subject.country == ["FR"])
            #expect(info.subject.province == ["Rhone"])
            #expect(info.subject.locality == ["Lyon"])
            #expect(info.subject.serialNumber == ["SN-42"])
            #expect(info.subject.domainComponent == ["com", "example"])
            #expect(info.issuer.commonName == ["Client Issuing CA"])
            #expect(info.issuer.organization == ["Issuer Org"])
            #expect(info.dnsNames == ["alice.example.com"])
            #expect(info.emailAddresses == ["alice@example.com"])
            #expect(info.ipAddresses == ["192.0.2.7", "2001:db8::1"])
            #expect(info.uris == ["spiffe://example.com/alice"])
            // 1311768467463790320 = 0x123456789ABCDEF0
            #expect(info.serialNumber == [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0])
            #expect(info.serialNumberDecimal == "1311768467463790320")
            #expect(abs(info.notAfter.timeIntervalSince(info.notBefore) - 10 * 86_400) < 5)
            #expect(abs(info.notBefore.timeIntervalSinceNow) < 600)
            #expect(info.pem.trimmingCharacters(in: .whitespacesAndNewlines) == leafPEM.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(info.chainPEM.count == 2)
        }
    }

    @Test("an empty chain is an error")
    func emptyChain() {
        #expect(throws: ClientCertificateInfoError.emptyChain) { try ClientCertificateInfo(chain: []) }
    }
}
