import Crypto
import Foundation
import NIOSSL
import TLS
import Testing
import X509

@Suite("ServerCertificate loading")
struct ServerCertificateLoadTests {
    // MARK: swift-certificates material

    @Test("PEM made with swift-certificates: P-256, P-384 (PKCS#8) and RSA (PKCS#1)", arguments: [TestKey.p256, .p384, .rsa2048])
    func swiftCertificatesPEM(_ keyType: TestKey) throws {
        let key = try keyType.make()
        let certificate = try makeX509Certificate(dnsNames: ["A.example.com", "b.example.com."], key: key)
        let loaded = try ServerCertificate.load(
            certificatePEM: Array(try pem(certificate).utf8),
            keyPEM: Array(try pem(key).utf8)
        )
        #expect(loaded.names == ["a.example.com", "b.example.com"])
        #expect(loaded.leaf == certificate)
        #expect(loaded.chain.count == 1)
        #expect(!loaded.isDefaultGenerated)
        #expect(abs(loaded.notAfter.timeIntervalSince(certificate.notValidAfter)) < 1)
        #expect(abs(loaded.notBefore.timeIntervalSince(certificate.notValidBefore)) < 1)
    }

    @Test("names fall back to the common name when there is no SAN")
    func commonNameFallback() throws {
        let key = try TestKey.p256.make()
        let certificate = try makeX509Certificate(dnsNames: [], commonName: "Legacy.Example.com", key: key)
        let loaded = try ServerCertificate(certificates: [certificate], privateKey: key)
        #expect(loaded.names == ["legacy.example.com"])
    }

    @Test("a key that does not belong to the leaf is refused, without key material in the message")
    func mismatch() throws {
        let key = try TestKey.p256.make()
        let other = try TestKey.p256.make()
        let certificate = try makeX509Certificate(dnsNames: ["mismatch.test"], key: key)
        let otherPEM = try pem(other)
        let error = #expect(throws: CertificateLoadError.self) {
            try ServerCertificate.load(certificatePEM: Array(try pem(certificate).utf8), keyPEM: Array(otherPEM.utf8))
        }
        #expect(error?.code == .keyMismatch)
        #expect(error?.message.contains("mismatch.test") == true)
        expectNoKeyMaterial(in: error, keyPEM: otherPEM)

        #expect(throws: CertificateLoadError.self) {
            try ServerCertificate(certificates: [certificate], privateKey: other)
        }
    }

    @Test("inputs that are not a certificate and a key give clear errors")
    func wrongInputs() throws {
        let key = try TestKey.p256.make()
        let certificatePEM = try pem(try makeX509Certificate(dnsNames: ["x.test"], key: key))
        let keyPEM = try pem(key)
        let cases: [(String, String, CertificateLoadError.Code)] = [
            ("", keyPEM, .noCertificate),
            ("garbage", keyPEM, .noCertificate),
            (keyPEM, certificatePEM, .noCertificate),  // swapped
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", keyPEM, .invalidCertificate),
            (certificatePEM, "", .noPrivateKey),
            (certificatePEM, certificatePEM, .noPrivateKey),
            (certificatePEM, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", .invalidPrivateKey),
        ]
        for (certificateInput, keyInput, code) in cases {
            let error = #expect(throws: CertificateLoadError.self) {
                try ServerCertificate.load(certificatePEM: Array(certificateInput.utf8), keyPEM: Array(keyInput.utf8))
            }
            #expect(error?.code == code, "\(String(describing: error))")
            expectNoKeyMaterial(in: error, keyPEM: keyPEM)
        }
    }

    // MARK: openssl CLI material

    @Test("openssl RSA: PKCS#8 (req -newkey) and PKCS#1 (rsa -traditional)")
    func opensslRSA() throws {
        try withTemporaryDirectory { directory in
            try openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.crt",
                    "-days", "30", "-subj", "/CN=rsa.example.com",
                    "-addext", "subjectAltName=DNS:rsa.example.com,DNS:*.rsa.example.com",
                ],
                in: directory
            )
            try openssl(["rsa", "-in", "rsa.key", "-traditional", "-out", "rsa-pkcs1.key"], in: directory)
            let pkcs8 = try readBytes("rsa.key", in: directory)
            let pkcs1 = try readBytes("rsa-pkcs1.key", in: directory)
            #expect(String(decoding: pkcs8, as: UTF8.self).contains("BEGIN PRIVATE KEY"))
            #expect(String(decoding: pkcs1, as: UTF8.self).contains("BEGIN RSA PRIVATE KEY"))

            let certificatePEM = try readBytes("rsa.crt", in: directory)
            for keyPEM in [pkcs8, pkcs1] {
                let loaded = try ServerCertificate.load(certificatePEM: certificatePEM, keyPEM: keyPEM)
                #expect(loaded.names == ["rsa.example.com", "*.rsa.example.com"])
                let index = CertificateIndex(certificates: [loaded])
                #expect(index.certificate(forServerName: "www.rsa.example.com").leaf == loaded.leaf)
                #expect(index.rejected.isEmpty)
            }
        }
    }

    @Test("openssl EC: SEC1 with EC PARAMETERS (ecparam -genkey) and PKCS#8 (genpkey)")
    func opensslEC() throws {
        try withTemporaryDirectory { directory in
            try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1.key"], in: directory)
            try openssl(
                ["req", "-x509", "-new", "-key", "sec1.key", "-out", "sec1.crt", "-days", "30", "-subj", "/CN=ec.example.com"],
                in: directory
            )
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "pkcs8.key"], in: directory)
            try openssl(
                [
                    "req", "-x509", "-new", "-key", "pkcs8.key", "-out", "pkcs8.crt", "-days", "30",
                    "-subj", "/CN=ignored", "-addext", "subjectAltName=DNS:p384.example.com",
                ],
                in: directory
            )
            let sec1Key = try readBytes("sec1.key", in: directory)
            #expect(String(decoding: sec1Key, as: UTF8.self).contains("BEGIN EC PARAMETERS"))
            #expect(String(decoding: sec1Key, as: UTF8.self).contains("BEGIN EC PRIVATE KEY"))
            let sec1 = try ServerCertificate.load(certificatePEM: try readBytes("sec1.crt", in: directory), keyPEM: sec1Key)
            #expect(sec1.names == ["ec.example.com"])  // no SAN: common name

            let pkcs8Key = try readBytes("pkcs8.key", in: directory)
            #expect(String(decoding: pkcs8Key, as: UTF8.self).contains("BEGIN PRIVATE KEY"))
            let pkcs8 = try ServerCertificate.load(certificatePEM: try readBytes("pkcs8.crt", in: directory), keyPEM: pkcs8Key)
            #expect(pkcs8.names == ["p384.example.com"])

            // The two keys are not interchangeable.
            let error = #expect(throws: CertificateLoadError.self) {
                try ServerCertificate.load(certificatePEM: try readBytes("sec1.crt", in: directory), keyPEM: pkcs8Key)
            }
            #expect(error?.code == .keyMismatch)
            expectNoKeyMaterial(in: error, keyPEM: String(decoding: pkcs8Key, as: UTF8.self))
        }
    }

    @Test("openssl full chain: leaf signed by a CA, served leaf first")
    func opensslChain() throws {
        try withTemporaryDirectory { directory in
            try openssl(
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=Test CA",
                ],
                in: directory
            )
            try openssl(
                ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=chain.example.com"],
                in: directory
            )
            try "subjectAltName=DNS:chain.example.com,DNS:www.chain.example.com\n"
                .write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
            try openssl(
                [
                    "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "30", "-extfile", "san.ext", "-out", "leaf.crt",
                ],
                in: directory
            )
            let chainPEM = try readBytes("leaf.crt", in: directory) + readBytes("ca.crt", in: directory)
            let loaded = try ServerCertificate.load(certificatePEM: chainPEM, keyPEM: try readBytes("leaf.key", in: directory))
            #expect(loaded.chain.count == 2)
            #expect(loaded.names == ["chain.example.com", "www.chain.example.com"])
            #expect("\(loaded.leaf.issuer)".contains("Test CA"))
            #expect(loaded.chain[1] == (try NIOSSLCertificate.fromPEMBytes(try readBytes("ca.crt", in: directory)))[0])

            // The CA's key does not match the leaf.
            let error = #expect(throws: CertificateLoadError.self) {
                try ServerCertificate.load(certificatePEM: chainPEM, keyPEM: try readBytes("ca.key", in: directory))
            }
            #expect(error?.code == .keyMismatch)
        }
    }

    @Test("openssl encrypted key is refused with a clear error")
    func opensslEncrypted() throws {
        try withTemporaryDirectory { directory in
            try openssl(
                ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret", "-out", "enc.key"],
                in: directory
            )
            try openssl(
                ["req", "-x509", "-new", "-key", "enc.key", "-passin", "pass:secret", "-out", "enc.crt", "-days", "1", "-subj", "/CN=enc.test"],
                in: directory
            )
            let keyPEM = try readBytes("enc.key", in: directory)
            let error = #expect(throws: CertificateLoadError.self) {
                try ServerCertificate.load(certificatePEM: try readBytes("enc.crt", in: directory), keyPEM: keyPEM)
            }
            #expect(error?.code == .encryptedPrivateKey)
            expectNoKeyMaterial(in: error, keyPEM: String(decoding: keyPEM, as: UTF8.self))
        }
    }
}

/// No base64 line of the key's PEM appears in the error's text.
private func expectNoKeyMaterial(in error: CertificateLoadError?, keyPEM: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error else { return }
    let text = "\(error) \(error.message)"
    for line in keyPEM.split(separator: "\n") where !line.hasPrefix("-----") && line.count >= 16 {
        #expect(!text.contains(line), "key material in error text", sourceLocation: sourceLocation)
        #expect(!text.contains(line.prefix(16)), "key material in error text", sourceLocation: sourceLocation)
    }
}
