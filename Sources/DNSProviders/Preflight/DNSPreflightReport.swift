/// What a ``DNSPreflight`` run found: each step with its outcome and duration, and on failure
/// the ``DNSProviderError/Kind`` and the detail. Plain data, for the CLI and the admin API.
public struct DNSPreflightReport: Sendable, Hashable, Codable {
    /// The provider's name (`rfc2136`, `cloudflare` …).
    public var provider: String
    /// The domain tested (as given, `*.` included).
    public var domain: String
    /// Where the probe TXT record was published: `_acme-challenge.<domain>.`.
    public var recordName: String
    /// The zone the record was published in (found, or the record name's parent when the
    /// provider needs none); `nil` when the zone step failed.
    public var zone: String?
    /// The steps in order: zone, present, propagation, cleanup, gone.
    public var steps: [Step]

    /// - Parameters: see the properties.
    public init(provider: String, domain: String, recordName: String, zone: String?, steps: [Step]) {
        self.provider = provider
        self.domain = domain
        self.recordName = recordName
        self.zone = zone
        self.steps = steps
    }

    /// True when no step failed.
    public var succeeded: Bool { !self.steps.contains { $0.status == .failed } }

    /// The first failed step, if any.
    public var firstFailure: Step? { self.steps.first { $0.status == .failed } }

    /// The step called `name`, if it was recorded.
    public func step(_ name: StepName) -> Step? {
        self.steps.first { $0.name == name }
    }

    /// The names of the steps.
    public enum StepName: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// The SOA lookup that finds the zone (only for providers that need it).
        case zone
        /// Publishing the probe record through the provider.
        case present
        /// Waiting until the record is visible where the policy says.
        case propagation
        /// Removing the probe record through the provider.
        case cleanup
        /// Waiting until the record is no longer visible where it was seen.
        case gone

        /// The raw value.
        public var description: String { self.rawValue }
    }

    /// A step's outcome.
    public enum Status: String, Sendable, Hashable, Codable, CustomStringConvertible {
        /// It worked.
        case ok
        /// It failed: see ``Step/kind`` and ``Step/detail``.
        case failed
        /// It was not run (not needed, turned off, or an earlier step failed).
        case skipped

        /// The raw value.
        public var description: String { self.rawValue }
    }

    /// One step.
    public struct Step: Sendable, Hashable, Codable {
        /// Which step.
        public var name: StepName
        /// Its outcome.
        public var status: Status
        /// How long it took, in seconds (0 when skipped).
        public var durationSeconds: Double
        /// For a failure: the class of failure.
        public var kind: DNSProviderError.Kind?
        /// For a failure: what went wrong (never a credential); for success or a skip, a note
        /// such as the zone found, the servers the record was seen at, or why it was skipped.
        public var detail: String?

        /// - Parameters: see the properties.
        public init(name: StepName, status: Status, durationSeconds: Double = 0, kind: DNSProviderError.Kind? = nil, detail: String? = nil) {
            self.name = name
            self.status = status
            self.durationSeconds = durationSeconds
            self.kind = kind
            self.detail = detail
        }

        /// The CLI's line: `zone: ok (example.com.)`, `present: ok`,
        /// `present: failed: authentication: …`, `gone: skipped (…)`.
        public var line: String {
            switch self.status {
            case .ok, .skipped:
                return "\(self.name): \(self.status)" + (self.detail.map { " (\($0))" } ?? "")
            case .failed:
                return "\(self.name): failed: \(self.kind?.description ?? "error"): \(self.detail ?? "")"
            }
        }
    }

    /// The CLI's last line: `result: ok`, or `result: failed at <step>: <kind>: <detail>`.
    public var resultLine: String {
        guard let failure = self.firstFailure else { return "result: ok" }
        return "result: failed at \(failure.name): \(failure.kind?.description ?? "error"): \(failure.detail ?? "")"
    }
}

extension DNSProviderError.Kind: Codable {}
