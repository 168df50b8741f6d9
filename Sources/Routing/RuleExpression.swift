/// A parsed rule: matchers combined with `&&`, `||` and `!`. Chains of the same operator are
/// flattened (`a && b && c` is one `and` of three), and evaluation short-circuits left to right.
indirect enum RuleExpression: Sendable {
    case matcher(Matcher)
    case not(RuleExpression)
    case and([RuleExpression])
    case or([RuleExpression])

    func matches(_ request: RoutingRequest) -> Bool {
        switch self {
        case .matcher(let matcher):
            return matcher.matches(request)
        case .not(let inner):
            return !inner.matches(request)
        case .and(let terms):
            for term in terms where !term.matches(request) { return false }
            return true
        case .or(let terms):
            for term in terms where term.matches(request) { return true }
            return false
        }
    }

    func matches(_ connection: TCPRoutingInput) -> Bool {
        switch self {
        case .matcher(let matcher):
            return matcher.matches(connection)
        case .not(let inner):
            return !inner.matches(connection)
        case .and(let terms):
            for term in terms where !term.matches(connection) { return false }
            return true
        case .or(let terms):
            for term in terms where term.matches(connection) { return true }
            return false
        }
    }

    /// The finite set of hosts one of which the request must have for the rule to match, or `nil`
    /// when the rule can match some request whatever its host.
    ///
    /// `Host(a)` → {a}; an `or` needs every branch constrained (the union); an `and` is constrained
    /// by any constrained conjunct (the intersection, which may be empty: the rule never matches);
    /// `!` and every other matcher constrain nothing. For TCP rules `HostSNI(name)` plays the part
    /// of `Host`.
    var requiredHosts: Set<String>? {
        switch self {
        case .matcher(let matcher):
            return matcher.requiredHost.map { [$0] }
        case .not:
            return nil
        case .or(let terms):
            var union = Set<String>()
            for term in terms {
                guard let hosts = term.requiredHosts else { return nil }
                union.formUnion(hosts)
            }
            return union
        case .and(let terms):
            var intersection: Set<String>?
            for term in terms {
                guard let hosts = term.requiredHosts else { continue }
                intersection = intersection.map { $0.intersection(hosts) } ?? hosts
            }
            return intersection
        }
    }

    /// Whether the rule is nothing but a host requirement: `Host(a)`, `HostSNI(a)`, or an `or` of
    /// those. Such a rule accepts exactly the requests whose host is in ``requiredHosts``.
    var isHostOnly: Bool {
        switch self {
        case .matcher(let matcher): return matcher.requiredHost != nil
        case .or(let terms): return terms.allSatisfy(\.isHostOnly)
        case .not, .and: return false
        }
    }

    /// Every `Host` / `HostSNI` value in the rule, in order of appearance (Traefik's
    /// `ParseDomains`, used to pick certificates to request).
    func collectDomains(into domains: inout [String]) {
        switch self {
        case .matcher(let matcher):
            if let host = matcher.requiredHost, !domains.contains(host) { domains.append(host) }
        case .not(let inner):
            inner.collectDomains(into: &domains)
        case .and(let terms), .or(let terms):
            for term in terms { term.collectDomains(into: &domains) }
        }
    }
}
