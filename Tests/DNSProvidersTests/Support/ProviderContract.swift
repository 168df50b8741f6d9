import DNS
import Foundation
import Testing

@testable import DNSProviders

/// What every DNS-01 provider promises, written once for the provider tests that run against a
/// ``FakeProviderProcess``: records with two values on one name, failures of the right kind
/// that never show a secret, configuration errors that name the variable.
///
/// Every check reports at the caller's line (`sourceLocation`), so a failure names the provider
/// test that broke the contract.
enum ProviderContract {
    /// A challenge record, `_acme-challenge.example.com` in `example.com` unless told.
    static func record(_ value: String, name: String = "_acme-challenge.example.com", zone: String = "example.com", ttl: Int = 120) throws -> ChallengeRecord {
        ChallengeRecord(name: try DomainName(name), value: value, zone: try DomainName(zone), ttl: ttl)
    }

    /// The TXT values the fake's DNS server answers for `name`, sorted (a doubled value shows).
    static func txt(_ name: String, at fake: FakeProviderProcess) async throws -> [String] {
        try await DNSTXTLookup().lookupTXT(try DomainName(name), at: fake.dnsAddress).sorted()
    }

    /// Runs `body` and expects it to throw a ``DNSProviderError`` of `kind` from `provider`
    /// whose description shows none of `secrets`.
    ///
    /// - Returns: the error, for the checks a provider adds (status, detail), or `nil` when
    ///   `body` succeeded or threw something else (already recorded as an issue).
    @discardableResult
    static func expectFailure(
        _ kind: DNSProviderError.Kind, provider: String, hiding secrets: [String],
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async -> DNSProviderError? {
        do {
            try await body()
            Issue.record("expected a \(kind) error from \(provider), got success", sourceLocation: sourceLocation)
            return nil
        } catch let error as DNSProviderError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.provider == provider, "\(error)", sourceLocation: sourceLocation)
            for secret in secrets {
                #expect(!error.description.contains(secret), "a secret leaked into the error \(error.kind)", sourceLocation: sourceLocation)
            }
            return error
        } catch {
            Issue.record("expected a DNSProviderError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Expects neither `"\(value)"` nor `String(reflecting: value)` to show any of `secrets`
    /// (a provider or signer holding a credential).
    static func expectHidden(_ secrets: [String], in value: Any, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = ["\(value)", String(reflecting: value)]
        for secret in secrets {
            #expect(!shown.contains { $0.contains(secret) }, "a secret shows in a \(type(of: value))", sourceLocation: sourceLocation)
        }
    }

    /// Makes a provider with `make` (its initializer) from `entries` and gives the detail of the
    /// configuration error it throws: `nil` when it succeeds, `wrong kind …` for another kind.
    static func configurationDetail<Provider>(
        _ entries: [String: String], _ make: (DNSCredentials, DNSProviderContext) throws(DNSProviderError) -> Provider
    ) -> String? {
        do {
            _ = try make(DNSCredentials(entries, environment: [:]), DNSProviderContext())
            return nil
        } catch {
            return error.kind == .configuration ? error.detail : "wrong kind \(error.kind)"
        }
    }

    /// The two-values contract, checked at the fake's DNS server after every step: present A,
    /// present B, present A again (not an error, not doubled): both visible; clean up A: only B
    /// left; clean up A again (not an error): still B; clean up B: nothing left.
    ///
    /// - Parameters:
    ///   - ttl: the TTL both records ask for (below a provider's minimum: it must raise it).
    ///   - concurrently: present A and B at the same time (providers that rewrite a whole record
    ///     set must not lose either value).
    ///   - neighbour: another name in `zone` that gets a value after A and B are there; it must
    ///     stay through A's and B's clean-up, and go with its own.
    ///   - atApex: last, one value at `zone`'s own name comes and goes (a delegated
    ///     `_acme-challenge` zone looks like this).
    static func checkValuesCoexist(
        _ provider: any DNSChallengeProvider, fake: FakeProviderProcess,
        name: String = "_acme-challenge.example.com", zone: String = "example.com", ttl: Int = 120,
        concurrently: Bool = false, neighbour: String? = nil, atApex: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let first = try record("value-one", name: name, zone: zone, ttl: ttl)
        let second = try record("value-two", name: name, zone: zone, ttl: ttl)
        if concurrently {
            async let a: Void = provider.present(first)
            async let b: Void = provider.present(second)
            _ = try await (a, b)
        } else {
            try await provider.present(first)
            try await provider.present(second)
        }
        try await provider.present(first)  // again: not an error, and not doubled
        #expect(try await txt(name, at: fake) == ["value-one", "value-two"], sourceLocation: sourceLocation)

        let nearby = try neighbour.map { try record("value-nearby", name: $0, zone: zone, ttl: ttl) }
        if let neighbour, let nearby {
            try await provider.present(nearby)
            #expect(try await txt(neighbour, at: fake) == ["value-nearby"], sourceLocation: sourceLocation)
        }

        try await provider.cleanUp(first)
        #expect(try await txt(name, at: fake) == ["value-two"], sourceLocation: sourceLocation)
        try await provider.cleanUp(first)  // already gone: not an error, and B stays
        #expect(try await txt(name, at: fake) == ["value-two"], sourceLocation: sourceLocation)
        try await provider.cleanUp(second)
        #expect(try await txt(name, at: fake).isEmpty, sourceLocation: sourceLocation)

        if let neighbour, let nearby {
            #expect(try await txt(neighbour, at: fake) == ["value-nearby"], sourceLocation: sourceLocation)
            try await provider.cleanUp(nearby)
            #expect(try await txt(neighbour, at: fake).isEmpty, sourceLocation: sourceLocation)
        }
        if atApex {
            try await checkValueComesAndGoes(provider, fake: fake, value: "value-at-apex", name: zone, zone: zone, sourceLocation: sourceLocation)
        }
    }

    /// One value at `name`: visible after present, gone after clean-up.
    private static func checkValueComesAndGoes(
        _ provider: any DNSChallengeProvider, fake: FakeProviderProcess, value: String = "value-single",
        name: String = "_acme-challenge.example.com", zone: String = "example.com", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let single = try record(value, name: name, zone: zone)
        try await provider.present(single)
        #expect(try await txt(name, at: fake) == [value], sourceLocation: sourceLocation)
        try await provider.cleanUp(single)
        #expect(try await txt(name, at: fake).isEmpty, sourceLocation: sourceLocation)
    }
}
