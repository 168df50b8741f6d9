/// What a credential pre-flight found: each step with its status, and when one failed, which
/// and the kind of failure (`authentication`, `zone not found`, `permission`, `propagation` …).
public struct DNSCredentialTestReport: Sendable, Hashable {
    /// The domain the probe record was made for.
    public var domain: String
    /// The credential's provider.
    public var provider: String
    /// The steps in the order they ran (`configuration`, `zone`, `present`, `propagation`, `cleanup`, `gone`).
    public var steps: [Step]

    /// - Parameters: see the properties.
    public init(domain: String, provider: String, steps: [Step]) {
        self.domain = domain
        self.provider = provider
        self.steps = steps
    }

    /// Whether no step failed.
    public var succeeded: Bool { failedStep == nil }

    /// The first step that failed; `nil` when none did.
    public var failedStep: Step? { steps.first { $0.status == .failed } }

    /// One step of the pre-flight.
    public struct Step: Sendable, Hashable {
        /// `succeeded`, `failed` or `skipped`.
        public enum Status: String, Sendable, Hashable {
            /// The step did what it should.
            case succeeded
            /// The step failed; ``Step/failureKind`` says how.
            case failed
            /// The step was not run (an earlier one failed, or it does not apply).
            case skipped
        }

        /// The step's name (`configuration`, `zone`, `present`, `propagation`, `cleanup`, `gone`).
        public var name: String
        /// How it ended.
        public var status: Status
        /// What happened, in words (no secret).
        public var detail: String?
        /// The kind of failure of a failed step.
        public var failureKind: String?
        /// How long it took, in milliseconds.
        public var milliseconds: Int

        /// - Parameters: see the properties.
        public init(name: String, status: Status, detail: String? = nil, failureKind: String? = nil, milliseconds: Int = 0) {
            self.name = name
            self.status = status
            self.detail = detail
            self.failureKind = failureKind
            self.milliseconds = milliseconds
        }
    }
}
