import Testing

@testable import DNS

@Suite struct ChallengeRecordsTests {
    @Test func holdsSeveralValuesPerNameAndRemovesOne() throws {
        let records = DNSChallengeRecords()
        let zone = try name("_acme-challenge.example.com")
        records.add("apex-token", for: zone)
        records.add("wildcard-token", for: try name("_ACME-CHALLENGE.Example.Com."))
        records.add("apex-token", for: zone)  // again: still one copy
        #expect(records.values(for: zone) == ["apex-token", "wildcard-token"])
        #expect(records.names == [zone])

        #expect(records.remove("apex-token", for: try name("_acme-challenge.EXAMPLE.com")))
        #expect(!records.remove("apex-token", for: zone))
        #expect(records.values(for: zone) == ["wildcard-token"])
        records.removeAll(for: zone)
        #expect(records.values(for: zone).isEmpty)
        #expect(records.names.isEmpty)
    }

    @Test func expiredValuesAreNotServed() throws {
        let records = DNSChallengeRecords()
        let zone = try name("_acme-challenge.example.com")
        records.add("old", for: zone, expiresAt: .now - .seconds(1))
        records.add("current", for: zone, expiresAt: .now + .seconds(3600))
        records.add("forever", for: zone)
        #expect(records.values(for: zone) == ["current", "forever"])
        // Re-adding replaces the expiry: here it ends a value that had none.
        records.add("forever", for: zone, expiresAt: .now - .seconds(1))
        #expect(records.values(for: zone) == ["current"])
        records.add("later", for: zone, expiresAfter: .seconds(3600))
        #expect(records.values(for: zone) == ["current", "later"])
        // That add already dropped the expired values, so nothing is left to remove.
        let serial = records.serial
        records.removeExpired()
        #expect(records.serial == serial)

        let gone = try name("_acme-challenge.gone.example")
        records.add("x", for: gone, expiresAt: .now - .milliseconds(1))
        #expect(!records.names.contains(gone))
        #expect(records.lookup(gone).outermostOwner == nil)
    }

    @Test func serialChangesWithEveryChange() throws {
        let records = DNSChallengeRecords()
        let zone = try name("_acme-challenge.example.com")
        var seen = [records.serial]
        records.add("a", for: zone)
        seen.append(records.serial)
        records.add("b", for: zone)
        seen.append(records.serial)
        records.remove("a", for: zone)
        seen.append(records.serial)
        #expect(Set(seen).count == 4)
        let before = records.serial
        records.remove("missing", for: zone)
        #expect(records.serial == before)
    }

    @Test func lookupSeesDescendantsAndOwners() throws {
        let records = DNSChallengeRecords()
        records.add("v", for: try name("x.y.acme.example.net"))
        let middle = records.lookup(try name("y.acme.example.net"))
        #expect(middle.values.isEmpty)
        #expect(middle.hasDescendants)
        #expect(middle.outermostOwner == nil)
        let below = records.lookup(try name("z.x.y.acme.example.net"))
        #expect(below.outermostOwner == (try name("x.y.acme.example.net")))
        #expect(!below.hasDescendants)
    }

    @Test func concurrentChangesAreAllKept() async throws {
        let records = DNSChallengeRecords()
        let zone = try name("_acme-challenge.example.com")
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    records.add("value-\(index)", for: zone)
                    _ = records.values(for: zone)
                }
            }
        }
        #expect(Set(records.values(for: zone)) == Set((0..<200).map { "value-\($0)" }))
    }
}
