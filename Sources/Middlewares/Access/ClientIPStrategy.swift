import Config
import Routing

/// How a middleware finds the client's address (Traefik's `ipStrategy`): the connection's peer,
/// the n-th `X-Forwarded-For` entry from the right (`depth`), or the rightmost entry outside
/// `excludedIPs`. `ipv6Subnet` groups IPv6 clients by their prefix.
///
/// `X-Forwarded-For` here is the header as received from a trusted peer (the entry point drops
/// it from untrusted ones); like Go's `Header.Get`, only its first line is read.
struct ClientIPStrategy: Sendable {
    enum Source: Sendable {
        case peer
        case depth(Int)
        case excluding([IPNetwork])
    }

    let source: Source
    let ipv6Subnet: Int?

    /// - Throws: ``MiddlewareConfigurationError`` for an excluded range or subnet that is not valid.
    init(_ config: Middleware.IPStrategy?, keyPath: String) throws(MiddlewareConfigurationError) {
        if let subnet = config?.ipv6Subnet, !(0...128).contains(subnet) {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).ipv6Subnet", "must be between 0 and 128, found \(subnet)")
        }
        ipv6Subnet = config?.ipv6Subnet
        if let depth = config?.depth, depth > 0 {
            source = .depth(depth)
        } else if let excluded = config?.excludedIPs, !excluded.isEmpty {
            source = .excluding(try IPRanges.parse(excluded, keyPath: "\(keyPath).excludedIPs"))
        } else {
            source = .peer
        }
    }

    /// The client's address, or `nil` when the strategy finds none (then nothing matches it).
    func clientIP(of request: MiddlewareRequest) -> IPAddress? {
        let ip: IPAddress?
        switch source {
        case .peer:
            ip = request.peerIP
        case .depth(let depth):
            let entries = forwardedFor(request)
            ip = entries.count >= depth ? IPAddress(entries[entries.count - depth]) : nil
        case .excluding(let excluded):
            ip = forwardedFor(request).reversed().lazy.compactMap { IPAddress($0) }.first { candidate in
                !excluded.contains { $0.contains(candidate) }
            }
        }
        guard let ip, let subnet = ipv6Subnet, ip.isIPv6 else { return ip }
        return IPNetwork(address: ip, prefixLength: subnet)?.address ?? ip
    }

    private func forwardedFor(_ request: MiddlewareRequest) -> [String] {
        guard let value = request.header("x-forwarded-for") else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
    }
}

/// Parsing of IP and CIDR lists (`sourceRange`, `excludedIPs`).
enum IPRanges {
    /// - Throws: ``MiddlewareConfigurationError`` naming the first entry that is not an IP or CIDR.
    static func parse(_ entries: [String], keyPath: String) throws(MiddlewareConfigurationError) -> [IPNetwork] {
        var out: [IPNetwork] = []
        for (index, entry) in entries.enumerated() {
            do {
                out.append(try IPNetwork(parsing: entry.trimmingSpaces))
            } catch {
                throw MiddlewareConfigurationError(keyPath: "\(keyPath)[\(index)]", "\(error)")
            }
        }
        return out
    }
}
