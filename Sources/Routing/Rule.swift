/// A Traefik v3 router rule, parsed once: `Host(`example.com`) && PathPrefix(`/api`)`.
///
/// HTTP rules use `Host`, `HostRegexp`, `Path`, `PathPrefix`, `PathRegexp`, `Method`, `Header`,
/// `HeaderRegexp`, `Query`, `QueryRegexp` and `ClientIP`; TCP rules use `HostSNI`, `HostSNIRegexp`,
/// `ClientIP` and `ALPN`. Matchers combine with `&&`, `||` (`&&` binds tighter), `!` and
/// parentheses; arguments are in backticks or double quotes (Go escapes). See ``parse(_:kind:)``
/// for each matcher's semantics.
public struct Rule: Sendable, Hashable, CustomStringConvertible {
    /// Which matchers a rule may use.
    public enum Kind: Sendable, Hashable {
        /// Rules of `http.routers`.
        case http
        /// Rules of `tcp.routers`.
        case tcp
    }

    /// The rule exactly as written.
    public let text: String
    public let kind: Kind
    let expression: RuleExpression
    /// The same rule flattened for evaluation.
    let program: RuleProgram

    init(text: String, kind: Kind, expression: RuleExpression) {
        self.text = text
        self.kind = kind
        self.expression = expression
        self.program = RuleProgram([expression])
    }

    /// Parses a rule.
    ///
    /// HTTP matchers (Traefik v3 semantics):
    /// - `Host(`example.com`)`: the request's host, compared case-insensitively, without its port
    ///   and trailing dot; internationalised names match their punycode form. No wildcards.
    /// - `HostRegexp(`^.+\.example\.com$`)`: a Go regexp searched in the host (case-insensitive).
    /// - `Path(`/exact`)`, `PathPrefix(`/api`)` (a plain prefix: it matches `/apiv2` too),
    ///   `PathRegexp(`^/v[0-9]+/`)`: on the routing path — percent-decoded, except that encoded
    ///   reserved characters (`%2F`, `%3F`, `%25`…) stay encoded, as Traefik v3 does.
    /// - `Method(`GET`)`: the request method, exactly (the argument is uppercased).
    /// - `Header(`X-Key`, `value`)`, `HeaderRegexp(`X-Key`, `regexp`)`: any value of the header.
    /// - `Query(`key`, `value`)`: a query parameter with that (decoded) value; `Query(`key`)`: the
    ///   parameter is present. `QueryRegexp(`key`, `regexp`)` matches any of its values.
    /// - `ClientIP(`10.0.0.0/8`)`: the peer address is in the block (IPv4, IPv6 or a bare address).
    ///
    /// TCP matchers: `HostSNI(`*`)` (every connection) or `HostSNI(`name`)`, `HostSNIRegexp`,
    /// `ClientIP`, `ALPN(`h2`)`.
    ///
    /// Matcher names may also be written all lowercase, all uppercase or capitalised (`host`,
    /// `HOST`, `Pathprefix`), as Traefik accepts.
    public static func parse(_ text: String, kind: Kind = .http) throws(RuleError) -> Rule {
        var parser = RuleParser(text: text, kind: kind)
        let expression = try parser.parse()
        return Rule(text: text, kind: kind, expression: expression)
    }

    /// Whether the rule accepts the HTTP request. A TCP rule accepts no HTTP request.
    @inline(__always)
    public func matches(_ request: RoutingRequest) -> Bool {
        program.matches(0, request)
    }

    /// Whether the rule accepts the TCP connection. An HTTP rule accepts no connection.
    @inline(__always)
    public func matches(_ connection: TCPRoutingInput) -> Bool {
        program.matches(0, connection)
    }

    /// The priority Traefik gives a router without one: the length of its rule (in bytes).
    public var defaultPriority: Int { text.utf8.count }

    /// Every host named by `Host` (or `HostSNI`) in the rule, normalised (lowercase, punycode),
    /// in order of appearance and without duplicates — what certificate resolvers ask for.
    public var domains: [String] {
        var domains: [String] = []
        expression.collectDomains(into: &domains)
        return domains
    }

    /// The hosts one of which a request must have for the rule to match, or `nil` when the rule can
    /// match whatever the host. `Host(`a`) || Host(`b`)` → {a, b}; `Host(`a`) && Path(`/`)` → {a};
    /// `PathPrefix(`/`)` → nil; `!Host(`a`)` → nil.
    public var requiredHosts: Set<String>? {
        expression.requiredHosts
    }

    public var description: String { text }

    public static func == (lhs: Rule, rhs: Rule) -> Bool {
        lhs.kind == rhs.kind && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(text)
    }
}
