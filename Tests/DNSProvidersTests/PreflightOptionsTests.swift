import DNS
import Testing

@testable import DNSProviders

/// ``DNSPreflight/Options/init(tuning:resolvers:policy:timeout:interval:ttl:)``: the one rule of
/// `gatehouse dns test` and the credential test endpoint: each of the timeout, the polling
/// interval and the TTL from the explicit value, else the provider's lego tuning, else the default.
@Suite struct PreflightOptionsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var tuning: DNSProviderKind.Tuning
        var timeout: Duration?
        var interval: Duration?
        var ttl: Int?
        var expected: (timeout: Duration, interval: Duration, ttl: Int)
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "nothing set: the defaults", tuning: .init(), expected: (.seconds(60), .seconds(2), 120)),
        Case(label: "PROPAGATION_TIMEOUT", tuning: .init(propagationTimeout: 5), expected: (.seconds(5), .seconds(2), 120)),
        Case(label: "POLLING_INTERVAL", tuning: .init(pollingInterval: 1), expected: (.seconds(60), .seconds(1), 120)),
        Case(label: "TTL", tuning: .init(ttl: 30), expected: (.seconds(60), .seconds(2), 30)),
        Case(label: "all three", tuning: .init(ttl: 30, propagationTimeout: 5, pollingInterval: 1), expected: (.seconds(5), .seconds(1), 30)),
        Case(label: "--timeout wins over PROPAGATION_TIMEOUT", tuning: .init(ttl: 30, propagationTimeout: 5, pollingInterval: 1),
             timeout: .seconds(90), expected: (.seconds(90), .seconds(1), 30)),
        Case(label: "--interval wins over POLLING_INTERVAL", tuning: .init(ttl: 30, propagationTimeout: 5, pollingInterval: 1),
             interval: .milliseconds(250), expected: (.seconds(5), .milliseconds(250), 30)),
        Case(label: "--ttl wins over TTL", tuning: .init(ttl: 30, propagationTimeout: 5, pollingInterval: 1),
             ttl: 600, expected: (.seconds(5), .seconds(1), 600)),
        Case(label: "flags without tuning", tuning: .init(), timeout: .seconds(10), interval: .seconds(3), ttl: 60,
             expected: (.seconds(10), .seconds(3), 60)),
        Case(label: "a zero interval or TTL in the tuning is ignored", tuning: .init(ttl: 0, propagationTimeout: 0, pollingInterval: 0),
             expected: (.zero, .seconds(2), 120)),
    ]

    @Test("each of the three values: explicit, else the provider's tuning, else the default", arguments: cases)
    func options(_ example: Case) {
        let resolver = DNSAddress(host: "192.0.2.53", port: 53)
        let options = DNSPreflight.Options(tuning: example.tuning, resolvers: [resolver], policy: .resolvers,
                                           timeout: example.timeout, interval: example.interval, ttl: example.ttl)
        #expect(options.propagationTimeout == example.expected.timeout)
        #expect(options.lookup.pollInterval == example.expected.interval)
        #expect(options.ttl == example.expected.ttl)
        #expect(options.resolvers == [resolver])
        #expect(options.policy == .resolvers)
        // The lookup's other settings stay the pre-flight's.
        let plain = DNSPreflight.Options()
        #expect(options.lookup.attempts == plain.lookup.attempts && options.lookup.attemptTimeout == plain.lookup.attemptTimeout)
    }
}
