import DNS
import DNSProviders
import Synchronization
@testable import Certificates

/// What the fakes were asked, in order, shared by a fake provider and a fake DNS.
final class StepLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// A DNS provider that keeps its TXT records in memory, so a ``FakeDNS`` can show them.
final class FakeProvider: DNSChallengeProvider {
    let name: String
    let needsZone: Bool
    let isImmediatelyVisible: Bool
    let log: StepLog
    let failPresent: DNSProviderError?
    let zoneServers: [DNSAddress]
    private let records = Mutex<[DomainName: [String]]>([:])

    init(name: String = "fake", needsZone: Bool = true, immediate: Bool = false, log: StepLog, failPresent: DNSProviderError? = nil,
         zoneServers: [DNSAddress] = []) {
        self.zoneServers = zoneServers
        self.name = name
        self.needsZone = needsZone
        self.isImmediatelyVisible = immediate
        self.log = log
        self.failPresent = failPresent
    }

    func present(_ record: ChallengeRecord) async throws {
        log.add("\(name).present \(record.name) \(record.value) zone=\(record.zone) ttl=\(record.ttl)")
        if let failPresent { throw failPresent }
        records.withLock { $0[record.name, default: []].append(record.value) }
    }

    func cleanUp(_ record: ChallengeRecord) async throws {
        log.add("\(name).cleanUp \(record.name) \(record.value) zone=\(record.zone)")
        records.withLock { $0[record.name]?.removeAll { $0 == record.value } }
    }

    func values(at name: DomainName) -> [String] { records.withLock { $0[name] ?? [] } }
}

/// Answers zone, NS and TXT questions from a table; TXT from the providers' records, each
/// server showing them only once it has been asked `lag[server]` times.
final class FakeDNS: DNSChallengeLookup {
    let log: StepLog
    let zones: [DomainName: DomainName]
    let nameservers: [DomainName: [DNSAddress]]
    let providers: [FakeProvider]
    let lag: [DNSAddress: Int]
    let system: [DNSAddress]
    private let asked = Mutex<[DNSAddress: Int]>([:])

    init(log: StepLog, zones: [DomainName: DomainName], nameservers: [DomainName: [DNSAddress]], providers: [FakeProvider],
         lag: [DNSAddress: Int] = [:], system: [DNSAddress] = []) {
        self.log = log
        self.zones = zones
        self.nameservers = nameservers
        self.providers = providers
        self.lag = lag
        self.system = system
    }

    struct NotFound: Error, CustomStringConvertible {
        let what: String
        var description: String { what }
    }

    func zone(of name: DomainName, resolvers: [DNSAddress]) async throws -> DomainName {
        log.add("zone \(name) via \(resolvers.map(\.description).joined(separator: ","))")
        var candidate: DomainName? = name
        while let current = candidate {
            if let zone = zones[current] { return zone }
            candidate = current.parent
        }
        throw NotFound(what: "NXDOMAIN for every SOA query")
    }

    func authoritativeServers(of zone: DomainName, resolvers: [DNSAddress]) async throws -> [DNSAddress] {
        log.add("ns \(zone)")
        guard let servers = nameservers[zone] else { throw NotFound(what: "no NS for \(zone)") }
        return servers
    }

    func txtValues(at name: DomainName, server: DNSAddress, authoritative: Bool) async throws -> [String] {
        let count = asked.withLock { counts in
            counts[server, default: 0] += 1
            return counts[server]!
        }
        log.add("txt \(name) at \(server)")
        guard count > lag[server, default: 0] else { return [] }
        return providers.flatMap { $0.values(at: name) }
    }

    func systemResolvers() -> [DNSAddress] { system }

    func askedCount(_ server: DNSAddress) -> Int { asked.withLock { $0[server] ?? 0 } }
}

extension DNSAddress {
    /// `"10.0.0.1:53"` in tests.
    static func test(_ text: String) -> DNSAddress { try! DNSAddress(parsing: text) }
}

extension DomainName {
    /// `"example.com"` in tests.
    static func test(_ text: String) -> DomainName { try! DomainName(text) }
}
