import Testing
@testable import Middlewares

/// Password hashes written by Apache's htpasswd (and openssl passwd), checked both ways.
@Suite struct HtpasswdHashTests {
    // Made with `htpasswd -nbB -C 4|5`, `htpasswd -nbm`, `htpasswd -nbs` and `openssl passwd -1`.
    static let vectors: [(hash: String, password: String)] = [
        ("$2y$04$fFaUsmd8b6eG.8cWqkcD8eo2XBTz4lDi07i.dyCclj3azNno0Loqm", "s3cret"),
        ("$2y$05$F1WOsEtX5x0XEKMkOcFhCunHEpbcJc7kEoQdvQ..Z65KIyJAadB5i", "correct horse battery staple"),
        ("$2y$04$M3uE1SjLxAeFrn.C7NV/EOBBQ7QI7B8eF/rja/rXQWmLCmkBnECOG", String(repeating: "x", count: 80)),
        ("$apr1$ogo.Luwq$s6bsXWFjW7Usl6bNF22c01", "pässwörd"),
        ("{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0=", "hunter2"),
        ("$1$abcdefgh$ywpTNDTYPzAT3Ohgseebp/", "secret1"),
    ]

    @Test("each format accepts its password and refuses a near miss", arguments: vectors.indices)
    func verify(_ index: Int) throws {
        let vector = Self.vectors[index]
        let hash = try #require(HtpasswdHash(vector.hash))
        #expect(hash.verify(Array(vector.password.utf8)))
        #expect(!hash.verify(Array(("!" + vector.password).utf8)))
        #expect(!hash.verify(Array(("Y" + vector.password.dropFirst()).utf8)))
    }

    @Test("bcrypt keys are cut at 72 bytes, as every implementation does")
    func bcryptTruncates() throws {
        let hash = try #require(HtpasswdHash(Self.vectors[2].hash))
        #expect(hash.verify(Array(String(repeating: "x", count: 72).utf8)))
        #expect(!hash.verify(Array(String(repeating: "x", count: 71).utf8)))
    }

    @Test("plain text and malformed hashes are not accepted as hashes")
    func unsupported() {
        #expect(HtpasswdHash("s3cret") == nil)
        #expect(HtpasswdHash("$2y$04$short") == nil)
        #expect(HtpasswdHash("{SHA}not-base64!") == nil)
        #expect(HtpasswdHash("$2y$04$fFaUsmd8b6eG.8cWqkcD8eo2XBTz4lDi07i.dyCclj3azNno0Loqm")?.isSlow == true)
    }
}
