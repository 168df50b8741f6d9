import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("The DNS credentials API: checked against the provider, encrypted at rest, never returned")
struct DNSCredentialsAPITests {
    static let secret = "c2VjcmV0LXRzaWcta2V5LXZhbHVl"

    static func createBody(name: String = "zone-a", provider: String = "rfc2136", entries: [String: String]? = nil) -> ByteBuffer {
        let entries = entries ?? ["RFC2136_NAMESERVER": "127.0.0.1:5353", "RFC2136_TSIG_KEY": "gatehouse.", "RFC2136_TSIG_SECRET": secret]
        let object: [String: Any] = ["name": name, "provider": provider, "entries": entries]
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    @Test("create answers 201 with the variable names; list and detail never show a value; the audit holds no value")
    func createAndRead() async throws {
        try await withStore { storage, tokens, directory in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let created = try await client.execute(uri: "/api/v1/dns-credentials", method: .post, headers: headers(token: tokens.acme),
                                                       body: Self.createBody())
                #expect(created.status == .created)
                let record = try #require(try json(created) as? [String: Any])
                let id = try #require(record["id"] as? String)
                #expect(created.headers[.location] == "/api/v1/dns-credentials/\(id)")
                #expect(record["name"] as? String == "zone-a")
                #expect(record["provider"] as? String == "rfc2136")
                #expect(record["variables"] as? [String] == ["RFC2136_NAMESERVER", "RFC2136_TSIG_KEY", "RFC2136_TSIG_SECRET"])
                #expect(record["createdBy"] as? String == "acme")
                #expect(record["lastTest"] is NSNull)

                let list = try await client.execute(uri: "/api/v1/dns-credentials", method: .get, headers: headers(token: tokens.acme))
                #expect(list.status == .ok)
                #expect((try json(list) as? [[String: Any]])?.map { $0["id"] as? String } == [id])
                let detail = try await client.execute(uri: "/api/v1/dns-credentials/\(id)", method: .get, headers: headers(token: tokens.admin))
                #expect(detail.status == .ok)
                let audit = try await client.execute(uri: "/api/v1/audit?action=dns-credential.create", method: .get,
                                                     headers: headers(token: tokens.admin))
                let events = try #require(try json(audit) as? [[String: Any]])
                #expect(events.count == 1)
                #expect(events.first?["token"] as? String == "acme")
                #expect(events.first?["target"] as? String == id)
                #expect((events.first?["detail"] as? String)?.contains("RFC2136_TSIG_SECRET") == true)
                // Before: none (created); after: provider and the variable names, never a value.
                #expect(events.first?["before"] is NSNull)
                let after = try #require(events.first?["after"] as? [String: Any])
                #expect(after["name"] as? String == "zone-a" && after["provider"] as? String == "rfc2136")
                #expect(after["variables"] as? [String] == ["RFC2136_NAMESERVER", "RFC2136_TSIG_KEY", "RFC2136_TSIG_SECRET"])
                #expect(Set(after.keys) == ["name", "provider", "variables"])

                #expect(try await storage.credentialEntries(id: id)?["RFC2136_TSIG_SECRET"] == Self.secret)
                let deleted = try await client.execute(uri: "/api/v1/dns-credentials/\(id)", method: .delete, headers: headers(token: tokens.acme))
                #expect(deleted.status == .ok)
                let deletion = try await client.execute(uri: "/api/v1/audit?action=dns-credential.delete", method: .get,
                                                        headers: headers(token: tokens.admin))
                let removal = try #require((try json(deletion) as? [[String: Any]])?.first)
                #expect(removal["after"] is NSNull)
                #expect((removal["before"] as? [String: Any])?["variables"] as? [String] == after["variables"] as? [String])
                for body in [text(created), text(list), text(detail), text(audit), text(deletion)] {
                    #expect(!body.contains(Self.secret))
                }
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "\(name) holds the secret in the clear")
            }
        }
    }

    @Test("a request the provider cannot use is 400 naming the field and why, and stores nothing", arguments: [
        (#"{"name": "a", "provider": "nosuch", "entries": {}}"#, "provider", "unknown provider \"nosuch\" (one of: rfc2136)"),
        (#"{"name": "a", "entries": {}}"#, "provider", "a provider is required"),
        (#"{"name": "a", "provider": "rfc2136", "entries": {"RFC2136_NAMESERVER": "x", "CF_DNS_API_TOKEN": "t"}}"#, "entries",
         "rfc2136 does not read CF_DNS_API_TOKEN (it reads: RFC2136_NAMESERVER, RFC2136_TSIG_ALGORITHM, RFC2136_TSIG_KEY, RFC2136_TSIG_SECRET, RFC2136_TTL)"),
        (#"{"name": "a", "provider": "rfc2136", "entries": {"RFC2136_TSIG_KEY": "k"}}"#, "entries", "rfc2136 needs RFC2136_NAMESERVER"),
        (#"{"name": "a b", "provider": "rfc2136", "entries": {"RFC2136_NAMESERVER": "x"}}"#, "name", "use 1 to 64"),
        (#"{"name": "a", "provider": "rfc2136", "entries": {"RFC2136_NAMESERVER": 5}}"#, "body", "expected a JSON object"),
        ("[]", "body", "expected a JSON object"),
    ])
    func invalid(body: String, field: String, message: String) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/dns-credentials", method: .post, headers: headers(token: tokens.acme),
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                let object = try #require(try json(response) as? [String: Any])
                #expect(object["field"] as? String == field)
                #expect((object["message"] as? String)?.contains(message) == true, "\(object["message"] ?? "")")
            }
            #expect(try await storage.credentials().isEmpty)
        }
    }

    @Test("a second credential with the same name is 409")
    func duplicate() async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let first = try await client.execute(uri: "/api/v1/dns-credentials", method: .post, headers: headers(token: tokens.acme),
                                                     body: Self.createBody())
                #expect(first.status == .created)
                let second = try await client.execute(uri: "/api/v1/dns-credentials", method: .post, headers: headers(token: tokens.acme),
                                                      body: Self.createBody())
                #expect(second.status == .conflict)
                #expect((try json(second) as? [String: Any])?["field"] as? String == "name")
            }
            #expect(try await storage.credentials().count == 1)
        }
    }

    @Test("test runs the pre-flight with the stored values and reports the failed step and its kind; the result is kept and audited")
    func preflight() async throws {
        try await withStore { storage, tokens, _ in
            let good = try await storage.createCredential(name: "good", provider: "rfc2136",
                                                          entries: ["RFC2136_NAMESERVER": "x", "RFC2136_TSIG_SECRET": Self.secret], createdBy: "t")
            let bad = try await storage.createCredential(name: "bad", provider: "rfc2136",
                                                         entries: ["RFC2136_NAMESERVER": "x", "RFC2136_TSIG_SECRET": "wrong"], createdBy: "t")
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                func test(_ id: String, _ domain: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                    let response = try await client.execute(uri: "/api/v1/dns-credentials/\(id)/test", method: .post,
                                                            headers: headers(token: tokens.acme), body: ByteBuffer(string: #"{"domain": "\#(domain)"}"#))
                    return (response.status, (try json(response) as? [String: Any]) ?? [:])
                }
                let (okStatus, ok) = try await test(good.id, "Example.TEST.")
                #expect(okStatus == .ok)
                #expect(ok["succeeded"] as? Bool == true)
                #expect(ok["domain"] as? String == "example.test")
                #expect(ok["failedStep"] is NSNull)
                #expect((ok["steps"] as? [[String: Any]])?.map { $0["status"] as? String } == ["succeeded", "succeeded", "succeeded", "succeeded"])

                let (authStatus, auth) = try await test(bad.id, "example.test")
                #expect(authStatus == .ok)
                #expect(auth["succeeded"] as? Bool == false)
                #expect(auth["failedStep"] as? String == "present")
                #expect(auth["failureKind"] as? String == "authentication")

                let (_, zone) = try await test(good.id, "nowhere.invalid")
                #expect(zone["failedStep"] as? String == "zone")
                #expect(zone["failureKind"] as? String == "zone not found")

                let (missingStatus, _) = try await test("dnscred-nope", "example.test")
                #expect(missingStatus == .notFound)
                let (badDomainStatus, badDomain) = try await test(good.id, "*.example.test")
                #expect(badDomainStatus == .badRequest)
                #expect(badDomain["field"] as? String == "domain")

                let detail = try await client.execute(uri: "/api/v1/dns-credentials/\(bad.id)", method: .get, headers: headers(token: tokens.acme))
                let lastTest = try #require((try json(detail) as? [String: Any])?["lastTest"] as? [String: Any])
                #expect(lastTest["succeeded"] as? Bool == false)
                #expect(lastTest["failedStep"] as? String == "present")
                #expect(lastTest["failureKind"] as? String == "authentication")

                let audit = try await client.execute(uri: "/api/v1/audit?action=dns-credential.test", method: .get, headers: headers(token: tokens.admin))
                let events = try #require(try json(audit) as? [[String: Any]])
                #expect(events.count == 3)
                #expect(events.map { $0["result"] as? String }.contains("failed"))
                #expect(events.contains { ($0["detail"] as? String)?.contains("failed at present: authentication") == true })
                #expect(!text(audit).contains(Self.secret))
            }
        }
    }

    @Test("delete answers the record as it was, then 404; the values are gone; audited")
    func delete() async throws {
        try await withStore { storage, tokens, _ in
            let record = try await storage.createCredential(name: "gone", provider: "rfc2136", entries: ["RFC2136_NAMESERVER": "x"], createdBy: "t")
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let deleted = try await client.execute(uri: "/api/v1/dns-credentials/\(record.id)", method: .delete, headers: headers(token: tokens.acme))
                #expect(deleted.status == .ok)
                #expect((try json(deleted) as? [String: Any])?["name"] as? String == "gone")
                let again = try await client.execute(uri: "/api/v1/dns-credentials/\(record.id)", method: .delete, headers: headers(token: tokens.acme))
                #expect(again.status == .notFound)
                let audit = try await client.execute(uri: "/api/v1/audit?action=dns-credential.delete", method: .get, headers: headers(token: tokens.admin))
                #expect((try json(audit) as? [[String: Any]])?.first?["target"] as? String == record.id)
            }
            #expect(try await storage.credentialEntries(id: record.id) == nil)
        }
    }
}
