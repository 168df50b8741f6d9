import Testing
@testable import Config

/// Resolver problems name the key; the rest of the static configuration stays valid.
@Suite struct ACMEResolverValidationTests {
    func problems(_ acme: String) throws -> [String] {
        let configuration = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web: {address: ":80"}
        certificatesResolvers:
          le:
            acme:
        \(acme.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
              httpChallenge: {entryPoint: web}
        dnsServer: {address: "127.0.0.1:5353"}
        """)
        return configuration.validate(dnsProviders: ["builtin", "rfc2136"]).map { "\($0.keyPath): \($0.message)" }
    }

    @Test("a complete resolver has no problems, and the key type defaults to EC256")
    func valid() throws {
        #expect(try problems("""
        email: ops@example.com
        caServer: https://acme-staging-v02.api.letsencrypt.org/directory
        keyType: RSA4096
        eab: {kid: kid-1, hmacEncoded: c2VjcmV0LWtleQ}
        """).isEmpty)
        #expect(CertificatesResolver.ACME().effectiveKeyType == "EC256")
    }

    @Test("each bad field is reported under its own key", arguments: [
        ("email: ops@", "certificatesResolvers.le.acme.email"),
        ("email: \"ops at example.com\"", "certificatesResolvers.le.acme.email"),
        ("email: mailto:ops@example.com", "certificatesResolvers.le.acme.email"),
        ("email: ops@localhost", "certificatesResolvers.le.acme.email"),
        ("keyType: RSA1024", "certificatesResolvers.le.acme.keyType"),
        ("keyType: RSA8192", "certificatesResolvers.le.acme.keyType"),
        ("caServer: acme.example.com/directory", "certificatesResolvers.le.acme.caServer"),
        ("caServer: \"https:///directory\"", "certificatesResolvers.le.acme.caServer"),
        ("eab: {kid: k}", "certificatesResolvers.le.acme.eab.hmacEncoded"),
        ("eab: {kid: k, hmacEncoded: \"not base64!\"}", "certificatesResolvers.le.acme.eab.hmacEncoded"),
        ("certificatesDuration: 0", "certificatesResolvers.le.acme.certificatesDuration"),
        ("dnsChallenge: {provider: nosuchdns}", "certificatesResolvers.le.acme.dnsChallenge.provider"),
    ])
    func badField(line: String, keyPath: String) throws {
        let found = try problems(line)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(keyPath + ":") == true, "\(found)")
    }

    @Test("an EAB HMAC key never appears in the message")
    func secretNotShown() throws {
        let found = try problems("eab: {kid: k, hmacEncoded: \"s3cr3t+value/x\"}")
        #expect(found.count == 1)
        #expect(!found.joined().contains("s3cr3t"))
    }

    @Test("dnsServer.address is checked like an entry point address")
    func dnsServerAddress() throws {
        let configuration = try ConfigLoader.loadStatic(string: "dnsServer: {address: \"nonsense\"}\n")
        #expect(configuration.validate().contains { $0.keyPath == "dnsServer.address" })
        #expect(configuration.dnsServer?.effectiveAddress == "nonsense")
        #expect(StaticConfiguration().dnsServer?.effectiveAddress == nil)
    }
}
