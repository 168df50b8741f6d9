import Crypto
import Foundation
import Testing
@testable import Storage

@Suite struct SecretBoxTests {
    static let keyA = [UInt8](repeating: 0xa5, count: 32)
    static let keyB = [UInt8](repeating: 0x5a, count: 32)

    @Test func sealsAndOpensWithTheSameKeyAndContext() throws {
        let box = try SecretBox(key: Self.keyA, source: .provided(label: "test key A"))
        let secret = Array("-----BEGIN EC PRIVATE KEY-----\nsecret\n".utf8)
        let sealed = try box.seal(secret, context: "certificate-key:1")
        #expect(sealed.first == 1)
        #expect(sealed.count == 1 + 12 + secret.count + 16)
        #expect(!contains(sealed, Array("secret".utf8)))
        #expect(try box.open(sealed, context: "certificate-key:1") == secret)
        // A fresh nonce each time: the same plaintext seals differently.
        #expect(try box.seal(secret, context: "certificate-key:1") != sealed)
    }

    @Test func wrongKeyIsAClearErrorNamingTheSourceNotTheKey() throws {
        let boxA = try SecretBox(key: Self.keyA, source: .provided(label: "test key A"))
        let sealed = try boxA.seal(Array("hello".utf8), context: "account-key:le")
        let boxB = try SecretBox(key: Self.keyB, source: .environment(variable: "GATEHOUSE_SECRET_KEY"))
        let error = #expect(throws: StorageError.self) { try boxB.open(sealed, context: "account-key:le") }
        #expect(error?.code == .wrongSecretKey)
        #expect(error?.description.contains("environment variable GATEHOUSE_SECRET_KEY") == true)
        #expect(error?.description.contains(Data(Self.keyB).base64EncodedString()) == false)
        #expect(!"\(boxB)".contains(Data(Self.keyB).base64EncodedString()))
        #expect("\(boxB)" == "SecretBox(key from environment variable GATEHOUSE_SECRET_KEY)")
    }

    @Test func contextIsBound() throws {
        let box = try SecretBox(key: Self.keyA, source: .provided(label: "k"))
        let sealed = try box.seal(Array("hello".utf8), context: "certificate-key:1")
        #expect(throws: StorageError.self) { try box.open(sealed, context: "certificate-key:2") }
    }

    @Test func damagedValuesAreReportedAsDamaged() throws {
        let box = try SecretBox(key: Self.keyA, source: .provided(label: "k"))
        var sealed = try box.seal(Array("hello".utf8), context: "c")
        sealed[0] = 9
        let version = #expect(throws: StorageError.self) { try box.open(sealed, context: "c") }
        #expect(version?.code == .corruptSecret)
        let short = #expect(throws: StorageError.self) { try box.open([1, 2, 3], context: "c") }
        #expect(short?.code == .corruptSecret)
        let empty = #expect(throws: StorageError.self) { try box.open([], context: "c") }
        #expect(empty?.code == .corruptSecret)
    }

    @Test func keyMustBe32Bytes() {
        let error = #expect(throws: StorageError.self) { try SecretBox(key: [1, 2, 3], source: .provided(label: "short")) }
        #expect(error?.code == .invalidSecretKey)
    }

    @Test func secretBytesNeverPrint() {
        let secret = SecretBytes(utf8: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        #expect(secret.description == "<secret: \(secret.count) bytes>")
        #expect(String(reflecting: secret) == secret.description)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("AAAA"))
        let record = AccountRecord(resolver: "le", directoryURL: "https://ca/dir", privateKey: secret, keyType: "EC256")
        #expect(!"\(record)".contains("AAAA"))
        #expect(!String(reflecting: record).contains("AAAA"))
        var dumpedRecord = ""
        dump(record, to: &dumpedRecord)
        #expect(!dumpedRecord.contains("AAAA"))
        #expect(dumpedRecord.contains("le"))  // control: the dump does show the record
    }

    // MARK: Loading

    @Test func environmentBase64KeyIsUsedAsIs() throws {
        try withTemporaryPath { directory in
            let box = try SecretBox.load(dataDirectory: directory, environment: ["GATEHOUSE_SECRET_KEY": " \(testEnvironmentKey)\n"])
            #expect(box.source == .environment(variable: "GATEHOUSE_SECRET_KEY"))
            let reference = try SecretBox(key: Array(Data(base64Encoded: testEnvironmentKey)!), source: .provided(label: "ref"))
            #expect(try reference.open(try box.seal([42], context: "c"), context: "c") == [42])
            #expect(!FileManager.default.fileExists(atPath: directory + "/secret.key"))
        }
    }

    @Test func environmentPassphraseIsHashedWithSHA256() throws {
        try withTemporaryPath { directory in
            let passphrase = "correct horse battery staple"
            let box = try SecretBox.load(dataDirectory: directory, environment: ["GATEHOUSE_SECRET_KEY": passphrase])
            let reference = try SecretBox(key: Array(SHA256.hash(data: Array(passphrase.utf8))), source: .provided(label: "ref"))
            #expect(try reference.open(try box.seal([7], context: "c"), context: "c") == [7])
        }
    }

    @Test func shortPassphraseIsRefused() throws {
        try withTemporaryPath { directory in
            let error = #expect(throws: StorageError.self) {
                try SecretBox.load(dataDirectory: directory, environment: ["GATEHOUSE_SECRET_KEY": "hunter2"])
            }
            #expect(error?.code == .invalidSecretKey)
            #expect(error?.description.contains("GATEHOUSE_SECRET_KEY") == true)
            #expect(error?.description.contains("hunter2") == false)
        }
    }

    @Test func keyFileIsCreated0600InA0700DirectoryAndReused() throws {
        try withTemporaryPath { root in
            let directory = root + "/nested/data"
            let first = try SecretBox.load(dataDirectory: directory, environment: [:])
            let path = directory + "/secret.key"
            #expect(first.source == .file(path: path))
            #expect(try permissions(of: path) == 0o600)
            #expect(try permissions(of: directory) == 0o700)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)

            let second = try SecretBox.load(dataDirectory: directory, environment: ["GATEHOUSE_SECRET_KEY": ""])
            #expect(try second.open(try first.seal([1, 2, 3], context: "c"), context: "c") == [1, 2, 3])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        }
    }

    @Test func keyFileWithWideModeIsNarrowed() throws {
        try withTemporaryPath { directory in
            _ = try SecretBox.load(dataDirectory: directory, environment: [:])
            let path = directory + "/secret.key"
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(try permissions(of: path) == 0o644)
            _ = try SecretBox.load(dataDirectory: directory, environment: [:])
            #expect(try permissions(of: path) == 0o600)
        }
    }

    @Test func malformedKeyFileNamesTheFile() throws {
        try withTemporaryPath { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/secret.key"
            try "c2hvcnQ=\n".write(toFile: path, atomically: false, encoding: .utf8)
            let error = #expect(throws: StorageError.self) { try SecretBox.load(dataDirectory: directory, environment: [:]) }
            #expect(error?.code == .invalidSecretKey)
            #expect(error?.description.contains("key file \(path)") == true)
        }
    }
}

/// A path inside a fresh temporary directory, removed afterwards.
func withTemporaryPath(_ body: (String) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("gatehouse-storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try body(root.appendingPathComponent("data").path)
}
