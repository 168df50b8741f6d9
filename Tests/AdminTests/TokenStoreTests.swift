import Admin
import Foundation
import Storage
import Testing

@Suite("Tokens: random, shown once, stored hashed")
struct TokenStoreTests {
    /// Every byte of the database files (main file, WAL, shared memory).
    static func databaseBytes(_ dataDirectory: String) throws -> Data {
        var data = Data()
        for suffix in ["", "-wal", "-shm"] {
            let path = dataDirectory + "/" + SQLiteCertificateStorage.databaseFileName + suffix
            if let contents = FileManager.default.contents(atPath: path) { data.append(contents) }
        }
        return data
    }

    @Test("the database holds the token's SHA-256, never the token")
    func hashedAtRest() async throws {
        try await withStore { storage, tokens, dataDirectory in
            let issued = try await storage.createToken(name: "ci-deploy", scopes: ["ingress.read", "acme.manage"])
            let bytes = try Self.databaseBytes(dataDirectory)
            #expect(!bytes.isEmpty)
            for secret in [issued.secret, tokens.read, tokens.admin] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "a token is stored in clear")
                // Without the prefix too: the random part alone must not be there either.
                #expect(bytes.range(of: Data(secret.dropFirst(3).utf8)) == nil)
            }
            #expect(bytes.range(of: Data(TokenSecret.hash(issued.secret).utf8)) != nil, "the hash is what is stored")
        }
    }

    @Test("tokens are gh_ and 43 base64url characters, all different")
    func format() async throws {
        let secrets = (0..<200).map { _ in TokenSecret.generate() }
        #expect(Set(secrets).count == secrets.count)
        for secret in secrets {
            #expect(secret.hasPrefix("gh_"))
            #expect(secret.count == 46)
            #expect(secret.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        }
        // SHA-256("abc"), FIPS 180-2's example.
        #expect(TokenSecret.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("authenticate finds the token by its secret, records its use, and knows nothing else")
    func authenticate() async throws {
        try await withStore { storage, _, _ in
            let issued = try await storage.createToken(name: "alice", scopes: ["admin", "admin"])
            #expect(issued.record.scopes == ["admin"])
            #expect(try await storage.tokens().first { $0.name == "alice" }?.lastUsedAt == nil)
            let found = try await storage.authenticate(secret: issued.secret)
            #expect(found?.name == "alice")
            #expect(found?.scopes == ["admin"])
            #expect(found?.lastUsedAt != nil)
            #expect(try await storage.tokens().first { $0.name == "alice" }?.lastUsedAt != nil)
            var altered = issued.secret
            altered.removeLast()
            #expect(try await storage.authenticate(secret: altered) == nil)
            #expect(try await storage.authenticate(secret: TokenSecret.hash(issued.secret)) == nil, "the hash is not a token")
            #expect(try await storage.authenticate(secret: "") == nil)
        }
    }

    @Test("names are unique and checked; revoking an unknown name fails")
    func names() async throws {
        try await withStore { storage, _, _ in
            _ = try await storage.createToken(name: "bob", scopes: ["ingress.read"])
            await #expect {
                _ = try await storage.createToken(name: "bob", scopes: ["admin"])
            } throws: { ($0 as? StorageError)?.code == .duplicateToken }
            for bad in ["", "with space", "semi;colon", String(repeating: "x", count: 65)] {
                await #expect {
                    _ = try await storage.createToken(name: bad, scopes: ["admin"])
                } throws: { ($0 as? StorageError)?.code == .invalidTokenName }
            }
            await #expect {
                try await storage.revokeToken(name: "nobody")
            } throws: { ($0 as? StorageError)?.code == .tokenNotFound }
            try await storage.revokeToken(name: "bob")
            #expect(try await storage.tokens().map(\.name) == ["acme", "manager", "reader", "root"])
        }
    }

    @Test("an issued token's description and dump never show the secret")
    func description() async throws {
        try await withStore { storage, _, _ in
            let issued = try await storage.createToken(name: "carol", scopes: ["ingress.read"])
            var dumped = ""
            dump(issued, to: &dumped)
            for shown in [issued.description, String(describing: issued), String(reflecting: issued), dumped] {
                #expect(!shown.contains(issued.secret))
                #expect(!shown.contains(String(issued.secret.dropFirst(3))))
            }
            #expect(issued.description.contains("carol"))
        }
    }
}

@Suite("Scopes")
struct ScopeTests {
    @Test("admin implies every scope; ingress.manage implies ingress.read; nothing else")
    func implication() {
        for scope in Scope.allCases {
            #expect(scope.isGranted(by: ["admin"]))
            #expect(scope.isGranted(by: [scope.rawValue]))
        }
        #expect(Scope.ingressRead.isGranted(by: ["ingress.manage"]))
        #expect(!Scope.ingressManage.isGranted(by: ["ingress.read"]))
        #expect(!Scope.ingressRead.isGranted(by: ["acme.manage"]))
        #expect(!Scope.admin.isGranted(by: ["ingress.manage", "acme.manage", "ingress.read"]))
        #expect(!Scope.ingressRead.isGranted(by: ["Ingress.Read", "ingress"]))
        #expect(!Scope.ingressRead.isGranted(by: []))
    }

    @Test("lists parse, keep order, drop duplicates, and name what is unknown")
    func parsing() throws {
        #expect(try Scope.parseList("ingress.read, acme.manage,ingress.read") == [.ingressRead, .acmeManage])
        #expect(throws: ScopeListError(list: "ingress.read,root", unknown: "root")) { try Scope.parseList("ingress.read,root") }
        #expect(throws: ScopeListError(list: "", unknown: "")) { try Scope.parseList("") }
        #expect(throws: ScopeListError(list: "admin,", unknown: "")) { try Scope.parseList("admin,") }
        #expect("\(ScopeListError(list: "x", unknown: "x"))".contains("ingress.read"))
    }
}
