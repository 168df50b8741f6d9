/// An immutable, ordered set of routes, matched first-match-wins in Traefik's order: priority
/// descending, then name ascending (then the order given, for equal names).
///
/// Matching does not scan every route. When the table is built, each rule's tree is analysed for
/// the finite set of hosts it requires (``Rule/requiredHosts``): `Host(a) || Host(b)`,
/// `Host(a) && PathPrefix(…)`, `(Host(a) || Host(b)) && …`. Those routes are indexed under each of
/// their hosts; the others are host-agnostic. A request looks up its host (one hash lookup) and
/// walks that host's routes and the host-agnostic routes merged in table order — the result is
/// the one a linear scan would give, at a cost that does not grow with the number of hosts.
/// TCP tables index `HostSNI(name)` the same way, by server name.
public struct RouteTable<Target: Sendable>: Sendable {
    /// The non-generic part: rules, names, priorities and the host index.
    @usableFromInline
    let index: RouteIndex
    /// Targets by position, parallel to the index's routes.
    @usableFromInline
    let targets: [Target]
    /// The routes, in match order.
    public let routes: [Route<Target>]

    /// Builds the table; routes keep their rule already parsed.
    public init(_ routes: [Route<Target>]) {
        let ordered = routes.enumerated()
            .map { (offset: $0.offset, route: $0.element, priority: $0.element.effectivePriority) }
            .sorted { a, b in
                if a.priority != b.priority { return a.priority > b.priority }
                if a.route.name != b.route.name { return a.route.name < b.route.name }
                return a.offset < b.offset
            }
        self.index = RouteIndex(ordered.map { (name: $0.route.name, priority: $0.priority, rule: $0.route.rule) })
        self.targets = ordered.map(\.route.target)
        self.routes = ordered.map(\.route)
    }

    /// The number of routes.
    public var count: Int { targets.count }

    /// The number of routes indexed by host (the rest are tried for every request).
    public var hostIndexedCount: Int { index.hostIndexedCount }

    /// How many routes a request for `host` (normalised) may have to try: that host's routes plus
    /// the host-agnostic ones. For diagnostics and tests.
    public func candidateCount(for host: String) -> Int {
        index.candidateCount(for: host)
    }

    /// The first route, in table order, whose rule accepts the request.
    @inlinable
    public func match(_ request: RoutingRequest) -> Match<Target>? {
        guard let position = index.firstMatch(request) else { return nil }
        return Match(name: index.names[position], target: targets[position], priority: index.priorities[position])
    }

    /// The first route, in table order, whose (TCP) rule accepts the connection.
    @inlinable
    public func match(_ connection: TCPRoutingInput) -> Match<Target>? {
        guard let position = index.firstMatch(connection) else { return nil }
        return Match(name: index.names[position], target: targets[position], priority: index.priorities[position])
    }

    /// The same answer as ``match(_:)-(RoutingRequest)``, by trying every route in order. For tests
    /// and diagnostics; never needed on the request path.
    public func matchLinearly(_ request: RoutingRequest) -> Match<Target>? {
        // The tree evaluator, not the flattened one the index uses: an independent check in tests.
        for position in targets.indices where index.rules[position].matches(request) {
            return Match(name: index.names[position], target: targets[position], priority: index.priorities[position])
        }
        return nil
    }

    /// The same answer as ``match(_:)-(TCPRoutingInput)``, by trying every route in order.
    public func matchLinearly(_ connection: TCPRoutingInput) -> Match<Target>? {
        for position in targets.indices where index.rules[position].matches(connection) {
            return Match(name: index.names[position], target: targets[position], priority: index.priorities[position])
        }
        return nil
    }
}

/// Routes in match order, with the host index; finds the position of the first match.
@usableFromInline
final class RouteIndex: Sendable {
    @usableFromInline
    let names: [String]
    @usableFromInline
    let priorities: [Int]
    let rules: [RuleExpression]
    /// The same rules, flattened for evaluation on the request path.
    private let program: RuleProgram
    /// Rules that are nothing but a host requirement (`Host(a)`, `Host(a) || Host(b)`,
    /// `HostSNI(a)`): reaching them through the host index proves they match.
    private let hostOnly: [Bool]
    /// Host → positions (ascending) of the routes that require that host.
    private let hostIndex: HostIndex
    /// Positions (ascending) of the routes that may match any host.
    private let anyHost: [Int32]

    init(_ routes: [(name: String, priority: Int, rule: Rule)]) {
        var hostIndex: [String: [Int32]] = [:]
        var anyHost: [Int32] = []
        for (position, route) in routes.enumerated() {
            if let hosts = route.rule.requiredHosts {
                // An empty set: the rule can never match; it is in no list.
                for host in hosts { hostIndex[host, default: []].append(Int32(position)) }
            } else {
                anyHost.append(Int32(position))
            }
        }
        self.names = routes.map(\.name)
        self.priorities = routes.map(\.priority)
        self.rules = routes.map(\.rule.expression)
        self.program = RuleProgram(self.rules)
        self.hostOnly = routes.map { $0.rule.expression.isHostOnly }
        self.hostIndex = HostIndex(hostIndex)
        self.anyHost = anyHost
    }

    var hostIndexedCount: Int { rules.count - anyHost.count }

    func candidateCount(for host: String) -> Int {
        hostIndex.withPositions(for: host) { $0.count } + anyHost.count
    }

    @usableFromInline
    func firstMatch(_ request: RoutingRequest) -> Int? {
        hostIndex.withPositions(for: request.host) { specific in
            walk(specific) { position, viaHost in
                (viaHost && hostOnly[position]) || program.matches(position, request)
            }
        }
    }

    @usableFromInline
    func firstMatch(_ connection: TCPRoutingInput) -> Int? {
        hostIndex.withPositions(for: connection.serverName) { specific in
            walk(specific) { position, viaHost in
                (viaHost && hostOnly[position]) || program.matches(position, connection)
            }
        }
    }

    /// Walks the host's routes and the host-agnostic ones merged by position.
    @inline(__always)
    private func walk(_ specific: UnsafeBufferPointer<Int32>, _ accepts: (_ position: Int, _ viaHost: Bool) -> Bool) -> Int? {
        anyHost.withUnsafeBufferPointer { anyHost in
                var i = 0
                var j = 0
                while true {
                    let a = i < specific.count ? specific[i] : Int32.max
                    let b = j < anyHost.count ? anyHost[j] : Int32.max
                    let position: Int32
                    let viaHost: Bool
                    if a < b {
                        position = a
                        viaHost = true
                        i += 1
                    } else if b != Int32.max {
                        position = b
                        viaHost = false
                        j += 1
                    } else {
                        return nil
                    }
                    if accepts(Int(position), viaHost) { return Int(position) }
                }
        }
    }
}
