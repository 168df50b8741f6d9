import Crypto
import Foundation
import NIOSSL
import TLS
import Testing
import X509

@Suite("CertificateIndex")
struct CertificateIndexTests {
    /// The certificates of the selection table, by label.
    struct Fixture {
        let apex: ServerCertificate  // example.com, www.example.com
        let wildcard: ServerCertificate  // *.example.com
        let apiOld: ServerCertificate  // api.example.com, expires sooner
        let apiNew: ServerCertificate  // api.example.com, expires later
        let storeDefault: ServerCertificate  // default.test
        let generated: ServerCertificate

        init() throws {
            let now = Date()
            self.apex = try makeServerCertificate(["example.com", "WWW.Example.com."])
            self.wildcard = try makeServerCertificate(["*.example.com"], key: .p384)
            self.apiNew = try makeServerCertificate(["api.example.com"], notAfter: now.addingTimeInterval(90 * 86_400))
            self.apiOld = try makeServerCertificate(["api.example.com"], notAfter: now.addingTimeInterval(10 * 86_400))
            self.storeDefault = try makeServerCertificate(["default.test"])
            self.generated = DefaultCertificate.generate()
        }

        func label(_ certificate: ServerCertificate) -> String {
            let labels = [
                ("apex", apex), ("wildcard", wildcard), ("apiOld", apiOld), ("apiNew", apiNew),
                ("storeDefault", storeDefault), ("generated", generated),
            ]
            return labels.first { $0.1.leaf == certificate.leaf }?.0 ?? "unknown \(certificate)"
        }
    }

    static let table: [(String?, String)] = [
        ("example.com", "apex"),
        ("www.example.com", "apex"),  // exact beats wildcard
        ("foo.example.com", "wildcard"),
        ("a.b.example.com", "storeDefault"),  // a wildcard covers one label only
        ("EXAMPLE.com", "apex"),
        ("Foo.Example.COM", "wildcard"),
        ("example.com.", "apex"),
        ("foo.example.com.", "wildcard"),
        ("api.example.com", "apiNew"),  // latest notAfter wins, whatever the input order
        ("unknown.test", "storeDefault"),
        ("com", "storeDefault"),
        (".example.com", "storeDefault"),
        ("", "storeDefault"),
        (nil, "storeDefault"),
    ]

    @Test("selection table with a configured default certificate")
    func selection() throws {
        let f = try Fixture()
        let index = CertificateIndex(
            certificates: [f.apex, f.wildcard, f.apiOld, f.apiNew],
            defaultCertificate: f.storeDefault,
            generatedDefault: f.generated
        )
        for (serverName, expected) in Self.table {
            #expect(f.label(index.certificate(forServerName: serverName)) == expected, "SNI \(serverName ?? "nil")")
        }
        #expect(index.rejected.isEmpty)
        #expect(index.certificates.count == 4)
    }

    @Test("without a configured default, the generated certificate is served")
    func generatedDefault() throws {
        let f = try Fixture()
        let index = CertificateIndex(certificates: [f.apiNew, f.apiOld, f.wildcard], generatedDefault: f.generated)
        #expect(f.label(index.certificate(forServerName: nil)) == "generated")
        #expect(f.label(index.certificate(forServerName: "a.b.example.com")) == "generated")
        #expect(f.label(index.certificate(forServerName: "api.example.com")) == "apiNew")
        #expect(index.defaultCertificate.isDefaultGenerated)
    }

    @Test("an empty index serves the process-wide generated certificate")
    func emptyIndex() {
        let index = CertificateIndex(certificates: [])
        #expect(index.certificate(forServerName: "anything.test").leaf == DefaultCertificate.shared.leaf)
        #expect(CertificateIndex(certificates: []).defaultCertificate.leaf == DefaultCertificate.shared.leaf)
    }

    @Test("equal notAfter: the earlier certificate in the input wins")
    func tieBreak() throws {
        let notAfter = Date().addingTimeInterval(86_400)
        let first = try makeServerCertificate(["tie.test"], notAfter: notAfter)
        let second = try makeServerCertificate(["tie.test"], notAfter: notAfter)
        #expect(CertificateIndex(certificates: [first, second]).certificate(forServerName: "tie.test").leaf == first.leaf)
        #expect(CertificateIndex(certificates: [second, first]).certificate(forServerName: "tie.test").leaf == second.leaf)
    }

    @Test("matchingCertificate ignores defaults")
    func matching() throws {
        let f = try Fixture()
        let index = CertificateIndex(certificates: [f.apex, f.wildcard], defaultCertificate: f.storeDefault)
        #expect(index.matchingCertificate(forServerName: "x.example.com")?.leaf == f.wildcard.leaf)
        #expect(index.matchingCertificate(forServerName: "default.test") == nil)
        #expect(index.matchingCertificate(forServerName: "x.y.example.com") == nil)
    }

    @Test("one shared context per certificate")
    func sharedContexts() throws {
        let f = try Fixture()
        let index = CertificateIndex(certificates: [f.apex, f.wildcard], defaultCertificate: f.storeDefault)
        #expect(index.sslContext(forServerName: "example.com") === index.sslContext(forServerName: "www.example.com"))
        #expect(index.sslContext(forServerName: "a.example.com") === index.sslContext(forServerName: "b.example.com"))
        #expect(index.sslContext(forServerName: "a.example.com") !== index.sslContext(forServerName: "example.com"))
        #expect(index.sslContext(forServerName: nil) === index.sslContext(forServerName: "nothing.test"))
        #expect(index.sslContext(forServerName: "example.com").configuration.applicationProtocols == ["h2", "http/1.1"])
    }

    @Test("contexts use the given settings")
    func settings() throws {
        let f = try Fixture()
        let index = try CertificateIndex(
            certificates: [f.apex],
            settings: TLSServerSettings(applicationProtocols: ["http/1.1"])
        )
        let configuration = index.sslContext(forServerName: "example.com").configuration
        #expect(configuration.applicationProtocols == ["http/1.1"])
        #expect(configuration.minimumTLSVersion == .tlsv12)
        #expect(configuration.maximumTLSVersion == .tlsv13)
        #expect(index.settings.applicationProtocols == ["http/1.1"])
    }

    @Test("settings BoringSSL refuses make the index fail to build")
    func badSettings() throws {
        let f = try Fixture()
        let bad: [TLSServerSettings] = [
            TLSServerSettings(cipherSuites: []),
            TLSServerSettings(cipherSuites: [NIOTLSCipher(rawValue: 0xFFFF)]),
            TLSServerSettings(cipherSuites: [.TLS_AES_128_GCM_SHA256]),
            TLSServerSettings(minimumVersion: .tlsv13, maximumVersion: .tlsv12),
            TLSServerSettings(applicationProtocols: [""]),
            TLSServerSettings(applicationProtocols: ["h2", "hé"]),
            TLSServerSettings(applicationProtocols: [String(repeating: "x", count: 256)]),
        ]
        for settings in bad {
            #expect(throws: TLSSettingsError.self) {
                try CertificateIndex(certificates: [f.apex], settings: settings)
            }
        }
        // BoringSSL's own refusals come through as errors too.
        #expect(throws: (any Error).self) {
            try CertificateIndex(certificates: [f.apex], settings: TLSServerSettings(curves: [NIOTLSCurve(rawValue: 0x7777)]))
        }
    }

    @Test("makeConfiguration refuses the settings NIOSSL would stop the process on, naming the field")
    func badSettingsConfiguration() throws {
        let f = try Fixture()
        // Without the check, the first two fail a precondition in NIOSSLContext(configuration:)
        // (an empty cipher string), the last two trap while the ALPN list is assigned.
        let bad: [(settings: TLSServerSettings, field: String)] = [
            (TLSServerSettings(cipherSuites: []), "cipherSuites"),
            (TLSServerSettings(cipherSuites: [NIOTLSCipher(rawValue: 0xFFFF)]), "cipherSuites"),
            (TLSServerSettings(applicationProtocols: ["h2", "hé"]), "applicationProtocols"),
            (TLSServerSettings(applicationProtocols: [String(repeating: "x", count: 256)]), "applicationProtocols"),
        ]
        for (settings, field) in bad {
            let error = #expect(throws: TLSSettingsError.self) {
                try settings.makeConfiguration(for: f.apex)
            }
            #expect(error?.message.hasPrefix(field) == true, "\(String(describing: error))")
        }
        #expect(try TLSServerSettings().makeConfiguration(for: f.apex).applicationProtocols == ["h2", "http/1.1"])
    }

    @Test("every suite the settings pass on is one BoringSSL knows: each alone makes a context")
    func everyKnownSuiteMakesAContext() throws {
        let f = try Fixture()
        for suite in TLSServerSettings.knownTLS12CipherSuites.sorted(by: { $0.rawValue < $1.rawValue }) {
            let context = try TLSServerSettings(cipherSuites: [suite]).makeContext(for: f.apex)
            #expect(context.configuration.cipherSuiteValues.contains(suite), "0x\(String(suite.rawValue, radix: 16))")
        }
    }

    @Test("the generated default certificate")
    func defaultCertificate() throws {
        let before = Date()
        let generated = DefaultCertificate.generate()
        let leaf = generated.leaf
        #expect(generated.isDefaultGenerated)
        #expect(generated.names == ["gatehouse.invalid"])
        #expect(generated.chain.count == 1)
        #expect("\(leaf.subject)".contains("CN=Gatehouse default certificate"))
        #expect("\(leaf.subject)".contains("O=Gatehouse"))
        #expect(leaf.subject == leaf.issuer)
        #expect(abs(generated.notBefore.timeIntervalSince(before.addingTimeInterval(-3600))) < 5)
        #expect(abs(generated.notAfter.timeIntervalSince(before.addingTimeInterval(365 * 86_400))) < 5)
        #expect(leaf.serialNumber.bytes.count == 20)
        #expect(leaf.serialNumber != DefaultCertificate.generate().leaf.serialNumber)
        #expect(leaf.publicKey.isValidSignature(leaf.signature, for: leaf))
        #expect(P256.Signing.PublicKey(leaf.publicKey) != nil)
        #expect(!generated.description.contains("PRIVATE"))
    }

    @Test("the store swaps indexes atomically")
    func store() async throws {
        let f = try Fixture()
        let first = CertificateIndex(certificates: [f.apex], defaultCertificate: f.storeDefault)
        let second = CertificateIndex(certificates: [f.wildcard], defaultCertificate: f.storeDefault)
        let store = CertificateStore(first)
        #expect(store.current.certificate(forServerName: "example.com").leaf == f.apex.leaf)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1000 {
                        let chosen = store.current.certificate(forServerName: "example.com").leaf
                        precondition(chosen == f.apex.leaf || chosen == f.storeDefault.leaf)
                    }
                }
            }
            group.addTask {
                for i in 0..<1000 {
                    store.replace(with: i.isMultiple(of: 2) ? second : first)
                }
            }
        }
        store.replace(with: second)
        #expect(store.current.certificate(forServerName: "example.com").leaf == f.storeDefault.leaf)
        #expect(store.current.certificate(forServerName: "a.example.com").leaf == f.wildcard.leaf)
    }
}
