import Foundation
import Synchronization
@testable import ACME

/// pebble-challtestsrv's management API (plain HTTP on loopback).
struct ChalltestsrvClient: Sendable {
    let url: String
    let transport: ACMEHTTPClientTransport

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Adds a TXT record (`/set-txt`); records for one name add up.
    func setTXT(_ name: String, _ value: String) async throws {
        try await self.post("/set-txt", #"{"host":"\#(name).","value":"\#(value)"}"#)
    }

    /// Removes every TXT record of a name (`/clear-txt`).
    func clearTXT(_ name: String) async throws {
        try await self.post("/clear-txt", #"{"host":"\#(name)."}"#)
    }

    private func post(_ path: String, _ body: String) async throws {
        let response = try await self.transport.send(ACMEHTTPRequest(
            method: .post, url: self.url + path, headers: ["Content-Type": "application/json"], body: Data(body.utf8)
        ))
        guard response.isSuccess else {
            throw Failure(description: "POST \(path) to pebble-challtestsrv: HTTP \(response.status)")
        }
    }
}

/// The integration tests' solver: HTTP-01 tokens and TLS-ALPN-01 certificates go to the
/// test's own servers on pebble's ports, DNS-01 records to pebble-challtestsrv.
final class PebbleSolver: ACMEChallengeSolver {
    let types: Set<ACMEChallenge.ChallengeType>
    let store: ChallengeStore
    let dns: ChalltestsrvClient
    private let calls = Mutex<[String]>([])

    init(types: Set<ACMEChallenge.ChallengeType>, store: ChallengeStore, dns: ChalltestsrvClient) {
        self.types = types
        self.store = store
        self.dns = dns
    }

    /// `present http-01 dns:example.com`, `cleanUp …`, in order.
    var log: [String] { self.calls.withLock { $0 } }

    func canSolve(_ type: ACMEChallenge.ChallengeType, for identifier: ACMEIdentifier) -> Bool {
        self.types.contains(type)
    }

    func present(_ answer: ACMEChallengeAnswer) async throws {
        self.calls.withLock { $0.append("present \(answer.challenge.type) \(answer.identifier)") }
        switch answer {
        case .http01(let http):
            self.store.setToken(http.token, keyAuthorization: http.keyAuthorization)
        case .tlsALPN01(let alpn):
            try self.store.setCertificate(for: alpn.domain, try alpn.makeChallengeCertificate())
        case .dns01(let dns):
            try await self.dns.setTXT(dns.recordName, dns.value)
        }
    }

    func cleanUp(_ answer: ACMEChallengeAnswer) async throws {
        self.calls.withLock { $0.append("cleanUp \(answer.challenge.type) \(answer.identifier)") }
        switch answer {
        case .http01(let http):
            self.store.setToken(http.token, keyAuthorization: nil)
        case .tlsALPN01(let alpn):
            try self.store.setCertificate(for: alpn.domain, nil)
        case .dns01(let dns):
            try await self.dns.clearTXT(dns.recordName)
        }
    }
}
