/// A router as the route table sees it: a name, a parsed rule, a priority and what to route to.
public struct Route<Target: Sendable>: Sendable {
    /// The router's name (`api@file`); ties between equal priorities are broken by name.
    public let name: String
    public let rule: Rule
    /// The configured priority; `nil` or `0` means the rule's length (Traefik's default).
    public let priority: Int?
    public let target: Target

    public init(name: String, rule: Rule, priority: Int? = nil, target: Target) {
        self.name = name
        self.rule = rule
        self.priority = priority
        self.target = target
    }

    /// The priority used for ordering: `priority`, or the rule's length when it is nil or 0.
    public var effectivePriority: Int {
        if let priority, priority != 0 { return priority }
        return rule.defaultPriority
    }
}

/// The route a request or connection matched.
public struct Match<Target: Sendable>: Sendable {
    /// The matched route's name.
    public let name: String
    public let target: Target
    /// The matched route's effective priority.
    public let priority: Int

    @inlinable
    init(name: String, target: Target, priority: Int) {
        self.name = name
        self.target = target
        self.priority = priority
    }
}
