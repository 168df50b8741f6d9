import Foundation

/// One expose or unexpose operation and its steps (validate → route → certificate → activate),
/// as `GET /api/v1/operations/{id}` shows it.
public struct OperationRecord: Sendable, Codable, Hashable {
    /// Where an operation or a step is.
    public enum Status: String, Sendable, Codable, Hashable {
        /// Not started yet.
        case pending
        /// Under way.
        case running
        /// Done.
        case succeeded
        /// Stopped with an error; what it had made is undone.
        case failed
        /// Not needed (e.g. no certificate for http).
        case skipped
    }

    /// One step of an operation.
    public struct Step: Sendable, Codable, Hashable {
        /// `validate`, `route`, `certificate` or `activate`.
        public var name: String
        /// Where it is.
        public var status: Status
        /// When it started.
        public var startedAt: Date?
        /// When it ended.
        public var finishedAt: Date?
        /// What it did (e.g. `certificate 3f… reused, valid until …`).
        public var detail: String?
        /// Why it failed.
        public var error: String?

        /// A step not started yet.
        public init(name: String, status: Status = .pending) {
            self.name = name
            self.status = status
        }
    }

    /// The operation's id.
    public var id: String
    /// `expose` or `unexpose`.
    public var action: String
    /// The host concerned.
    public var host: String
    /// What was asked (for expose; for unexpose the route removed, when known).
    public var spec: ExposeSpec?
    /// Where it is.
    public var status: Status
    /// The steps, in order.
    public var steps: [Step]
    /// The name of the token that asked for it.
    public var requestedBy: String
    /// The approved change it carries out, if approvals are required.
    public var changeID: String?
    /// Why it failed.
    public var error: String?
    /// When it was created.
    public var createdAt: Date
    /// When it ended.
    public var finishedAt: Date?

    /// A new operation with its steps pending.
    public init(id: String = UUID().uuidString.lowercased(), action: String, host: String, spec: ExposeSpec?, requestedBy: String,
                changeID: String? = nil, stepNames: [String], createdAt: Date = Date()) {
        self.id = id
        self.action = action
        self.host = host
        self.spec = spec
        self.status = .pending
        self.steps = stepNames.map { Step(name: $0) }
        self.requestedBy = requestedBy
        self.changeID = changeID
        self.createdAt = createdAt
    }
}
