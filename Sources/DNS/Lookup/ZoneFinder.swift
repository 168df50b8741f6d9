import Logging
import NIOCore
import NIOPosix

/// Finds the zone that holds a name and the zone's authoritative servers, through given
/// resolvers (Traefik's `dnsChallenge.resolvers`), and waits for a TXT record to show at them.
///
/// The zone is the owner of the SOA record found by walking up from the name, as lego's
/// `FindZoneByFqdn` does: an SOA question for the name, then for each parent in turn. A CNAME
/// at the name itself is followed (the record is published at the alias's target, in the
/// target's zone); a name with a CNAME further up is skipped, since a zone apex cannot be an
/// alias. A negative answer (NXDOMAIN, or NOERROR without data) that carries the zone's SOA in
/// its authority section names the zone at once.
public struct ZoneFinder: Sendable {
    /// The resolvers asked, in order: the next one is asked when one times out, cannot be
    /// reached or fails with SERVFAIL. Never empty (the system's resolvers when none were given).
    public let resolvers: [DNSAddress]
    /// Timeouts and retries.
    public let configuration: DNSTXTLookup.Configuration
    private let client: DNSClient
    private let lookup: DNSTXTLookup
    private let logger: Logger

    /// - Parameters:
    ///   - resolvers: `host:port` resolvers; empty for the system's (from /etc/resolv.conf).
    ///   - configuration: timeouts, attempts and the propagation poll interval.
    ///   - eventLoopGroup: where the sockets run. Default: NIO's shared singleton group.
    ///   - logger: receives each step at debug level. Default: discards everything.
    public init(
        resolvers: [DNSAddress],
        configuration: DNSTXTLookup.Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.dns.zone", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.resolvers = resolvers.isEmpty ? SystemResolvers.load() : resolvers
        self.configuration = configuration
        self.client = DNSClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.lookup = DNSTXTLookup(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.logger = logger
    }

    /// The zone holding `name`: the owner of the SOA found walking up from `name` (lego's
    /// `FindZoneByFqdn`: an SOA question for each suffix, following a CNAME of the name itself;
    /// an SOA in the authority section of an NXDOMAIN or NODATA answer names the zone too).
    /// - Throws: ``ZoneLookupError``: ``ZoneLookupError/Code/noSOA`` when no suffix has an
    ///   SOA; ``ZoneLookupError/Code/serverFailure`` (naming the resolver and the name asked)
    ///   when every resolver SERVFAILs, as a split-horizon resolver that cannot serve the
    ///   zone does; ``ZoneLookupError/Code/errorResponse`` for REFUSED and the like; timeouts
    ///   and network errors likewise name the resolver.
    public func zone(of name: DomainName) async throws(ZoneLookupError) -> DomainName {
        var walking: DomainName? = name
        var aliasOf = name
        var hops = 0
        while let domain = walking, !domain.isRoot {
            let response = try await self.ask(domain, type: .soa, for: name)
            let soaOwner = response.answers.first { $0.type == .soa }?.name
            switch response.responseCode {
            case .noError:
                if domain == aliasOf,
                    case .cname(let target)? = response.answers.first(where: { $0.name == domain && $0.type == .cname })?.data
                {
                    hops += 1
                    guard hops <= 8 else {
                        throw ZoneLookupError(.noSOA, name: name, asked: "\(domain) SOA", detail: "more than 8 CNAMEs")
                    }
                    self.logger.debug("following CNAME", metadata: ["name": "\(domain)", "target": "\(target)"])
                    // A resolver may have put the target's SOA in the same answer.
                    if let owner = response.answers.first(where: { $0.type == .soa && $0.name == target })?.name {
                        return owner
                    }
                    aliasOf = target
                    walking = target
                    continue
                }
                if let soaOwner, !response.answers.contains(where: { $0.type == .cname }) {
                    return soaOwner
                }
                if response.answers.isEmpty, let owner = Self.negativeSOAOwner(response, covering: domain) {
                    return owner
                }
            case .nameError:
                if let owner = Self.negativeSOAOwner(response, covering: domain) {
                    return owner
                }
            default:
                throw ZoneLookupError(
                    .errorResponse, name: name, asked: "\(domain) SOA", resolver: response.answeredBy, responseCode: response.responseCode
                )
            }
            walking = domain.parent
        }
        throw ZoneLookupError(
            .noSOA, name: name, asked: "SOA of every suffix of \(aliasOf) at \(self.resolvers.map(\.description).joined(separator: ", "))"
        )
    }

    /// The zone's authoritative servers as addresses, port 53: its NS records, each server
    /// name resolved to A and AAAA through the resolvers (glue in the answer is used when
    /// present), in the order found, without duplicates.
    /// - Throws: ``ZoneLookupError``: ``ZoneLookupError/Code/noNameServers`` when the zone
    ///   has no NS records or none of them resolves; resolver failures as for ``zone(of:)``.
    public func authoritativeServers(of zone: DomainName) async throws(ZoneLookupError) -> [DNSAddress] {
        let response = try await self.ask(zone, type: .ns, for: zone)
        guard response.responseCode == .noError else {
            throw ZoneLookupError(
                .errorResponse, name: zone, asked: "\(zone) NS", resolver: response.answeredBy, responseCode: response.responseCode
            )
        }
        let serverNames = response.answers.compactMap { record -> DomainName? in
            guard record.name == zone, case .ns(let server) = record.data else { return nil }
            return server
        }
        guard !serverNames.isEmpty else {
            throw ZoneLookupError(.noNameServers, name: zone, asked: "\(zone) NS", detail: "no NS records")
        }
        var addresses: [DNSAddress] = []
        var failures: [String] = []
        for server in serverNames {
            var found = Self.addresses(of: server, in: response.additional)
            if found.isEmpty {
                for type in [RecordType.a, .aaaa] {
                    do throws(ZoneLookupError) {
                        let answer = try await self.ask(server, type: type, for: zone)
                        found += Self.addresses(of: server, in: answer.answers, followingAliases: true)
                    } catch {
                        failures.append(error.description)
                    }
                }
            }
            for address in found where !addresses.contains(address) {
                addresses.append(address)
            }
        }
        guard !addresses.isEmpty else {
            let names = serverNames.map(\.description).joined(separator: ", ")
            throw ZoneLookupError(
                .noNameServers, name: zone, asked: "A/AAAA of \(names)",
                detail: failures.isEmpty ? "no addresses" : failures.joined(separator: "; ")
            )
        }
        return addresses
    }

    /// Waits until `value` shows among the TXT values at `name` wherever `policy` says: the
    /// authoritative servers of `zone` (asked without recursion), the resolvers, or both.
    ///
    /// - Parameters:
    ///   - authoritativeServers: the zone's servers when already known (a provider that
    ///     updates one primary server); `nil` looks them up with
    ///     ``authoritativeServers(of:)``.
    ///   - delayBeforeChecks: a pause before the first check.
    ///   - timeout: how long the checks may run (each set of servers gets the time left).
    /// - Returns: the servers asked, each of which showed the value; empty when `policy` is
    ///   ``PropagationPolicy/none``.
    /// - Throws: ``DNSPropagationError`` listing the servers that never showed the value (or,
    ///   when the authoritative servers cannot be found, saying why).
    @discardableResult
    public func waitForTXT(
        name: DomainName,
        value: String,
        zone: DomainName,
        policy: PropagationPolicy = .authoritativeServers,
        authoritativeServers: [DNSAddress]? = nil,
        delayBeforeChecks: Duration = .zero,
        timeout: Duration
    ) async throws(DNSPropagationError) -> [DNSAddress] {
        let clock = ContinuousClock()
        let deadline = clock.now + delayBeforeChecks + timeout
        var checked: [DNSAddress] = []
        if policy.checkAuthoritativeServers {
            let servers: [DNSAddress]
            if let authoritativeServers, !authoritativeServers.isEmpty {
                servers = authoritativeServers
            } else {
                do throws(ZoneLookupError) {
                    servers = try await self.authoritativeServers(of: zone)
                } catch {
                    throw DNSPropagationError(
                        name: name, value: value, waited: .zero, isCancelled: error.code == .cancelled,
                        pending: [.init(resolver: "authoritative servers of \(zone)", lastResult: error.description)]
                    )
                }
            }
            try await self.lookup.waitForTXT(
                name: name, value: value, resolvers: servers, delayBeforeChecks: delayBeforeChecks,
                timeout: max(.zero, deadline - clock.now), recursionDesired: false
            )
            checked += servers
        }
        if policy.checkResolvers {
            try await self.lookup.waitForTXT(
                name: name, value: value, resolvers: self.resolvers,
                delayBeforeChecks: policy.checkAuthoritativeServers ? .zero : delayBeforeChecks,
                timeout: max(.zero, deadline - clock.now)
            )
            checked += self.resolvers.filter { !checked.contains($0) }
        }
        return checked
    }

    // MARK: - Helpers

    /// Asks the resolvers in turn; the first answer that is not SERVFAIL wins.
    private func ask(_ domain: DomainName, type: RecordType, for name: DomainName) async throws(ZoneLookupError) -> Answer {
        var firstError: DNSLookupError? = nil
        for resolver in self.resolvers {
            do throws(DNSLookupError) {
                let message = try await self.client.query(domain, type: type, at: resolver)
                return Answer(message: message, answeredBy: resolver.description)
            } catch {
                if error.code == .cancelled { throw ZoneLookupError(error, name: name) }
                self.logger.debug("zone lookup failed at a resolver", metadata: ["error": "\(error)"])
                if firstError == nil { firstError = error }
            }
        }
        throw ZoneLookupError(firstError ?? DNSLookupError(.timedOut, name: domain, type: type, resolver: "no resolver"), name: name)
    }

    /// A response and who gave it.
    @dynamicMemberLookup
    private struct Answer {
        var message: DNSMessage
        var answeredBy: String

        subscript<T>(dynamicMember path: KeyPath<DNSMessage, T>) -> T {
            self.message[keyPath: path]
        }
    }

    /// The owner of an SOA in the authority section that is `domain` or one of its ancestors.
    private static func negativeSOAOwner(_ response: Answer, covering domain: DomainName) -> DomainName? {
        response.authority.first { $0.type == .soa && domain.isSubdomain(of: $0.name) }?.name
    }

    /// The A and AAAA records of `host` in `records`, port 53; with `followingAliases`, also
    /// those of the targets of CNAMEs starting at `host`.
    private static func addresses(of host: DomainName, in records: [ResourceRecord], followingAliases: Bool = false) -> [DNSAddress] {
        var names: Set<DomainName> = [host]
        if followingAliases {
            var current = host
            for _ in 0..<8 {
                guard case .cname(let next)? = records.first(where: { $0.name == current && $0.type == .cname })?.data else { break }
                names.insert(next)
                current = next
            }
        }
        return records.compactMap { record in
            guard names.contains(record.name) else { return nil }
            switch record.data {
            case .a, .aaaa:
                return DNSAddress(host: record.data.description, port: 53)
            default:
                return nil
            }
        }
    }
}
