import Foundation
import Testing
@testable import Storage

@Suite struct CertificateRecordTests {
    static func fullRecord(id: String = "cert-1", names: [String] = ["Example.com", "www.example.com."]) -> CertificateRecord {
        CertificateRecord(
            id: id,
            resolver: "le",
            names: names,
            status: .renewing,
            statusReason: "ARI window opened",
            chainPEM: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            privateKey: SecretBytes(utf8: "-----BEGIN EC PRIVATE KEY-----\ncurrent\n-----END EC PRIVATE KEY-----\n"),
            keyType: "EC256",
            issuer: "CN=Test Intermediate,O=Gatehouse Tests",
            serialNumber: "0123abcd",
            notBefore: date(1_799_000_000),
            notAfter: date(1_806_776_000),
            ariCertificateID: "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
            ariWindow: RenewalWindow(start: date(1_804_000_000), end: date(1_804_172_800)),
            renewalTime: date(1_804_086_400.25),
            nextCheckTime: date(1_800_021_600),
            profile: "shortlived",
            challenge: "dns-01",
            dnsCredential: "dnscred-bind",
            pendingOrder: PendingOrder(
                orderURL: "https://ca.example/order/42",
                privateKey: SecretBytes(utf8: "-----BEGIN EC PRIVATE KEY-----\nreserved\n-----END EC PRIVATE KEY-----\n"),
                keyType: "EC384"
            ),
            failureCount: 2,
            nextRetryTime: date(1_800_003_600),
            lastError: "urn:ietf:params:acme:error:rateLimited",
            unusedSince: date(1_799_500_000),
            source: .acme,
            createdAt: date(1_799_000_100),
            updatedAt: date(1)
        )
    }

    @Test("a record's own challenge and DNS credential are written by an update and cleared by one")
    func challengePreferenceUpdates() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, clock: TestClock()) { storage async throws in
                var record = try await storage.insertCertificate(CertificateRecord(id: "cert-p", resolver: "le", names: ["p.example"], status: .pending))
                #expect(record.challenge == nil && record.dnsCredential == nil)
                record.challenge = "dns-01"
                record.dnsCredential = "bind"
                try await storage.updateCertificate(record)
                var read = try #require(try await storage.certificate(id: "cert-p"))
                #expect(read.challenge == "dns-01" && read.dnsCredential == "bind")
                read.challenge = "http-01"
                read.dnsCredential = nil
                try await storage.updateCertificate(read)
                let again = try #require(try await storage.certificate(resolver: "le", names: ["p.example"]))
                #expect(again.challenge == "http-01" && again.dnsCredential == nil)
            }
        }
    }

    @Test func roundTripsEveryField() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { storage async throws in
                let record = Self.fullRecord()
                let stored = try await storage.insertCertificate(record)
                #expect(stored.names == ["example.com", "www.example.com"])
                #expect(stored.updatedAt == clock.now)
                var expected = record
                expected.names = stored.names
                expected.updatedAt = clock.now
                #expect(stored == expected)
                #expect(try await storage.certificate(id: "cert-1") == expected)

                // A record with nothing optional set round-trips too.
                let minimal = CertificateRecord(id: "cert-2", resolver: "le", names: ["a.example"], status: .pending, createdAt: date(5))
                var expectedMinimal = minimal
                expectedMinimal.updatedAt = clock.now
                try await storage.insertCertificate(minimal)
                #expect(try await storage.certificate(id: "cert-2") == expectedMinimal)
                #expect(try await storage.certificate(id: "missing") == nil)
            }
            // And survives a restart (kill -9 is the same as reopening: the file is the state).
            try await withStorage(in: directory, clock: clock) { storage async throws in
                let resumed = try #require(try await storage.certificate(resolver: "le", names: ["www.example.com", "example.com"]))
                #expect(resumed.pendingOrder?.orderURL == "https://ca.example/order/42")
                #expect(resumed.pendingOrder?.privateKey == Self.fullRecord().pendingOrder?.privateKey)
                #expect(resumed.pendingOrder?.keyType == "EC384")
                #expect(resumed.renewalTime == date(1_804_086_400.25))
            }
        }
    }

    @Test func sameNamesInAnotherOrderAndCaseAreTheSameSet() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                try await storage.insertCertificate(CertificateRecord(id: "one", resolver: "le", names: ["b.example.com", "A.example.com"], status: .pending))
                let found = try await storage.certificate(resolver: "le", names: ["a.example.com.", "B.EXAMPLE.COM"])
                #expect(found?.id == "one")
                #expect(found?.names == ["b.example.com", "a.example.com"])  // order kept, main first
                #expect(try await storage.certificate(resolver: "le", names: ["a.example.com"]) == nil)
                #expect(try await storage.certificate(resolver: "other", names: ["a.example.com", "b.example.com"]) == nil)

                // No duplicate for the same set, whatever the order; another resolver may have one.
                let error = await #expect(throws: StorageError.self) {
                    try await storage.insertCertificate(CertificateRecord(id: "two", resolver: "le", names: ["a.example.com", "b.example.com"], status: .pending))
                }
                #expect(error?.code == .duplicateCertificate)
                #expect(error?.description.contains("one") == true)
                try await storage.insertCertificate(CertificateRecord(id: "three", resolver: "other", names: ["a.example.com", "b.example.com"], status: .pending))
                #expect(try await storage.certificates(resolver: nil).map(\.id).sorted() == ["one", "three"])
                #expect(try await storage.certificates(resolver: "le").map(\.id) == ["one"])
            }
        }
    }

    @Test func invalidNamesAreRefused() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                for names in [[], [""], ["a,b.example"], ["a b.example"], ["."]] {
                    let error = await #expect(throws: StorageError.self) {
                        try await storage.insertCertificate(CertificateRecord(resolver: "le", names: names, status: .pending))
                    }
                    #expect(error?.code == .invalidName)
                }
            }
        }
    }

    @Test func updateRecordsStatusTransitions() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            try await withStorage(in: directory, clock: clock) { storage async throws in
                var record = CertificateRecord(id: "c", resolver: "le", names: ["example.com"], status: .pending, statusReason: "demanded by router web")
                try await storage.insertCertificate(record)
                let t0 = clock.now
                clock.advance(by: 10)
                record.status = .issuing
                record.statusReason = "order created"
                try await storage.updateCertificate(record)
                clock.advance(by: 10)
                record.failureCount = 1  // no status change: no transition
                try await storage.updateCertificate(record)
                clock.advance(by: 10)
                record.status = .valid
                record.statusReason = "issued"
                let stored = try await storage.updateCertificate(record)
                #expect(stored.updatedAt == clock.now)

                let history = try await storage.statusHistory(certificateID: "c")
                #expect(history == [
                    StatusTransition(certificateID: "c", time: t0, from: nil, to: .pending, reason: "demanded by router web"),
                    StatusTransition(certificateID: "c", time: t0.addingTimeInterval(10), from: .pending, to: .issuing, reason: "order created"),
                    StatusTransition(certificateID: "c", time: t0.addingTimeInterval(30), from: .issuing, to: .valid, reason: "issued"),
                ])
                #expect(try await storage.certificate(id: "c")?.failureCount == 1)

                let missing = await #expect(throws: StorageError.self) {
                    try await storage.updateCertificate(CertificateRecord(id: "nope", resolver: "le", names: ["x.example"], status: .valid))
                }
                #expect(missing?.code == .certificateNotFound)

                // Renaming onto another record's names is a duplicate.
                try await storage.insertCertificate(CertificateRecord(id: "d", resolver: "le", names: ["other.example"], status: .pending))
                record.names = ["OTHER.example"]
                let clash = await #expect(throws: StorageError.self) { try await storage.updateCertificate(record) }
                #expect(clash?.code == .duplicateCertificate)

                try await storage.deleteCertificate(id: "c")
                #expect(try await storage.certificate(id: "c") == nil)
                #expect(try await storage.statusHistory(certificateID: "c").count == 3)  // history stays
            }
        }
    }

    @Test func revocationIsFinalForItsCertificate() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, clock: TestClock()) { storage async throws in
                var stale = CertificateRecord(id: "r", resolver: "le", names: ["example.com"], status: .valid, serialNumber: "01")
                try await storage.insertCertificate(stale)
                // Another process revokes it…
                var revoked = try #require(try await storage.certificate(id: "r"))
                revoked.status = .revoked
                revoked.statusReason = "revoked: keyCompromise"
                try await storage.updateCertificate(revoked)
                // …while a background pass still holds the valid copy and writes it back.
                stale.nextCheckTime = Date(timeIntervalSince1970: 1_900_000_000)
                let written = try await storage.updateCertificate(stale)
                #expect(written.status == .revoked)
                let stored = try #require(try await storage.certificate(id: "r"))
                #expect(stored.status == .revoked && stored.statusReason == "revoked: keyCompromise")
                #expect(stored.nextCheckTime == Date(timeIntervalSince1970: 1_900_000_000))
                // A new certificate (another serial) replaces the revoked one.
                var renewed = stored
                renewed.serialNumber = "02"
                renewed.status = .valid
                #expect(try await storage.updateCertificate(renewed).status == .valid)
            }
        }
    }

    @Test func concurrentUpdatesFromManyTasksDoNotInterleave() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        group.addTask {
                            let id = "c\(index)"
                            var record = CertificateRecord(id: id, resolver: "le", names: ["n\(index).example"], status: .pending)
                            try await storage.insertCertificate(record)
                            for status in [CertificateStatus.issuing, .valid, .renewing, .valid] {
                                record.status = status
                                try await storage.updateCertificate(record)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let all = try await storage.certificates(resolver: "le")
                #expect(all.count == 40)
                #expect(all.allSatisfy { $0.status == .valid })
                for index in [0, 17, 39] {
                    #expect(try await storage.statusHistory(certificateID: "c\(index)").map(\.to) == [.pending, .issuing, .valid, .renewing, .valid])
                }
            }
        }
    }

    // MARK: Coverage

    @Test func validCertificateCoveringANameByExactOrWildcard() async throws {
        try await withDataDirectory { directory in
            let clock = TestClock()
            let now = clock.now
            func servable(_ id: String, _ names: [String], status: CertificateStatus = .valid, notAfter: TimeInterval = 86_400 * 30) -> CertificateRecord {
                CertificateRecord(
                    id: id, resolver: "le", names: names, status: status, chainPEM: "chain \(id)",
                    notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(notAfter)
                )
            }
            try await withStorage(in: directory, clock: clock) { storage async throws in
                try await storage.insertCertificate(servable("wild", ["*.example.com", "example.com"]))
                try await storage.insertCertificate(servable("exact", ["api.example.com"], notAfter: 86_400 * 5))
                try await storage.insertCertificate(servable("revoked", ["old.example.com"], status: .revoked))
                try await storage.insertCertificate(servable("expired", ["gone.example.com"], notAfter: -60))
                try await storage.insertCertificate(servable("renewing", ["busy.example.org"], status: .renewing))
                try await storage.insertCertificate(CertificateRecord(id: "pending", resolver: "le", names: ["new.example.org"], status: .pending))

                #expect(try await storage.validCertificate(covering: "www.example.com")?.id == "wild")
                #expect(try await storage.validCertificate(covering: "WWW.Example.COM.")?.id == "wild")
                #expect(try await storage.validCertificate(covering: "example.com")?.id == "wild")  // apex by its own SAN
                #expect(try await storage.validCertificate(covering: "api.example.com")?.id == "exact")  // exact beats wildcard
                #expect(try await storage.validCertificate(covering: "a.b.example.com") == nil)  // one label only
                #expect(try await storage.validCertificate(covering: "old.example.com")?.id == "wild")  // revoked is skipped
                #expect(try await storage.validCertificate(covering: "gone.example.com")?.id == "wild")  // expired is skipped
                #expect(try await storage.validCertificate(covering: "busy.example.org")?.id == "renewing")
                #expect(try await storage.validCertificate(covering: "new.example.org") == nil)
                #expect(try await storage.validCertificate(covering: "example.net") == nil)

                // Time passes: the exact one expires, the wildcard takes over.
                clock.advance(by: 86_400 * 6)
                #expect(try await storage.validCertificate(covering: "api.example.com")?.id == "wild")
            }
        }
    }

    // MARK: Accounts

    @Test func accountsRoundTripPerResolverAndDirectory() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory) { storage async throws in
                let account = AccountRecord(
                    resolver: "le", directoryURL: "https://acme-v02.api.letsencrypt.org/directory", email: "ops@example.com",
                    accountURL: "https://acme-v02.api.letsencrypt.org/acme/acct/1", privateKey: SecretBytes(utf8: "PEM A"),
                    keyType: "EC256", createdAt: date(1_700_000_000)
                )
                try await storage.saveAccount(account)
                var staging = account
                staging.directoryURL = "https://acme-staging-v02.api.letsencrypt.org/directory"
                staging.privateKey = SecretBytes(utf8: "PEM B")
                staging.email = nil
                staging.accountURL = nil
                try await storage.saveAccount(staging)
                #expect(try await storage.account(resolver: "le", directoryURL: account.directoryURL) == account)
                #expect(try await storage.account(resolver: "le", directoryURL: staging.directoryURL) == staging)
                #expect(try await storage.account(resolver: "other", directoryURL: account.directoryURL) == nil)

                var registered = staging
                registered.accountURL = "https://acme-staging-v02.api.letsencrypt.org/acme/acct/9"
                try await storage.saveAccount(registered)
                #expect(try await storage.account(resolver: "le", directoryURL: staging.directoryURL) == registered)
            }
        }
    }
}
