import ACME
import DNS
import DNSProviders
import Foundation
import Logging
import Storage
import Testing
@testable import Certificates

/// A record's own `challenge` and `dnsCredential` (an expose or admin API request's choice):
/// the order offers only that challenge, DNS-01 records go to the credential's provider, and a
/// choice the resolver cannot honour fails naming it. ``CertificateOperations/issue`` stores the
/// choice and changes an existing record's only when a request names another.
@Suite struct RecordChallengeTests {
    /// A resolver with HTTP-01 and DNS-01 and its own (fake) DNS provider `resolver-dns`.
    func resolver(log: StepLog, challenges: [ACMEChallenge.ChallengeType] = [.http01, .dns01]) -> ResolverSettings {
        var settings = ResolverSettings(name: "le", directoryURL: "https://ca.invalid/dir", challengeTypes: challenges,
                                        dnsProvider: FakeProvider(name: "resolver-dns", needsZone: false, immediate: true, log: log))
        settings.propagation.disableChecks = true
        settings.dnsLookup = FakeDNS(log: log, zones: [:], nameservers: [:], providers: [])
        return settings
    }

    func record(challenge: String? = nil, dnsCredential: String? = nil) -> CertificateRecord {
        CertificateRecord(resolver: "le", names: ["app.example.test"], status: .pending, challenge: challenge, dnsCredential: dnsCredential)
    }

    func withSolver<T>(_ settings: ResolverSettings, _ body: (ChallengeSolver) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-solver-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try await SQLiteCertificateStorage.open(dataDirectory: directory, environment: [:])
        do {
            let result = try await body(ChallengeSolver(settings: settings, answers: ChallengeAnswers(), storage: storage,
                                                        logger: Logger(label: "test")))
            try await storage.close()
            return result
        } catch {
            try? await storage.close()
            throw error
        }
    }

    static let identifier = ACMEIdentifier.dns("app.example.test")

    static func dnsAnswer() -> ACMEChallengeAnswer {
        .dns01(.init(identifier: identifier, challenge: ACMEChallenge(type: .dns01, url: "https://ca.invalid/chall/1", status: .pending,
                                                                      token: "tok"),
                     keyAuthorization: "tok.thumbprint"))
    }

    @Test("without a choice the order offers the resolver's challenges and uses its DNS provider")
    func noChoice() async throws {
        let log = StepLog()
        let settings = try await resolver(log: log).forOrder(of: record(), dnsProviderForCredential: nil)
        #expect(settings.challengeTypes == [.http01, .dns01])
        try await withSolver(settings) { solver in
            #expect(solver.canSolve(.http01, for: Self.identifier))
            #expect(solver.canSolve(.dns01, for: Self.identifier))
            try await solver.present(Self.dnsAnswer())
        }
        #expect(log.all.contains { $0.hasPrefix("resolver-dns.present _acme-challenge.app.example.test") }, "\(log.all)")
    }

    @Test("a record's challenge is the only one the solver offers", arguments: [
        ("dns-01", ACMEChallenge.ChallengeType.dns01, ACMEChallenge.ChallengeType.http01),
        ("HTTP-01", .http01, .dns01),
    ])
    func onlyTheRecordsChallenge(challenge: String, offered: ACMEChallenge.ChallengeType, withheld: ACMEChallenge.ChallengeType) async throws {
        let settings = try await resolver(log: StepLog()).forOrder(of: record(challenge: challenge), dnsProviderForCredential: nil)
        #expect(settings.challengeTypes == [offered])
        try await withSolver(settings) { solver in
            #expect(solver.canSolve(offered, for: Self.identifier))
            #expect(!solver.canSolve(withheld, for: Self.identifier))
            #expect(!solver.canSolve(.tlsALPN01, for: Self.identifier))
        }
    }

    @Test("a challenge the resolver does not solve, or an unknown one, is refused naming it")
    func unsolvableChallenge() async throws {
        let settings = resolver(log: StepLog(), challenges: [.http01])
        let error = await #expect(throws: CertificateManagerError.self) {
            _ = try await settings.forOrder(of: record(challenge: "tls-alpn-01"), dnsProviderForCredential: nil)
        }
        #expect(error?.description == #"the certificate asks for tls-alpn-01, which certificate resolver "le" does not solve (it solves http-01)"#)
        let unknown = await #expect(throws: CertificateManagerError.self) {
            _ = try await settings.forOrder(of: record(challenge: "dns-02"), dnsProviderForCredential: nil)
        }
        #expect(unknown?.description.contains(#""dns-02""#) == true)
        let credentialWithoutDNS = await #expect(throws: CertificateManagerError.self) {
            _ = try await settings.forOrder(of: record(challenge: "http-01", dnsCredential: "bind"), dnsProviderForCredential: { _ in
                CredentialDNSProvider(provider: FakeProvider(name: "credential-dns", log: StepLog()))
            })
        }
        #expect(credentialWithoutDNS?.description
            == #"the certificate names DNS credential "bind", but its order from certificate resolver "le" offers no dns-01 challenge"#)
    }

    @Test("a resolver without DNS-01 solves dns-01 with a record's DNS credential, and then offers only dns-01", arguments: ["dns-01", nil] as [String?])
    func credentialWithoutResolverDNS(challenge: String?) async throws {
        let log = StepLog()
        var http = resolver(log: log, challenges: [.http01])
        http.dnsProvider = nil
        let settings = try await http.forOrder(of: record(challenge: challenge, dnsCredential: "bind"), dnsProviderForCredential: { _ in
            CredentialDNSProvider(provider: FakeProvider(name: "credential-dns", needsZone: false, immediate: true, log: log))
        })
        #expect(settings.challengeTypes == [.dns01])
        try await withSolver(settings) { solver in
            #expect(solver.canSolve(.dns01, for: Self.identifier))
            #expect(!solver.canSolve(.http01, for: Self.identifier))
            try await solver.present(Self.dnsAnswer())
        }
        #expect(log.all.contains { $0.hasPrefix("credential-dns.present _acme-challenge.app.example.test") }, "\(log.all)")
    }

    @Test("a credential's propagation tuning applies unless the resolver configured the key; without tuning, the defaults")
    func credentialTuning() async throws {
        let provider = CredentialDNSProvider(provider: FakeProvider(name: "credential-dns", log: StepLog()),
                                             propagationTimeout: .seconds(5), pollingInterval: .seconds(1))
        var base = resolver(log: StepLog())
        base.propagation.timeout = .seconds(30)  // the resolver's own provider's tuning, not configured keys
        base.propagation.interval = .seconds(7)
        let tuned = try await base.forOrder(of: record(challenge: "dns-01", dnsCredential: "bind"), dnsProviderForCredential: { _ in provider })
        #expect(tuned.propagation.timeout == .seconds(5) && tuned.propagation.interval == .seconds(1))

        let untuned = try await base.forOrder(of: record(challenge: "dns-01", dnsCredential: "bind"), dnsProviderForCredential: { _ in
            CredentialDNSProvider(provider: provider.provider)
        })
        #expect(untuned.propagation.timeout == PropagationSettings.defaultTimeout && untuned.propagation.interval == PropagationSettings.defaultInterval)

        var configured = base
        configured.propagation = PropagationSettings(timeout: .seconds(10), interval: .milliseconds(500), timeoutIsConfigured: true, intervalIsConfigured: true)
        let kept = try await configured.forOrder(of: record(challenge: "dns-01", dnsCredential: "bind"), dnsProviderForCredential: { _ in provider })
        #expect(kept.propagation.timeout == .seconds(10) && kept.propagation.interval == .milliseconds(500))

        // Without a credential the resolver's settings stay as they are.
        let none = try await base.forOrder(of: record(challenge: "dns-01"), dnsProviderForCredential: { _ in provider })
        #expect(none.propagation.timeout == .seconds(30) && none.propagation.interval == .seconds(7))
    }

    @Test("a record's DNS credential sends its DNS-01 records to that credential's provider, not the resolver's")
    func credentialProvider() async throws {
        let log = StepLog()
        let asked = StepLog()
        let settings = try await resolver(log: log).forOrder(of: record(challenge: "dns-01", dnsCredential: "bind"),
                                                              dnsProviderForCredential: { reference in
            asked.add(reference)
            return CredentialDNSProvider(provider: FakeProvider(name: "credential-dns", needsZone: false, immediate: true, log: log))
        })
        #expect(asked.all == ["bind"])
        try await withSolver(settings) { solver in
            try await solver.present(Self.dnsAnswer())
            try await solver.cleanUp(Self.dnsAnswer())
        }
        #expect(log.all.contains { $0.hasPrefix("credential-dns.present _acme-challenge.app.example.test") }, "\(log.all)")
        #expect(log.all.contains { $0.hasPrefix("credential-dns.cleanUp _acme-challenge.app.example.test") }, "\(log.all)")
        #expect(!log.all.contains { $0.hasPrefix("resolver-dns.") }, "\(log.all)")
    }

    @Test("a credential that cannot be made, or no way to make one, fails naming the credential")
    func unusableCredential() async throws {
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "no stored DNS credential has the id or name \"gone\"" }
        }
        let settings = resolver(log: StepLog())
        let failed = await #expect(throws: CertificateManagerError.self) {
            _ = try await settings.forOrder(of: record(challenge: "dns-01", dnsCredential: "gone"),
                                            dnsProviderForCredential: { _ in throw Unreadable() })
        }
        #expect(failed?.description == #"the stored DNS credential "gone" cannot be used: no stored DNS credential has the id or name "gone""#)
        let noStore = await #expect(throws: CertificateManagerError.self) {
            _ = try await settings.forOrder(of: record(dnsCredential: "bind"), dnsProviderForCredential: nil)
        }
        #expect(noStore?.description.contains(#"the stored DNS credential "bind" cannot be used"#) == true)
    }

    @Test("issue stores the choice; the same or no choice reuses a record, another one updates it and renews an issued one")
    func issuePreference() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-issue-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try await SQLiteCertificateStorage.open(dataDirectory: directory, environment: [:])
        do {
            let operations = CertificateOperations(storage: storage, nodeID: "test", logger: Logger(label: "test"))
            let first = try await operations.issue(names: ["app.example.test"], resolver: "le", challenge: "dns-01", dnsCredential: "bind",
                                                   reason: "test")
            #expect(first.challenge == "dns-01" && first.dnsCredential == "bind" && first.status == .pending)
            let stored = try #require(try await storage.certificate(id: first.id))
            #expect(stored.dnsCredential == "bind")

            let same = try await operations.issue(names: ["app.example.test"], resolver: "le", challenge: "dns-01", dnsCredential: "bind",
                                                  reason: "test")
            let none = try await operations.issue(names: ["app.example.test"], resolver: "le", reason: "test")
            #expect(same == stored && none == stored)

            // Issued under dns-01 with "bind"; a request for http-01 changes it and asks for a renewal now.
            var issued = first
            issued.status = .valid
            issued.serialNumber = "01"
            issued.renewalTime = Date().addingTimeInterval(86400 * 30)
            try await storage.updateCertificate(issued)
            let changed = try await operations.issue(names: ["app.example.test"], resolver: "le", challenge: "http-01", reason: "test")
            #expect(changed.id == first.id && changed.challenge == "http-01" && changed.dnsCredential == nil)
            #expect((changed.renewalTime ?? .distantFuture) <= Date())
            let events = try await storage.auditEvents(AuditQuery(certificateID: first.id))
            #expect(events.map(\.kind.rawValue) == ["certificate.preference-changed"])
            #expect(events.first?.detail.contains(#"from dns-01 with DNS credential "bind" to http-01"#) == true)
            // Structured: the gateway's own event (no token), the choice and status before and after.
            let event = try #require(events.first)
            #expect(event.actor == nil && event.result == "succeeded" && event.target == first.id)
            let before = try #require(event.before.flatMap(AuditState.init(json:)))
            let after = try #require(event.after.flatMap(AuditState.init(json:)))
            #expect(before.fields["challenge"] == .string("dns-01") && before.fields["dnsCredential"] == .string("bind"))
            #expect(after.fields["challenge"] == .string("http-01") && after.fields["dnsCredential"] == .null)
            #expect(before.fields["status"] == .string("valid") && before.fields["serial"] == .string("01"))

            // A renewal request records the state it leaves: same status, and result succeeded.
            try await operations.requestRenewal(first.id)
            let renewal = try #require(try await storage.auditEvents(AuditQuery(certificateID: first.id, order: .newestFirst)).first)
            #expect(renewal.kind.rawValue == "certificate.renewal-requested" && renewal.result == "succeeded")
            #expect(renewal.before.flatMap(AuditState.init(json:))?.fields["status"] == .string("valid"))
            #expect(renewal.after.flatMap(AuditState.init(json:))?.fields["status"] == .string("valid"))
            try await storage.close()
        } catch {
            try? await storage.close()
            throw error
        }
    }
}
