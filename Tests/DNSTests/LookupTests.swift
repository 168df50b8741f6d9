import NIOCore
import NIOPosix
import Testing

@testable import DNS

/// The propagation checker against the built-in server on loopback.
@Suite struct LookupTests {
    static let zone = "_acme-challenge.example.com"

    private func resolver(_ server: DNSServer) -> DNSAddress {
        DNSAddress(host: "127.0.0.1", port: server.port)
    }

    private let fast = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(2), attempts: 2, pollInterval: .milliseconds(50)))

    @Test func readsValuesAndEmptyAnswers() async throws {
        try await withServer { server, records in
            records.add("one", for: try name(Self.zone))
            records.add("two", for: try name(Self.zone))
            #expect(try await self.fast.lookupTXT(try name(Self.zone), at: self.resolver(server)) == ["one", "two"])
            // NODATA and NXDOMAIN both mean "no value".
            #expect(try await self.fast.lookupTXT(try name("_acme-challenge.example.org"), at: self.resolver(server)).isEmpty)
            #expect(try await self.fast.lookupTXT(try name("x." + Self.zone), at: self.resolver(server)).isEmpty)
        }
    }

    @Test func fallsBackToTCPWhenTruncated() async throws {
        try await withServer { server, records in
            let values = (0..<60).map { "v\($0)-" + String(repeating: "y", count: 43) }
            for value in values {
                records.add(value, for: try name(Self.zone))
            }
            let seen = try await self.fast.lookupTXT(try name(Self.zone), at: self.resolver(server))
            #expect(seen == values)
        }
    }

    @Test func refusedNamesTheResolverAndTheName() async throws {
        try await withServer { server, _ in
            let error = await #expect(throws: DNSLookupError.self) {
                try await self.fast.lookupTXT(try name("www.example.com"), at: self.resolver(server))
            }
            #expect(error?.code == .errorResponse)
            #expect(error?.responseCode == .refused)
            #expect(error?.description.contains("127.0.0.1:\(server.port)") == true)
            #expect(error?.description.contains("www.example.com.") == true)
        }
    }

    @Test func silentResolverTimesOut() async throws {
        // A bound UDP socket that never answers.
        let silent = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .milliseconds(200), attempts: 2))
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: DNSLookupError.self) {
            try await lookup.lookupTXT(try name(Self.zone), at: DNSAddress(host: "127.0.0.1", port: port))
        }
        let elapsed = clock.now - started
        try await silent.close()
        #expect(error?.code == .timedOut)
        #expect(error?.resolver == "127.0.0.1:\(port)")
        #expect(elapsed >= .milliseconds(400))
        #expect(elapsed < .seconds(5))
    }

    @Test func unreachableResolverIsANetworkError() async throws {
        // Bind and close a UDP socket: its port then answers with ICMP port unreachable.
        let socket = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(socket.localAddress?.port)
        try await socket.close()
        let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(1), attempts: 1))
        // The kernel rate-limits ICMP errors per destination; should other traffic on loopback
        // have used them up, one of a few tries a second apart still gets one.
        let zone = try name(Self.zone)
        var codes: [DNSLookupError.Code] = []
        for _ in 0..<3 where !codes.contains(.network) {
            do throws(DNSLookupError) {
                _ = try await lookup.lookupTXT(zone, at: DNSAddress(host: "127.0.0.1", port: port))
                Issue.record("a closed port answered")
            } catch {
                codes.append(error.code)
                #expect(error.resolver == "127.0.0.1:\(port)")
            }
        }
        #expect(codes.contains(.network), "\(codes)")
        #expect(codes.allSatisfy { $0 == .network || $0 == .timedOut })
    }

    @Test func invalidResolverAddress() async throws {
        let error = await #expect(throws: DNSLookupError.self) {
            try await self.fast.lookupTXT(try name(Self.zone), at: DNSAddress(host: nil, port: 53))
        }
        #expect(error?.code == .invalidResolver)
    }

    @Test func waitsUntilEveryResolverShowsTheValue() async throws {
        try await withServer { first, records in
            // A second server sharing the store stands in for a second resolver.
            try await withServer(records: records) { second, _ in
                let resolvers = [self.resolver(first), self.resolver(second)]
                let zone = try name(Self.zone)
                records.add("other-order", for: zone)
                let publisher = Task {
                    try await Task.sleep(for: .milliseconds(300))
                    records.add("digest", for: zone)
                }
                let clock = ContinuousClock()
                let started = clock.now
                try await self.fast.waitForTXT(name: zone, value: "digest", resolvers: resolvers, timeout: .seconds(10))
                #expect(clock.now - started >= .milliseconds(250))
                try await publisher.value
            }
        }
    }

    @Test func delayBeforeChecksIsWaited() async throws {
        try await withServer { server, records in
            records.add("digest", for: try name(Self.zone))
            let clock = ContinuousClock()
            let started = clock.now
            try await self.fast.waitForTXT(
                name: try name(Self.zone), value: "digest", resolvers: [self.resolver(server)],
                delayBeforeChecks: .milliseconds(300), timeout: .seconds(5)
            )
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    @Test func timeoutListsWhatEachResolverShowed() async throws {
        try await withServer { server, records in
            records.add("stale", for: try name(Self.zone))
            let silent = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
            let silentPort = try #require(silent.localAddress?.port)
            let lookup = DNSTXTLookup(configuration: .init(attemptTimeout: .seconds(1), attempts: 1, pollInterval: .milliseconds(200)))
            let error = await #expect(throws: DNSPropagationError.self) {
                try await lookup.waitForTXT(
                    name: try name(Self.zone), value: "fresh",
                    resolvers: [self.resolver(server), DNSAddress(host: "127.0.0.1", port: silentPort)],
                    timeout: .milliseconds(1500)
                )
            }
            try await silent.close()
            let pending = error?.pending ?? []
            #expect(pending.count == 2)
            #expect(pending.first { $0.resolver == "127.0.0.1:\(server.port)" }?.lastResult == "values \"stale\"")
            #expect(pending.first { $0.resolver == "127.0.0.1:\(silentPort)" }?.lastResult.contains("no response in time") == true)
            #expect(error?.isCancelled == false)
            #expect(error?.description.contains("\"fresh\"") == true)
        }
    }

    @Test func followsCNAMEsInTheAnswer() throws {
        let alias = try name("_acme-challenge.example.com")
        let target = try name("token.acme.example.net")
        let response = DNSMessage(
            id: 1, isResponse: true, questions: [Question(name: alias, type: .txt)],
            answers: [
                ResourceRecord(name: alias, ttl: 1, data: .cname(target)),
                ResourceRecord(name: target, ttl: 1, data: .txt(value: "through-cname")),
                ResourceRecord(name: try name("unrelated.example"), ttl: 1, data: .txt(value: "no")),
            ]
        )
        #expect(DNSTXTLookup.txtValues(in: response, for: alias) == ["through-cname"])
    }
}
