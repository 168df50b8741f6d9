import NIOSSL
import TLS
import Testing

@Suite("tls.options translation (Go names → TLSServerSettings)")
struct TLSOptionsTranslationTests {
    @Test("without keys the built-in modern profile results")
    func empty() throws {
        let options = try TLSOptions(TLSOptionsDefinition(name: "x"))
        #expect(options == TLSOptions.builtInDefault)
        #expect(options.settings.minimumVersion == .tlsv12)
        #expect(options.settings.applicationProtocols == ["h2", "http/1.1"])
    }

    @Test("versions, suites, curves, ALPN and sniStrict by their Traefik names")
    func names() throws {
        let options = try TLSOptions(TLSOptionsDefinition(
            name: "x",
            minVersion: "VersionTLS11",
            maxVersion: "VersionTLS12",
            cipherSuites: ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"],
            curvePreferences: ["CurveP384", "x25519", "secp521r1"],
            alpnProtocols: ["http/1.1", "acme-tls/1"],
            sniStrict: true
        ))
        #expect(options.settings.minimumVersion == .tlsv11)
        #expect(options.settings.maximumVersion == .tlsv12)
        // The TLS 1.3 name is skipped; the legacy ChaCha spelling maps to the _SHA256 suite.
        #expect(options.settings.cipherSuites == [.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256])
        #expect(options.settings.curves == [.secp384r1, .x25519, .secp521r1])
        #expect(options.settings.applicationProtocols == ["http/1.1"])
        #expect(options.sniStrict)
    }

    @Test("only TLS 1.3 suites with minVersion VersionTLS13 is accepted")
    func onlyTLS13Suites() throws {
        let options = try TLSOptions(TLSOptionsDefinition(name: "x", minVersion: "VersionTLS13", cipherSuites: ["TLS_AES_256_GCM_SHA384"]))
        #expect(options.settings.minimumVersion == .tlsv13)
        _ = try options.settings.makeContext(for: DefaultCertificate.shared)
    }

    @Test(
        "an error names the key at fault",
        arguments: [
            (TLSOptionsDefinition(name: "a", minVersion: "TLS13"), "tls.options.a.minVersion"),
            (TLSOptionsDefinition(name: "a", maxVersion: "VersionTLS14"), "tls.options.a.maxVersion"),
            (TLSOptionsDefinition(name: "a", minVersion: "VersionTLS13", maxVersion: "VersionTLS12"), "tls.options.a"),
            (TLSOptionsDefinition(name: "b", cipherSuites: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_NOPE"]), "tls.options.b.cipherSuites[1]"),
            (TLSOptionsDefinition(name: "b", cipherSuites: ["TLS_AES_128_GCM_SHA256"]), "tls.options.b.cipherSuites"),
            (TLSOptionsDefinition(name: "c", curvePreferences: ["CurveP256", "P-999"]), "tls.options.c.curvePreferences[1]"),
            (TLSOptionsDefinition(name: "d", alpnProtocols: [""]), "tls.options.d"),
            (TLSOptionsDefinition(name: "e", clientAuthType: "RequireAndVerifyClientCert"), "tls.options.e.clientAuth.clientAuthType"),
            (TLSOptionsDefinition(name: "e", clientAuthType: "VerifyClientCertIfGiven"), "tls.options.e.clientAuth.clientAuthType"),
            (TLSOptionsDefinition(name: "e", clientAuthType: "Sometimes"), "tls.options.e.clientAuth.clientAuthType"),
            (TLSOptionsDefinition(name: "f", clientAuthType: "RequireAndVerifyClientCert", caCertificates: [Array("not a pem".utf8)]), "tls.options.f.clientAuth.caFiles[0]"),
        ]
    )
    func errors(_ definition: TLSOptionsDefinition, _ keyPath: String) {
        #expect(throws: TLSOptionsError.self) { try TLSOptions(definition) }
        do {
            _ = try TLSOptions(definition)
        } catch {
            #expect(error.keyPath == keyPath)
            #expect(error.description.hasPrefix(keyPath + ": "))
        }
    }

    @Test("clientAuthType values map to Go's meaning")
    func clientAuthTypes() throws {
        let ca = try TestCA()
        let caPEM = Array(try pem(ca.certificate).utf8)
        func auth(_ type: String?, _ cas: [[UInt8]] = []) throws -> TLSServerSettings.ClientAuthentication {
            try TLSOptions(TLSOptionsDefinition(name: "m", clientAuthType: type, caCertificates: cas)).settings.clientAuthentication
        }
        #expect(try auth(nil) == .none)
        #expect(try auth("NoClientCert") == .none)
        #expect(try auth("RequestClientCert") == .request())
        #expect(try auth("RequestClientCert").acceptsUnverifiedCertificates)
        #expect(try auth("RequireAnyClientCert") == .requireAny())
        #expect(try auth("RequireAnyClientCert").acceptsUnverifiedCertificates)
        #expect(try auth("VerifyClientCertIfGiven", [caPEM]) == .verifyIfGiven(trustRoots: [ca.trustRoot]))
        #expect(try auth("RequireAndVerifyClientCert", [caPEM]) == .require(trustRoots: [ca.trustRoot]))
        #expect(try !auth("RequireAndVerifyClientCert", [caPEM]).acceptsUnverifiedCertificates)
    }
}
