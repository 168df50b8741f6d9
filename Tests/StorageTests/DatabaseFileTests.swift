import Foundation
import Testing
@testable import Storage

/// The database file: where it is, its modes, its schema, and the secret key check at open.
@Suite struct DatabaseFileTests {
    @Test func createsDirectory0700AndDatabase0600() async throws {
        try await withDataDirectory { directory in
            #expect(!FileManager.default.fileExists(atPath: directory))
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage async throws in
                #expect(storage.databasePath == directory + "/gatehouse.db")
                try await storage.saveAccount(AccountRecord(
                    resolver: "le", directoryURL: "https://ca/dir", privateKey: SecretBytes([1, 2, 3]), keyType: "EC256"
                ))
                #expect(try permissions(of: directory) == 0o700)
                #expect(try permissions(of: directory + "/gatehouse.db") == 0o600)
                // SQLite made its WAL files while open; they carry the database's mode.
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: directory + "/gatehouse.db" + suffix) {
                    #expect(try permissions(of: directory + "/gatehouse.db" + suffix) == 0o600)
                }
            }
            // The environment key was used: no key file was written.
            #expect(!FileManager.default.fileExists(atPath: directory + "/secret.key"))
        }
    }

    @Test func existingWideDatabaseFileIsNarrowed() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/gatehouse.db"
            #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
            #expect(try permissions(of: path) == 0o644)
            try await withStorage(in: directory) { _ in }
            #expect(try permissions(of: path) == 0o600)
            #expect(try permissions(of: directory + "/secret.key") == 0o600)
        }
    }

    @Test func migratesAnEmptyFileToTheCurrentSchema() async throws {
        try await withDataDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: directory + "/gatehouse.db", contents: Data()))
            try await withStorage(in: directory) { storage async throws in
                #expect(try await storage.schemaVersion() == SQLiteSchema.currentVersion)
                let tables = try await storage.run("list tables") {
                    try await storage.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                        .compactMap { $0.text("name") }
                }
                for table in [
                    "accounts", "audit_log", "certificate_names", "certificates", "dns_challenges", "http_challenges",
                    "imports", "locks", "meta", "schema_version", "status_history", "tls_alpn_challenges",
                ] {
                    #expect(tables.contains(table), "missing table \(table)")
                }
            }
            // Opening again applies nothing and keeps the version.
            try await withStorage(in: directory) { storage async throws in
                #expect(try await storage.schemaVersion() == SQLiteSchema.currentVersion)
            }
        }
    }

    @Test func refusesASchemaFromTheFuture() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                try await storage.run("pretend a newer version wrote this") {
                    try await storage.query("UPDATE schema_version SET version = 99")
                }
            }
            let error = await #expect(throws: StorageError.self) {
                try await withStorage(in: directory) { _ in }
            }
            #expect(error?.code == .schemaTooNew)
            #expect(error?.description.contains("99") == true)
            #expect(error?.description.contains(directory + "/gatehouse.db") == true)
        }
    }

    @Test func wrongSecretKeyFailsAtOpenNamingTheSource() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage async throws in
                try await storage.saveAccount(AccountRecord(
                    resolver: "le", directoryURL: "https://ca/dir", privateKey: SecretBytes([9, 9, 9]), keyType: "EC256"
                ))
            }
            let otherPassphrase = "a different passphrase, long enough"
            let error = await #expect(throws: StorageError.self) {
                try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": otherPassphrase]) { _ in }
            }
            #expect(error?.code == .wrongSecretKey)
            let text = error?.description ?? ""
            #expect(text.contains("environment variable GATEHOUSE_SECRET_KEY"))
            #expect(text.contains(directory + "/gatehouse.db"))
            #expect(!text.contains(otherPassphrase))
            #expect(!text.contains(testEnvironmentKey))

            // Without the environment variable, a new key file is made: also the wrong key, and
            // the message names the file.
            let fileError = await #expect(throws: StorageError.self) {
                try await withStorage(in: directory) { _ in }
            }
            #expect(fileError?.code == .wrongSecretKey)
            #expect(fileError?.description.contains("key file \(directory)/secret.key") == true)

            // The right key still opens it.
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage async throws in
                #expect(try await storage.account(resolver: "le", directoryURL: "https://ca/dir")?.privateKey == SecretBytes([9, 9, 9]))
            }
        }
    }

    @Test func privateKeysNeverReachTheFilesInTheClear() async throws {
        try await withDataDirectory { directory in
            let certificateKey = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIHcertificatekeycertificatekeycertificatekey0001\n-----END EC PRIVATE KEY-----\n"
            let orderKey = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIHorderkeyorderkeyorderkeyorderkeyorderkey00002\n-----END EC PRIVATE KEY-----\n"
            let accountKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEaccountkeyaccountkeyaccountkeyaccountkeyaccount003\n-----END RSA PRIVATE KEY-----\n"
            let challengeKey = "-----BEGIN PRIVATE KEY-----\nMIGHchallengekeychallengekeychallengekeychallenge0004\n-----END PRIVATE KEY-----\n"
            let chain = "-----BEGIN CERTIFICATE-----\nMIIBpublicchainpublicchainpublicchainpublicchain0005\n-----END CERTIFICATE-----\n"
            try await withStorage(in: directory) { storage async throws in
                try await storage.saveAccount(AccountRecord(
                    resolver: "le", directoryURL: "https://ca/dir", privateKey: SecretBytes(utf8: accountKey), keyType: "RSA2048"
                ))
                try await storage.insertCertificate(CertificateRecord(
                    resolver: "le",
                    names: ["example.com"],
                    status: .renewing,
                    chainPEM: chain,
                    privateKey: SecretBytes(utf8: certificateKey),
                    keyType: "EC256",
                    pendingOrder: PendingOrder(orderURL: "https://ca/order/1", privateKey: SecretBytes(utf8: orderKey), keyType: "EC256")
                ))
                try await storage.putTLSALPNChallenge(TLSALPNChallengeAnswer(
                    identifier: "example.com", certificatePEM: chain, privateKey: SecretBytes(utf8: challengeKey),
                    expiresAt: Date().addingTimeInterval(600)
                ))
                // Read back while open: the keys decrypt.
                let stored = try await storage.certificate(resolver: "le", names: ["example.com"])
                #expect(stored?.privateKey == SecretBytes(utf8: certificateKey))
                #expect(stored?.pendingOrder?.privateKey == SecretBytes(utf8: orderKey))
            }
            let files = try allFileBytes(in: directory)
            #expect(files.map(\.0).contains("gatehouse.db"))
            var chainFound = false
            for (name, bytes) in files {
                for secret in [certificateKey, orderKey, accountKey, challengeKey] {
                    let body = secret.split(separator: "\n")[1]
                    #expect(!contains(bytes, Array(body.utf8)), "key material in \(name)")
                    #expect(!contains(bytes, Array("PRIVATE KEY".utf8)), "PEM label in \(name)")
                }
                if contains(bytes, Array("publicchainpublicchain".utf8)) { chainFound = true }
            }
            // Control: the (public) chain is stored in the clear, so the search does find text.
            #expect(chainFound)
        }
    }

    @Test func closedStorageRefusesWork() async throws {
        try await withDataDirectory { directory in
            let storage = try await SQLiteCertificateStorage.open(dataDirectory: directory, environment: [:])
            try await storage.close()
            try await storage.close()  // twice is harmless
            let error = await #expect(throws: StorageError.self) { try await storage.certificates(resolver: nil) }
            #expect(error?.code == .closed)
        }
    }
}
