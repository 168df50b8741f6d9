import Admin
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("The certificates API: list, detail, renew, revoke; never the key")
struct CertificatesAPITests {
    @Test("list and detail show names, status, dates, issuer and the chain, never the private key")
    func listAndDetail() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let list = try await client.execute(uri: "/api/v1/certificates", method: .get, headers: headers(token: tokens.read))
                #expect(list.status == .ok)
                let items = try #require(try json(list) as? [[String: Any]])
                #expect(items.map { $0["id"] as? String } == ["cert-a", "cert-c"])
                let first = items[0]
                #expect(first["names"] as? [String] == ["a.test"])
                #expect(first["status"] as? String == "valid")
                #expect(first["issuer"] as? String == "CN=Pebble Intermediate CA")
                #expect(first["resolver"] as? String == "le")
                #expect(first["source"] as? String == "acme")
                #expect(first["notBefore"] is String)
                #expect(first["notAfter"] is String)
                #expect(first["chainPEM"] == nil)

                let detail = try await client.execute(uri: "/api/v1/certificates/cert-a", method: .get, headers: headers(token: tokens.read))
                #expect(detail.status == .ok)
                let object = try #require(try json(detail) as? [String: Any])
                #expect(object["chainPEM"] as? String == fixtureChainPEM)
                #expect(object["keyType"] as? String == "EC256")
                let failed = try #require(try json(try await client.execute(uri: "/api/v1/certificates/cert-c", method: .get,
                                                                              headers: headers(token: tokens.read))) as? [String: Any])
                #expect((failed["lastError"] as? String)?.contains("no such host") == true)

                for body in [text(list), text(detail)] {
                    #expect(!body.contains(fixtureKeyMarker))
                    #expect(!body.contains("PRIVATE KEY"))
                }
                let missing = try await client.execute(uri: "/api/v1/certificates/nope", method: .get, headers: headers(token: tokens.read))
                #expect(missing.status == .notFound)
            }
        }
    }

    @Test("renew answers 202 with what was started; revoke marks it revoked; both are audited with the token's name")
    func renewAndRevoke() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let renew = try await client.execute(uri: "/api/v1/certificates/cert-a/renew", method: .post, headers: headers(token: tokens.acme))
                #expect(renew.status == .accepted)
                let started = try #require(try json(renew) as? [String: Any])
                #expect(started["operation"] as? String == "renew")
                #expect(started["status"] as? String == "accepted")
                #expect((started["certificate"] as? [String: Any])?["id"] as? String == "cert-a")
                let renewalTime = try #require(try await storage.certificate(id: "cert-a")?.renewalTime)
                #expect(abs(renewalTime.timeIntervalSinceNow) < 60)

                let revoke = try await client.execute(uri: "/api/v1/certificates/cert-a/revoke", method: .post,
                                                      headers: headers(token: tokens.acme, ["Content-Type": "application/json"]),
                                                      body: ByteBuffer(string: #"{"reason": "superseded"}"#))
                #expect(revoke.status == .ok)
                let revoked = try #require(try json(revoke) as? [String: Any])
                #expect((revoked["certificate"] as? [String: Any])?["status"] as? String == "revoked")
                let got1 = try await storage.certificate(id: "cert-a")
                #expect(got1?.status == .revoked)
                #expect(!text(revoke).contains(fixtureKeyMarker))

                let events = try await storage.auditEvents(AuditQuery(certificateID: "cert-a"))
                let admin = events.filter { $0.kind.rawValue.hasPrefix("admin.") }
                #expect(admin.map(\.kind.rawValue) == ["admin.certificate.renew", "admin.certificate.revoke"])
                #expect(admin.map(\.actor) == ["acme", "acme"])
                #expect(admin.map(\.result) == ["accepted", "succeeded"])
                #expect(admin.map(\.target) == ["cert-a", "cert-a"])
                #expect(!admin[0].detail.contains("token="))
                #expect(admin[1].detail.contains("reason 4"))
                // Revoke: the status before and after, with the reason, and never the key.
                let before = try #require(admin[1].before.flatMap(AuditState.init(json:)))
                let after = try #require(admin[1].after.flatMap(AuditState.init(json:)))
                #expect(before.fields["status"] == .string("valid"))
                #expect(after.fields["status"] == .string("revoked"))
                #expect(after.fields["reason"] == .int(4))
                #expect(before.fields["notAfter"] != nil && before.fields["notAfter"] == after.fields["notAfter"])
                #expect(!(admin[1].after ?? "").contains("PRIVATE"))
                #expect(admin.allSatisfy { $0.nodeID == "test-node" && $0.names == ["a.test"] })
            }
        }
    }

    @Test("issue answers 202 with the pending record, reuses an existing one, and is audited")
    func issue() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let body = ByteBuffer(string: #"{"names": ["WWW.New.Test", "new.test", "new.test."], "resolver": "le"}"#)
                let response = try await client.execute(uri: "/api/v1/certificates", method: .post, headers: headers(token: tokens.acme), body: body)
                #expect(response.status == .accepted)
                let answer = try #require(try json(response) as? [String: Any])
                #expect(answer["operation"] as? String == "issue")
                let certificate = try #require(answer["certificate"] as? [String: Any])
                #expect(certificate["names"] as? [String] == ["www.new.test", "new.test"])
                #expect(certificate["status"] as? String == "pending")
                let id = try #require(certificate["id"] as? String)
                #expect(try await storage.certificate(id: id)?.resolver == "le")

                // The existing valid certificate for a.test is reused: no new record.
                let again = try await client.execute(uri: "/api/v1/certificates", method: .post, headers: headers(token: tokens.acme),
                                                     body: ByteBuffer(string: #"{"names": ["a.test"], "resolver": "le"}"#))
                #expect(again.status == .accepted)
                #expect(((try json(again) as? [String: Any])?["certificate"] as? [String: Any])?["id"] as? String == "cert-a")
                let all = try await storage.certificates(resolver: nil)
                #expect(all.count == 3)

                let events = try await storage.auditEvents(AuditQuery(certificateID: id))
                #expect(events.map(\.kind.rawValue) == ["admin.certificate.issue"])
                #expect(events.first?.actor == "acme" && events.first?.result == "accepted")
                #expect(events.first?.before == nil)
                #expect(events.first?.after.flatMap(AuditState.init(json:))?.fields["status"] == .string("pending"))
            }
        }
    }

    @Test("an issue request's challenge and DNS credential are stored on the record and shown in its detail")
    func issueWithChallenge() async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let body = ByteBuffer(string: #"{"names": ["dns.test"], "resolver": "le", "challenge": "DNS-01", "dns_credential": "bind"}"#)
                let response = try await client.execute(uri: "/api/v1/certificates", method: .post, headers: headers(token: tokens.acme), body: body)
                #expect(response.status == .accepted, "\(text(response))")
                let record = try #require(try await storage.certificate(resolver: "le", names: ["dns.test"]))
                #expect(record.challenge == "dns-01" && record.dnsCredential == "bind")
                let detail = try await client.execute(uri: "/api/v1/certificates/\(record.id)", method: .get, headers: headers(token: tokens.read))
                let fields = try #require(try json(detail) as? [String: Any])
                #expect(fields["challenge"] as? String == "dns-01" && fields["dnsCredential"] as? String == "bind")
            }
        }
    }

    @Test("an issue request with a bad field is 400 naming the field, and creates nothing", arguments: [
        (#"{"names": [], "resolver": "le"}"#, "names"),
        (#"{"names": ["bad name!"], "resolver": "le"}"#, "names"),
        (#"{"names": ["ok.test"]}"#, "resolver"),
        (#"{"names": ["ok.test"], "resolver": "nope"}"#, "resolver"),
        (#"{"names": ["ok.test"], "resolver": "le", "challenge": "dns-02"}"#, "challenge"),
        (#"{"names": ["ok.test"], "resolver": "le", "dns_credential": "bind"}"#, "dns_credential"),
        (#"{"names": ["ok.test"], "resolver": "le", "challenge": "http-01", "dns_credential": "bind"}"#, "dns_credential"),
        (#"{"names": ["ok.test"], "resolver": "le", "challenge": "dns-01", "dns_credential": ""}"#, "dns_credential"),
        ("[]", "body"),
        ("", "body"),
    ])
    func issueInvalid(body: String, field: String) async throws {
        try await withStore { storage, tokens, _ in
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/certificates", method: .post, headers: headers(token: tokens.acme),
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect((try json(response) as? [String: Any])?["field"] as? String == field, "\(text(response))")
                let all = try await storage.certificates(resolver: nil)
                #expect(all.isEmpty)
            }
        }
    }

    @Test("a revocation request with an unknown reason is 400 and changes nothing", arguments: [
        #"{"reason": "because"}"#, #"{"reason": 7}"#, #"{"reason": true}"#, "not json", "[1]",
    ])
    func badReason(body: String) async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try fixtureState()).makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/certificates/cert-a/revoke", method: .post,
                                                        headers: headers(token: tokens.acme), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                let got2 = try await storage.certificate(id: "cert-a")
                #expect(got2?.status == .valid)
            }
        }
    }

    @Test("a change the CA refuses is 502 with the reason, and audited as failed")
    func refused() async throws {
        try await withStore { storage, tokens, _ in
            try await insertFixtureCertificates(storage)
            let app = makeServer(storage, state: try fixtureState(), certificates: RefusingCertificateControl(storage: storage))
                .makeApplication()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/certificates/cert-a/revoke", method: .post, headers: headers(token: tokens.admin))
                #expect(response.status == .badGateway)
                #expect(text(response).contains("the CA refused"))
                let missing = try await client.execute(uri: "/api/v1/certificates/nope/revoke", method: .post, headers: headers(token: tokens.admin))
                #expect(missing.status == .notFound)
            }
            let events = try await storage.auditEvents(AuditQuery(certificateID: "cert-a"))
            let failed = try #require(events.last)
            #expect(failed.kind.rawValue == "admin.certificate.revoke")
            #expect(failed.actor == "root" && failed.result == "failed")
            // Nothing changed: the state after is the state before.
            #expect(failed.before != nil && failed.after == failed.before)
            #expect(failed.detail.contains("the CA refused"))
            let got3 = try await storage.certificate(id: "cert-a")
            #expect(got3?.status == .valid)
        }
    }
}
