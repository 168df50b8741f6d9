import Crypto
import Foundation
import Testing
@testable import Storage

@Suite struct TraefikImportTests {
    static let directoryURL = "https://acme.example/directory"

    /// A scratch directory beside the data directory for acme.json and openssl's files.
    static func scratch(for dataDirectory: String) throws -> String {
        let path = (dataDirectory as NSString).deletingLastPathComponent + "/traefik"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(.enabled(if: opensslUsable, "openssl is not installed (set CI=true to make this a failure)"))
    func importsARealisticFileOnceAndNeverWritesIt() async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            let fixture = try ACMEJSONFixture(directory: scratch)
            let path = scratch + "/acme.json"
            try fixture.data().write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let modifiedBefore = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date

            let result = try await withStorage(in: directory) { storage async throws in
                let result = try await storage.importTraefikACMEJSON(path: path, resolver: "le", directoryURL: Self.directoryURL, nodeID: "node-a")
                #expect(result.status == .imported)
                #expect(result.accountStored)
                #expect(result.certificateIDs.count == 2)
                #expect(result.notes.contains { $0.contains("broken.example.net") && $0.contains("no certificate") })
                #expect(try await storage.hasImported(path: path, resolver: "le"))

                // The account: PKCS#1 DER became RSA PRIVATE KEY PEM holding the same DER.
                let account = try #require(try await storage.account(resolver: "le", directoryURL: Self.directoryURL))
                #expect(account.email == "ops@example.com")
                #expect(account.accountURL == ACMEJSONFixture.accountURL)
                #expect(account.keyType == "RSA2048")
                let accountPEM = String(decoding: account.privateKey.bytes, as: UTF8.self)
                let blocks = try PEMDocument.parseAll(accountPEM)
                #expect(blocks.map(\.label) == ["RSA PRIVATE KEY"])
                #expect(blocks.first?.der == fixture.accountKeyDER)
                try accountPEM.write(toFile: scratch + "/imported-account.pem", atomically: false, encoding: .utf8)
                #expect(try openssl(["rsa", "-in", "imported-account.pem", "-check", "-noout"], in: scratch).contains("RSA key ok"))

                // The first certificate, with facts read from its DER, checked against openssl.
                let first = try #require(try await storage.certificate(resolver: "le", names: ["www.example.com", "example.com"]))
                #expect(first.names == ["example.com", "www.example.com"])
                #expect(first.status == .valid)
                #expect(first.source == .traefikACMEJSON)
                #expect(first.chainPEM == fixture.firstChainPEM)
                #expect(first.privateKey == SecretBytes(utf8: fixture.firstKeyPEM))
                #expect(first.keyType == "EC256")
                #expect(first.issuer == ACMEJSONFixture.caIssuer)
                #expect(first.serialNumber == "ab12cd34")
                let opensslSerial = try openssl(["x509", "-in", fixture.firstLeafPath, "-noout", "-serial"], in: scratch)
                #expect(opensslSerial.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "serial=ab12cd34")
                let notBefore = try #require(first.notBefore)
                let notAfter = try #require(first.notAfter)
                #expect(notAfter.timeIntervalSince(notBefore) == 90 * 86_400)
                #expect(abs(notBefore.timeIntervalSinceNow) < 600)
                let expectedEnd = try Self.opensslDate(
                    openssl(["x509", "-in", fixture.firstLeafPath, "-noout", "-enddate", "-dateopt", "iso_8601"], in: scratch)
                )
                #expect(notAfter == expectedEnd)
                #expect(try await storage.statusHistory(certificateID: first.id).map(\.to) == [.valid])

                // The second: a PKCS#8 P-384 key, a wildcard that now serves its subdomains.
                let second = try #require(try await storage.certificate(resolver: "le", names: ["wild.example.org", "*.wild.example.org"]))
                #expect(second.keyType == "EC384")
                #expect(second.serialNumber == "7f01")
                #expect(second.privateKey == SecretBytes(utf8: fixture.secondKeyPEM))
                #expect(try await storage.validCertificate(covering: "api.wild.example.org")?.id == second.id)
                #expect(try await storage.validCertificate(covering: "www.example.com")?.id == first.id)

                let audit = try await storage.auditEvents(AuditQuery())
                #expect(audit.map(\.kind) == [.accountImported, .certificateImported, .certificateImported])
                #expect(audit.allSatisfy { $0.nodeID == "node-a" && $0.detail.contains(path) })
                #expect(Set(audit.compactMap(\.certificateID)) == Set(result.certificateIDs))

                // Importing again does nothing, even through another spelling of the path.
                let again = try await storage.importTraefikACMEJSON(path: scratch + "/./acme.json", resolver: "le", directoryURL: Self.directoryURL)
                #expect(again.status == .alreadyImported)
                #expect(try await storage.certificates(resolver: "le").count == 2)
                #expect(try await storage.auditEvents(AuditQuery()).count == 3)
                return result
            }
            // After a restart, still a no-op.
            try await withStorage(in: directory) { storage async throws in
                let again = try await storage.importTraefikACMEJSON(path: path, resolver: "le", directoryURL: Self.directoryURL)
                #expect(again.status == .alreadyImported)
                #expect(try await storage.certificates(resolver: nil).map(\.id).sorted() == result.certificateIDs.sorted())

                // A resolver with null account and certificates imports nothing, but is marked.
                let staging = try await storage.importTraefikACMEJSON(path: path, resolver: "staging", directoryURL: Self.directoryURL)
                #expect(staging.status == .imported)
                #expect(!staging.accountStored && staging.certificateIDs.isEmpty)
                // A resolver the file does not have is reported and not marked.
                let absent = try await storage.importTraefikACMEJSON(path: path, resolver: "nope", directoryURL: Self.directoryURL)
                #expect(absent.status == .resolverMissing)
                #expect(absent.notes.first?.contains("le, staging") == true)
                #expect(try await !storage.hasImported(path: path, resolver: "nope"))
            }
            // The file was never written.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            let modifiedAfter = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            #expect(modifiedAfter == modifiedBefore)
            #expect(try permissions(of: path) == 0o600)
        }
    }

    @Test(.enabled(if: opensslUsable, "openssl is not installed (set CI=true to make this a failure)"))
    func existingRecordsAreKept() async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            let fixture = try ACMEJSONFixture(directory: scratch)
            let path = scratch + "/acme.json"
            try fixture.data().write(to: URL(fileURLWithPath: path))
            try await withStorage(in: directory) { storage async throws in
                let existingAccount = AccountRecord(
                    resolver: "le", directoryURL: Self.directoryURL, privateKey: SecretBytes(utf8: "gatehouse's own key"), keyType: "EC256",
                    createdAt: date(1_700_000_000)
                )
                try await storage.saveAccount(existingAccount)
                try await storage.insertCertificate(CertificateRecord(id: "mine", resolver: "le", names: ["example.com", "www.example.com"], status: .issuing))

                let result = try await storage.importTraefikACMEJSON(path: path, resolver: "le", directoryURL: Self.directoryURL)
                #expect(result.status == .imported)
                #expect(!result.accountStored)
                #expect(result.certificateIDs.count == 1)
                #expect(result.notes.contains { $0.contains("example.com, www.example.com") && $0.contains("already stored") })
                #expect(try await storage.account(resolver: "le", directoryURL: Self.directoryURL) == existingAccount)
                #expect(try await storage.certificate(resolver: "le", names: ["example.com", "www.example.com"])?.id == "mine")
                #expect(try await storage.certificate(resolver: "le", names: ["*.wild.example.org", "wild.example.org"]) != nil)
            }
        }
    }

    @Test func emptyAndMissingFilesImportNothingWithoutError() async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            try await withStorage(in: directory) { storage async throws in
                let empty = scratch + "/empty.json"
                #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
                #expect(try await storage.importTraefikACMEJSON(path: empty, resolver: "le", directoryURL: Self.directoryURL).status == .fileEmpty)
                let blank = scratch + "/blank.json"
                #expect(FileManager.default.createFile(atPath: blank, contents: Data(" \n\t\n".utf8)))
                #expect(try await storage.importTraefikACMEJSON(path: blank, resolver: "le", directoryURL: Self.directoryURL).status == .fileEmpty)
                let missing = scratch + "/missing.json"
                #expect(try await storage.importTraefikACMEJSON(path: missing, resolver: "le", directoryURL: Self.directoryURL).status == .fileMissing)
                #expect(try await storage.certificates(resolver: nil).isEmpty)
                #expect(try await storage.account(resolver: "le", directoryURL: Self.directoryURL) == nil)
                #expect(try await !storage.hasImported(path: empty, resolver: "le"))
            }
        }
    }

    /// A valid account beside the broken part, so "imports nothing" is observable.
    static func fileWithValidAccount(certificatesJSON: String) -> Data {
        let key = P256.Signing.PrivateKey().derRepresentation.base64EncodedString()
        return Data("""
        {"le": {"Account": {"Email": "ops@example.com", "PrivateKey": "\(key)", "KeyType": "EC256"},
                "Certificates": \(certificatesJSON)}}
        """.utf8)
    }

    @Test(arguments: [
        ("not json", Data("{ \"le\": { \"Account\": ".utf8), "not valid JSON"),
        ("array", Data("[1, 2]".utf8), "top level"),
        ("resolver not object", Data("{\"le\": 42}".utf8), "resolver \"le\" is not a JSON object"),
        ("v1 format", Data("{\"Account\": {\"Email\": \"a@b\", \"PrivateKey\": \"AAAA\"}, \"Certificates\": []}".utf8), "Traefik v1"),
        ("certificates not array", Data("{\"le\": {\"Certificates\": {}}}".utf8), "Certificates is not a JSON array"),
        ("account key not a key", Data("{\"le\": {\"Account\": {\"PrivateKey\": \"aGVsbG8=\"}}}".utf8), "Account.PrivateKey is not a private key"),
    ])
    func malformedFilesAreRefusedNamingTheFile(label: String, content: Data, expected: String) async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            let path = scratch + "/acme-\(label.replacingOccurrences(of: " ", with: "-")).json"
            try content.write(to: URL(fileURLWithPath: path))
            try await Self.expectRefusal(path: path, expected: expected, in: directory)
        }
    }

    @Test(arguments: [
        ("bad base64", #"[{"domain": {"main": "a.example"}, "certificate": "!!not base64!!", "key": "AAAA"}]"#, "Certificates[0]: certificate is not base64"),
        ("no domain", #"[{"certificate": "AAAA", "key": "AAAA"}]"#, "Certificates[0] has no domain"),
        ("bad name", #"[{"domain": {"main": "a b.example"}, "certificate": "QQ==", "key": "QQ=="}]"#, "contains a comma, whitespace"),
        ("not a certificate", #"[{"domain": {"main": "a.example"}, "certificate": "aGVsbG8=", "key": "aGVsbG8="}]"#, "no CERTIFICATE block"),
        ("sans not strings", #"[{"domain": {"main": "a.example", "sans": [1]}, "certificate": "QQ==", "key": "QQ=="}]"#, "domain.sans is not an array of strings"),
    ])
    func aBrokenCertificateRefusesTheWholeFile(label: String, certificatesJSON: String, expected: String) async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            let path = scratch + "/acme.json"
            try Self.fileWithValidAccount(certificatesJSON: certificatesJSON).write(to: URL(fileURLWithPath: path))
            try await Self.expectRefusal(path: path, expected: expected, in: directory)
        }
    }

    @Test func aValidAccountAloneImports() async throws {
        try await withDataDirectory { directory in
            let scratch = try Self.scratch(for: directory)
            let path = scratch + "/acme.json"
            try Self.fileWithValidAccount(certificatesJSON: "[]").write(to: URL(fileURLWithPath: path))
            try await withStorage(in: directory) { storage async throws in
                let result = try await storage.importTraefikACMEJSON(path: path, resolver: "le", directoryURL: Self.directoryURL)
                #expect(result.status == .imported && result.accountStored)
                let account = try #require(try await storage.account(resolver: "le", directoryURL: Self.directoryURL))
                #expect(account.keyType == "EC256")
                #expect(String(decoding: account.privateKey.bytes, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
                // swift-crypto reads back the PEM the importer wrote.
                _ = try P256.Signing.PrivateKey(pemRepresentation: String(decoding: account.privateKey.bytes, as: UTF8.self))
            }
        }
    }

    static func expectRefusal(path: String, expected: String, in directory: String) async throws {
        try await withStorage(in: directory) { storage async throws in
            let error = await #expect(throws: StorageError.self) {
                try await storage.importTraefikACMEJSON(path: path, resolver: "le", directoryURL: Self.directoryURL)
            }
            #expect(error?.code == .invalidACMEJSON)
            #expect(error?.description.contains(path) == true, "\(error?.description ?? "")")
            #expect(error?.description.contains(expected) == true, "\(error?.description ?? "") lacks \(expected)")
            #expect(try await !storage.hasImported(path: path, resolver: "le"))
            #expect(try await storage.account(resolver: "le", directoryURL: Self.directoryURL) == nil)
            #expect(try await storage.certificates(resolver: nil).isEmpty)
            #expect(try await storage.auditEvents(AuditQuery()).isEmpty)
        }
    }

    /// `notAfter=2027-03-01 12:00:00Z` (openssl x509 -dateopt iso_8601).
    static func opensslDate(_ output: String) throws -> Date {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let equals = text.firstIndex(of: "=") else { throw TestSupportError(description: "no date in \(text)") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        guard let date = formatter.date(from: String(text[text.index(after: equals)...])) else {
            throw TestSupportError(description: "cannot parse \(text)")
        }
        return date
    }
}
