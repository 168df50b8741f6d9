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
