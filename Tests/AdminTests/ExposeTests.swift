import Admin
import Config
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("Expose requests: validation, clashes and plans")
struct ExposeRequestTests {
    static func parse(_ json: String, _ settings: ExposeSettings = exposeSettings()) throws(InvalidRequest) -> ExposeSpec {
        try ExposeRequest.parse(Data(json.utf8), settings: settings)
    }

    static func fields(_ json: String, _ settings: ExposeSettings = exposeSettings()) -> [String] {
        do {
            _ = try parse(json, settings)
            return []
        } catch {
            return error.errors.map(\.field)
        }
    }

    @Test("https by default: the default resolver, websecure, a certificate for the host")
    func httpsDefaults() throws {
        let spec = try Self.parse(#"{"hostname": "App.Example.com.", "backends": ["http://10.0.0.5:8080"]}"#)
        #expect(spec.host == "app.example.com")
        #expect(spec.scheme == "https" && spec.needsCertificate)
        #expect(spec.resolver == "le" && spec.entryPoints == ["websecure"] && spec.certificateNames == ["app.example.com"])
        #expect(spec.itemName == "expose-app-example-com")
    }

    @Test("http: the web entry point, no resolver, no certificate")
    func http() throws {
        let spec = try Self.parse(#"{"hostname": "app.example.com", "protocol": "http", "backends": ["http://10.0.0.5:8080"]}"#)
        #expect(spec.entryPoints == ["web"] && spec.resolver == nil && spec.certificateNames.isEmpty && !spec.needsCertificate)
    }

    @Test("passthrough: host:port backends, no certificate; http passthrough is refused")
    func passthrough() throws {
        let spec = try Self.parse(#"{"hostname": "db.example.com", "tls_passthrough": true, "backends": ["10.0.0.7:5432"]}"#)
        #expect(spec.tlsPassthrough && !spec.needsCertificate && spec.resolver == nil)
        #expect(Self.fields(#"{"hostname": "db.example.com", "tls_passthrough": true, "backends": ["http://10.0.0.7:5432"]}"#) == ["backends[0]"])
        #expect(Self.fields(#"{"hostname": "db.example.com", "protocol": "http", "tls_passthrough": true, "backends": ["10.0.0.7:1"]}"#)
            .contains("tls_passthrough"))
    }

    @Test("every field at fault is reported at once, with its name")
    func everyField() {
        let fields = Self.fields(#"{"hostname": "bad host", "protocol": "gopher", "backends": ["ftp://x", "http://ok:1"], "resolver": "nope", "entry_points": ["ssh"], "colour": 1}"#)
        #expect(Set(fields) == ["colour", "hostname", "protocol", "backends[0]", "resolver", "entry_points[0]"])
        #expect(Self.fields(#"{"backends": []}"#).sorted() == ["backends", "hostname"])
        #expect(Self.fields(#"[1]"#) == ["body"])
        #expect(Self.fields(#"{"hostname": "a.example.com", "name": "a", "backends": ["http://h:1"]}"#) == ["name"])
    }

    @Test("name proxies live under gateway.domain with its wildcard over DNS-01; FQDNs under it are refused")
    func nameProxies() throws {
        let spec = try Self.parse(#"{"name": "Grafana", "resolver": "dns", "backends": ["http://10.0.0.9:3000"]}"#)
        #expect(spec.host == "grafana.gw.example.com" && spec.nameProxy)
        #expect(spec.certificateNames == ["*.gw.example.com"] && spec.challenge == "dns-01")
        // The default resolver solves HTTP-01 only: a wildcard cannot come from it.
        #expect(Self.fields(#"{"name": "grafana", "backends": ["http://10.0.0.9:3000"]}"#) == ["resolver"])
        #expect(Self.fields(#"{"name": "grafana", "resolver": "dns", "challenge": "http-01", "backends": ["http://h:1"]}"#) == ["challenge"])
        #expect(Self.fields(#"{"hostname": "grafana.gw.example.com", "backends": ["http://h:1"]}"#) == ["hostname"])
        #expect(Self.fields(#"{"name": "a.b", "resolver": "dns", "backends": ["http://h:1"]}"#) == ["name"])
        #expect(Self.fields(#"{"name": "grafana", "backends": ["http://h:1"]}"#, exposeSettings(domain: nil)) == ["name"])
    }

    @Test("a challenge the resolver cannot solve, and a DNS credential without dns-01, are refused")
    func challenges() {
        #expect(Self.fields(#"{"hostname": "a.example.com", "challenge": "dns-01", "backends": ["http://h:1"]}"#) == ["challenge"])
        #expect(Self.fields(#"{"hostname": "a.example.com", "dns_credential": "cf", "backends": ["http://h:1"]}"#) == ["dns_credential"])
        #expect(Self.fields(#"{"hostname": "a.example.com", "resolver": "dns", "challenge": "dns-01", "dns_credential": "cf", "backends": ["http://h:1"]}"#).isEmpty)
        #expect(Self.fields(#"{"hostname": "a.example.com", "challenge": "http-01", "dns_credential": "cf", "backends": ["http://h:1"]}"#) == ["dns_credential"])
        #expect(Self.fields(#"{"hostname": "a.example.com", "challenge": "dns-01", "dns_credential": "", "backends": ["http://h:1"]}"#).sorted()
            == ["challenge", "dns_credential"])
    }

    @Test("a stored DNS credential brings DNS-01 to a resolver with only httpChallenge, for a host and for a name proxy's wildcard")
    func credentialOnHTTPOnlyResolver() throws {
        // The default resolver "le" solves HTTP-01 only.
        let spec = try Self.parse(#"{"hostname": "a.example.com", "challenge": "dns-01", "dns_credential": "cf", "backends": ["http://h:1"]}"#)
        #expect(spec.resolver == "le" && spec.challenge == "dns-01" && spec.dnsCredential == "cf")
        let proxy = try Self.parse(#"{"name": "grafana", "dns_credential": "cf", "backends": ["http://h:1"]}"#)
        #expect(proxy.resolver == "le" && proxy.challenge == "dns-01" && proxy.dnsCredential == "cf")
        #expect(proxy.certificateNames == ["*.gw.example.com"])
    }

    @Test("clashes: a file router serving the host, or an item with the route's name")
    func clashes() throws {
        let file = try ConfigLoader.loadDynamic(text: fixtureDynamic, file: "fixture.yml")
        let spec = try Self.parse(#"{"hostname": "a.test", "backends": ["http://h:1"]}"#)
        #expect(RouteClash.clashes(of: spec, with: file) == ["router \"web@file\" already serves Host(`a.test`)"])
        var named = file
        named.http.services["expose-free-example-com"] = .loadBalancer(.init(urls: ["http://h:1"]))
        let free = try Self.parse(#"{"hostname": "free.example.com", "backends": ["http://h:1"]}"#)
        #expect(RouteClash.clashes(of: free, with: file).isEmpty)
        #expect(RouteClash.clashes(of: free, with: named)
            == [#"service "expose-free-example-com@file" has the name this route's service "expose-free-example-com@api" would get"#])
    }

    @Test("the plan says what is created, updated, kept or reused")
    func plan() throws {
        let spec = try Self.parse(#"{"hostname": "app.example.com", "backends": ["http://h:1"]}"#)
        let created = ExposePlan.expose(spec, existing: nil, certificates: [])
        #expect(created.map { "\($0.action) \($0.kind)" } == ["create router", "create service", "create certificate"])
        var valid = CertificateRecord(resolver: "le", names: ["app.example.com"], status: .valid)
        valid.notAfter = Date().addingTimeInterval(86_400)
        let same = ExposePlan.expose(spec, existing: StoredRoute(spec: spec, state: .active), certificates: [valid])
        #expect(same.map { "\($0.action) \($0.kind)" } == ["keep router", "keep service", "reuse certificate"])
        var moved = spec
        moved.backends = ["http://h:2"]
        let updated = ExposePlan.expose(moved, existing: StoredRoute(spec: spec, state: .active), certificates: [valid])
        #expect(updated.map { "\($0.action) \($0.kind)" } == ["update router", "update service", "reuse certificate"])
        #expect(updated[0].detail?.contains("http://h:1 → http://h:2") == true)
        let removal = ExposePlan.unexpose(StoredRoute(spec: spec, state: .active), others: [])
        #expect(removal.map { "\($0.action) \($0.kind)" } == ["remove router", "remove service", "release certificate"])
    }
}

@Suite("Expose operations: the state machine, rollback and approvals")
struct ExposeOperationTests {
    static let https = ExposeSpec(host: "app.example.com", scheme: "https", backends: ["http://10.0.0.5:8080"], resolver: "le",
                                  entryPoints: ["websecure"], certificateNames: ["app.example.com"])

    @Test("https: route prepared, certificate obtained, then activated; a re-run reuses both")
    func httpsSucceeds() async throws {
        try await withStore { storage, _, _ in
            let (service, control, certificates) = makeExposeService(storage)
            guard case .operation(let started) = try await service.expose(Self.https, token: "deployer") else {
                Issue.record("expected an operation")
                return
            }
            #expect(started.status == .running && started.steps[0].status == .succeeded)
            let done = try #require(await service.waitForOperation(id: started.id))
            #expect(done.status == .succeeded, "\(done)")
            #expect(done.steps.map(\.status) == [.succeeded, .succeeded, .succeeded, .succeeded])
            #expect(done.steps.allSatisfy { $0.startedAt != nil && $0.finishedAt != nil })
            let route = try #require(control.served.first)
            #expect(control.served.count == 1 && route.state == .active && route.certificateID != nil)
            #expect(try await storage.operation(id: started.id)?.status == .succeeded)
            #expect(certificates.orders == 1)

            guard case .operation(let again) = try await service.expose(Self.https, token: "deployer") else { return }
            let rerun = try #require(await service.waitForOperation(id: again.id))
            #expect(rerun.status == .succeeded)
            #expect(rerun.steps[2].detail?.contains("reused") == true, "\(rerun.steps[2])")
            #expect(certificates.orders == 1, "a valid certificate was ordered again")
            #expect(try await storage.storedRoute(host: Self.https.host)?.certificateID == route.certificateID)
        }
    }

    @Test("a failed certificate removes the prepared route and fails with the CA's reason")
    func certificateFailure() async throws {
        try await withStore { storage, _, _ in
            let certificates = FakeCertificates()
            certificates.failOrders("urn:ietf:params:acme:error:rejectedIdentifier: policy forbids app.example.com")
            let (service, control, _) = makeExposeService(storage, certificates: certificates)
            guard case .operation(let started) = try await service.expose(Self.https, token: "deployer") else { return }
            let done = try #require(await service.waitForOperation(id: started.id))
            #expect(done.status == .failed)
            #expect(done.steps.map(\.status) == [.succeeded, .succeeded, .failed, .skipped])
            #expect(done.error?.contains("rejectedIdentifier") == true && done.error?.contains("rolled back") == true, "\(done.error ?? "")")
            #expect(control.served.isEmpty, "a route without its certificate is served")
            #expect(try await storage.storedRoute(host: Self.https.host) == nil)
            #expect(control.discarded.count == 1)
        }
    }

    @Test("http skips the certificate; unexpose removes the route; a second one finds nothing")
    func httpAndUnexpose() async throws {
        try await withStore { storage, _, _ in
            let (service, control, certificates) = makeExposeService(storage)
            let spec = ExposeSpec(host: "plain.example.com", scheme: "http", backends: ["http://10.0.0.5:80"], entryPoints: ["web"])
            guard case .operation(let started) = try await service.expose(spec, token: "deployer") else { return }
            let done = try #require(await service.waitForOperation(id: started.id))
            #expect(done.steps.map(\.status) == [.succeeded, .succeeded, .skipped, .succeeded])
            #expect(control.served.map(\.state) == [.active] && certificates.orders == 0)
            guard case .operation(let removal) = try await service.unexpose(host: spec.host, token: "deployer") else { return }
            #expect(try #require(await service.waitForOperation(id: removal.id)).status == .succeeded)
            #expect(control.served.isEmpty)
            await #expect(throws: ExposeError.noRoute(host: spec.host)) { try await service.unexpose(host: spec.host, token: "deployer") }
        }
    }

    @Test("the audit log holds each change's route before and after: expose, a new backend, unexpose; a failure changes nothing")
    func auditBeforeAndAfter() async throws {
        try await withStore { storage, _, _ in
            let (service, _, certificates) = makeExposeService(storage)
            let first = ExposeSpec(host: "plain.example.com", scheme: "http", backends: ["http://10.0.0.5:80"], entryPoints: ["web"])
            var moved = first
            moved.backends = ["http://10.0.0.6:81"]
            let steps: [@Sendable () async throws -> ExposeService.Outcome] = [
                { try await service.expose(first, token: "deployer") },
                { [moved] in try await service.expose(moved, token: "deployer") },
                { try await service.unexpose(host: first.host, token: "deployer") },
            ]
            for step in steps {
                guard case .operation(let started) = try await step() else { Issue.record("expected an operation"); return }
                #expect(try #require(await service.waitForOperation(id: started.id)).status == .succeeded)
            }
            let admin = try await storage.auditEvents(AuditQuery()).compactMap(AdminChangeView.init)
            #expect(admin.allSatisfy { $0.token == "deployer" })
            #expect(admin.map { "\($0.kind) \($0.result ?? "-")" } == [
                "admin.expose accepted", "admin.expose succeeded", "admin.expose accepted", "admin.expose succeeded",
                "admin.unexpose accepted", "admin.unexpose succeeded",
            ])
            let done = admin.filter { $0.result == "succeeded" }
            #expect(done[0].before == nil)
            #expect(done[0].after?.fields["backends"] == .strings(["http://10.0.0.5:80"]))
            #expect(done[0].after?.fields["hostname"] == .string("plain.example.com"))
            #expect(done[0].after?.fields["protocol"] == .string("http"))
            #expect(done[0].after?.fields["entry_points"] == .strings(["web"]))
            #expect(done[1].before?.fields["backends"] == .strings(["http://10.0.0.5:80"]))
            #expect(done[1].after?.fields["backends"] == .strings(["http://10.0.0.6:81"]))
            #expect(done[2].before?.fields["backends"] == .strings(["http://10.0.0.6:81"]))
            #expect(done[2].after == nil)
            #expect(!done[0].detail.contains("token="))

            // A failed https expose made nothing: no route before, none after.
            certificates.failOrders("the CA is down")
            guard case .operation(let failing) = try await service.expose(Self.https, token: "deployer") else { return }
            #expect(try #require(await service.waitForOperation(id: failing.id)).status == .failed)
            let failed = try #require(try await storage.auditEvents(AuditQuery(order: .newestFirst)).compactMap(AdminChangeView.init).first)
            #expect(failed.kind == "admin.expose" && failed.result == "failed")
            #expect(failed.before == nil && failed.after == nil)
            #expect(failed.detail.contains("the CA is down"))
        }
    }

    @Test("at start, a route left prepared by an interrupted operation is removed and its operation failed")
    func recovery() async throws {
        try await withStore { storage, _, _ in
            var operation = OperationRecord(action: "expose", host: Self.https.host, spec: Self.https, requestedBy: "deployer",
                                            stepNames: ["validate", "route", "certificate", "activate"])
            operation.status = .running
            operation.steps[2].status = .running
            try await storage.saveOperation(operation)
            try await storage.saveRoute(StoredRoute(spec: Self.https, state: .prepared, operationID: operation.id))
            var live = Self.https
            live.host = "live.example.com"
            try await storage.saveRoute(StoredRoute(spec: live, state: .active))
            let (service, _, _) = makeExposeService(storage)
            #expect(try await service.recoverInterrupted() == [Self.https.host])
            #expect(try await storage.storedRoutes().map(\.host) == ["live.example.com"])
            let failed = try #require(try await storage.operation(id: operation.id))
            #expect(failed.status == .failed && failed.error?.contains("restart") == true)
            #expect(failed.steps.allSatisfy { $0.status == .skipped })
        }
    }

    @Test("a clash with the file provider is refused before anything is stored")
    func clashRefused() async throws {
        try await withStore { storage, _, _ in
            let file = try ConfigLoader.loadDynamic(text: fixtureDynamic, file: "fixture.yml")
            let (service, control, _) = makeExposeService(storage, file: file)
            var spec = Self.https
            spec.host = "a.test"
            await #expect(throws: ExposeError.self) { try await service.expose(spec, token: "deployer") }
            #expect(try await storage.storedRoutes().isEmpty && control.served.isEmpty)
        }
    }

    @Test("approvals: nothing applies before approval; four-eyes refuses the requester; another token approves")
    func approvals() async throws {
        try await withStore { storage, _, _ in
            let (service, control, certificates) = makeExposeService(storage, settings: exposeSettings(requireApproval: true, fourEyes: true))
            guard case .pendingChange(let change) = try await service.expose(Self.https, token: "alice") else {
                Issue.record("expected a pending change")
                return
            }
            #expect(change.plan.map(\.action) == ["create", "create", "create"])
            #expect(try await storage.storedRoutes().isEmpty && control.served.isEmpty && certificates.orders == 0)
            #expect(try await service.changes(status: .pending).map(\.id) == [change.id])

            await #expect(throws: ExposeError.ownChange(id: change.id, token: "alice")) {
                try await service.approve(changeID: change.id, token: "alice")
            }
            #expect(control.served.isEmpty)
            let (approved, operation) = try await service.approve(changeID: change.id, token: "bob")
            #expect(approved.status == .approved && approved.decidedBy == "bob" && approved.operationID == operation.id)
            #expect(try #require(await service.waitForOperation(id: operation.id)).status == .succeeded)
            #expect(control.served.map(\.state) == [.active])
            await #expect(throws: ExposeError.decided(id: change.id, status: "approved")) {
                try await service.reject(changeID: change.id, token: "bob")
            }

            guard case .pendingChange(let removal) = try await service.unexpose(host: Self.https.host, token: "alice") else { return }
            #expect(try await service.reject(changeID: removal.id, token: "bob").status == .rejected)
            #expect(control.served.map(\.state) == [.active], "a rejected change was applied")

            let events = try await storage.auditEvents(AuditQuery(order: .oldestFirst))
            let admin = events.compactMap { event in AdminChangeView(event) }
            #expect(admin.contains { $0.kind == "admin.change.approve" && $0.token == "alice" && $0.result == "refused" })
            let approval = try #require(admin.first { $0.kind == "admin.change.approve" && $0.token == "bob" && $0.result == "succeeded" })
            #expect(approval.before?.fields["status"] == .string("pending") && approval.before?.fields["plan"] != nil)
            #expect(approval.after?.fields["status"] == .string("approved"))
            #expect(approval.after?.fields["operation"] == .string(operation.id))
            let rejection = try #require(admin.first { $0.kind == "admin.change.reject" && $0.token == "bob" && $0.result == "succeeded" })
            #expect(rejection.before?.fields["status"] == .string("pending") && rejection.after?.fields["status"] == .string("rejected"))
            // The pending requests: after is the plan.
            let pending = admin.filter { $0.result == "pending" }
            #expect(pending.map(\.kind) == ["admin.expose", "admin.unexpose"])
            #expect(pending.allSatisfy { $0.after?.fields["status"] == .string("pending") && $0.after?.fields["plan"] != nil })
        }
    }
}

/// An admin change's audit event: kind, detail, token, result, and the states before and after.
struct AdminChangeView {
    let kind: String
    let detail: String
    let token: String?
    let result: String?
    let before: AuditState?
    let after: AuditState?
    init?(_ event: AuditEvent) {
        guard event.kind.rawValue.hasPrefix("admin.") else { return nil }
        kind = event.kind.rawValue
        detail = event.detail
        token = event.actor
        result = event.result
        before = event.before.flatMap(AuditState.init(json:))
        after = event.after.flatMap(AuditState.init(json:))
    }
}

@Suite("The expose routes over HTTP")
struct ExposeAPITests {
    @Test("422 lists each field; 409 names the clash; 202 points at the operation, which shows its steps")
    func routes() async throws {
        try await withStore { storage, tokens, _ in
            let file = try ConfigLoader.loadDynamic(text: fixtureDynamic, file: "fixture.yml")
            let (service, _, _) = makeExposeService(storage, file: file)
            let app = makeServer(storage, state: try fixtureState(), expose: service).makeApplication()
            try await app.test(.router) { client in
                let invalid = try await client.execute(uri: "/api/v1/expose", method: .post, headers: headers(token: tokens.manage),
                                                       body: ByteBuffer(string: #"{"hostname": "x", "backends": ["nope"]}"#))
                #expect(invalid.status == .unprocessableContent)
                let errors = try #require((try json(invalid) as? [String: Any])?["errors"] as? [[String: String]])
                #expect(Set(errors.compactMap { $0["field"] }) == ["hostname", "backends[0]"])

                let clash = try await client.execute(uri: "/api/v1/expose", method: .post, headers: headers(token: tokens.manage),
                                                     body: ByteBuffer(string: #"{"hostname": "a.test", "backends": ["http://h:1"]}"#))
                #expect(clash.status == .conflict)
                #expect(((try json(clash) as? [String: Any])?["clashes"] as? [String])?.first?.contains("web@file") == true)

                let accepted = try await client.execute(uri: "/api/v1/expose", method: .post, headers: headers(token: tokens.manage),
                                                        body: ByteBuffer(string: #"{"hostname": "ok.example.com", "backends": ["http://h:1"]}"#))
                #expect(accepted.status == .accepted)
                let id = try #require((try json(accepted) as? [String: Any])?["id"] as? String)
                #expect(accepted.headers[.location] == "/api/v1/operations/\(id)")
                _ = await service.waitForOperation(id: id)
                let operation = try await client.execute(uri: "/api/v1/operations/\(id)", method: .get, headers: headers(token: tokens.read))
                let body = try #require(try json(operation) as? [String: Any])
                #expect(body["status"] as? String == "succeeded")
                #expect((body["steps"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["validate", "route", "certificate", "activate"])
                let missing = try await client.execute(uri: "/api/v1/operations/nope", method: .get, headers: headers(token: tokens.read))
                #expect(missing.status == .notFound)
            }
        }
    }
}
