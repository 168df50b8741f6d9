import DNS
import Foundation
import Logging
import NIOPosix
import Synchronization
import Testing

@testable import DNSProviders

/// The pre-flight's steps with a provider that publishes into Gatehouse's own DNS server on
/// loopback (so propagation is real DNS), and can be told to fail.
@Suite struct PreflightTests {
    /// Publishes into the records a running DNSServer serves; records its calls.
    final class ServerProvider: DNSChallengeProvider, Sendable {
        let records: DNSChallengeRecords
        let server: DNSAddress
        let presentError: DNSProviderError?
        let publishes: Bool
        let calls = Mutex<[String]>([])

        init(records: DNSChallengeRecords, server: DNSAddress, presentError: DNSProviderError? = nil, publishes: Bool = true) {
            self.records = records
            self.server = server
            self.presentError = presentError
            self.publishes = publishes
        }

        var name: String { "test" }
        var zoneServers: [DNSAddress] { [self.server] }

        func present(_ record: ChallengeRecord) async throws {
            self.calls.withLock { $0.append("present \(record.name) in \(record.zone)") }
            if let presentError { throw presentError }
            if self.publishes { self.records.add(record.value, for: record.name) }
        }

        func cleanUp(_ record: ChallengeRecord) async throws {
            self.calls.withLock { $0.append("cleanup \(record.name)") }
            _ = self.records.remove(record.value, for: record.name)
        }
    }

    private func withServer(_ body: (DNSServer, DNSChallengeRecords) async throws -> Void) async throws {
        let records = DNSChallengeRecords()
        let server = try await DNSServer.start(
            address: DNSAddress(host: "127.0.0.1", port: 0), records: records,
            configuration: .init(nameServer: try DomainName("ns.gatehouse.test"), zones: [try DomainName("example.test")]),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), on: MultiThreadedEventLoopGroup.singleton
        )
        do {
            try await body(server, records)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    private let options = DNSPreflight.Options(
        propagationTimeout: .milliseconds(600), lookup: .init(attemptTimeout: .seconds(1), attempts: 1, pollInterval: .milliseconds(50))
    )

    @Test func everyStepOKAndTheReportEncodes() async throws {
        try await self.withServer { server, records in
            let address = DNSAddress(host: "127.0.0.1", port: server.port)
            let provider = ServerProvider(records: records, server: address)
            let report = await DNSPreflight(options: self.options).run(provider: provider, domain: "*.www.example.test", value: "probe")
            #expect(report.steps.map(\.name) == [.zone, .present, .propagation, .cleanup, .gone])
            #expect(report.steps.allSatisfy { $0.status == .ok }, "\(report.steps.map(\.line))")
            // The built-in server is the apex of every _acme-challenge name it serves.
            #expect(report.step(.zone)?.line == "zone: ok (_acme-challenge.www.example.test.)")
            #expect(report.step(.propagation)?.line == "propagation: ok (visible at \(address))")
            #expect(report.resultLine == "result: ok")
            #expect(report.recordName == "_acme-challenge.www.example.test.")
            #expect(provider.calls.withLock { $0 } == ["present _acme-challenge.www.example.test. in _acme-challenge.www.example.test.", "cleanup _acme-challenge.www.example.test."])
            #expect(records.values(for: try DomainName("_acme-challenge.www.example.test")).isEmpty)
            let decoded = try JSONDecoder().decode(DNSPreflightReport.self, from: try JSONEncoder().encode(report))
            #expect(decoded == report)
        }
    }

    @Test func propagationFailureStillCleansUp() async throws {
        try await self.withServer { server, records in
            let provider = ServerProvider(records: records, server: DNSAddress(host: "127.0.0.1", port: server.port), publishes: false)
            let report = await DNSPreflight(options: self.options).run(provider: provider, domain: "www.example.test", value: "probe")
            #expect(report.step(.propagation)?.status == .failed)
            #expect(report.step(.propagation)?.kind == .propagation)
            #expect(report.step(.cleanup)?.status == .ok)
            #expect(provider.calls.withLock { $0 }.last == "cleanup _acme-challenge.www.example.test.")
            #expect(report.resultLine.hasPrefix("result: failed at propagation: propagation: "))
        }
    }

    @Test func presentFailureIsReportedWithItsKindAndNothingElseRuns() async throws {
        try await self.withServer { server, records in
            let provider = ServerProvider(
                records: records, server: DNSAddress(host: "127.0.0.1", port: server.port),
                presentError: DNSProviderError(.authentication, provider: "test", "bad token")
            )
            let report = await DNSPreflight(options: self.options).run(provider: provider, domain: "www.example.test")
            #expect(report.resultLine == "result: failed at present: authentication: bad token")
            #expect(report.step(.cleanup)?.status == .skipped)
            #expect(!report.succeeded)
        }
    }

    @Test func zoneServerNotAnsweringIsANetworkFailureAtZone() async throws {
        let records = DNSChallengeRecords()
        // Nothing listens on loopback port 9: ICMP port unreachable, or no answer in time.
        let provider = ServerProvider(records: records, server: DNSAddress(host: "127.0.0.1", port: 9))
        let report = await DNSPreflight(options: self.options).run(provider: provider, domain: "www.example.test")
        #expect(report.step(.zone)?.kind == .network)
        #expect(report.resultLine.hasPrefix("result: failed at zone: network: "))
        #expect(report.resultLine.contains("127.0.0.1:9"))
        #expect(provider.calls.withLock { $0 }.isEmpty)
    }

    @Test func propagationCheckCanBeTurnedOff() async throws {
        try await self.withServer { server, records in
            var options = self.options
            options.policy = .none
            let provider = ServerProvider(records: records, server: DNSAddress(host: "127.0.0.1", port: server.port), publishes: false)
            let report = await DNSPreflight(options: options).run(provider: provider, domain: "www.example.test")
            #expect(report.step(.propagation)?.status == .skipped)
            #expect(report.step(.gone)?.status == .skipped)
            #expect(report.succeeded)
        }
    }
}
