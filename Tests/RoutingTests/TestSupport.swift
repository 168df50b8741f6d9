import NIOHTTP1
@testable import Routing

/// A request for the tables: host (raw, as in the Host header), target, method, headers, peer.
struct RequestSpec: Sendable, CustomStringConvertible {
    var host: String
    var uri: String = "/"
    var method: String = "GET"
    var headers: [(String, String)] = []
    var clientIP: String? = nil

    var request: RoutingRequest {
        RoutingRequest(
            method: HTTPMethod(rawValue: method),
            host: host,
            uri: uri,
            headers: HTTPHeaders(headers),
            clientIP: clientIP.flatMap { IPAddress($0) }
        )
    }

    var description: String {
        var text = "\(method) \(host)\(uri)"
        if !headers.isEmpty { text += " \(headers.map { "\($0.0): \($0.1)" })" }
        if let clientIP { text += " from \(clientIP)" }
        return text
    }
}

func req(
    _ host: String, _ uri: String = "/", method: String = "GET", headers: [(String, String)] = [], ip: String? = nil
) -> RequestSpec {
    RequestSpec(host: host, uri: uri, method: method, headers: headers, clientIP: ip)
}

/// A deterministic random number generator (SplitMix64) so that randomized tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
