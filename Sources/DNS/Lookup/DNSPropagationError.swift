/// Why ``DNSTXTLookup/waitForTXT(name:value:resolvers:delayBeforeChecks:timeout:recursionDesired:)`` gave up:
/// the resolvers that never showed the value, with what each showed last.
public struct DNSPropagationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One resolver that did not show the value.
    public struct Pending: Hashable, Sendable, CustomStringConvertible {
        /// The resolver, as `host:port`.
        public let resolver: String
        /// The last check's result: the values seen, or the lookup error.
        public let lastResult: String

        /// A readable form for logs and error messages.
        public var description: String {
            "\(self.resolver): \(self.lastResult)"
        }
    }

    /// The name checked.
    public let name: DomainName
    /// The TXT value waited for (an ACME key authorization digest, which is public).
    public let value: String
    /// How long the checks ran.
    public let waited: Duration
    /// True when the wait ended because its task was cancelled rather than by timing out.
    public let isCancelled: Bool
    /// The resolvers that did not show the value.
    public let pending: [Pending]

    /// A readable form for logs and error messages.
    public var description: String {
        let why = self.isCancelled ? "cancelled" : "not visible after \(self.waited)"
        return "DNSPropagationError: TXT \"\(self.value)\" at \(self.name) \(why) at "
            + self.pending.map(\.description).joined(separator: "; ")
    }
}
