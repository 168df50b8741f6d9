import Foundation

/// A change waiting for approval (`admin.requireApproval`): what was asked, by whom, and the
/// plan of what approving it will create, change or remove.
public struct ChangeRecord: Sendable, Codable, Hashable {
    /// Where a change is.
    public enum Status: String, Sendable, Codable, Hashable {
        /// Waiting for a decision; nothing is applied.
        case pending
        /// Approved; its operation runs (``ChangeRecord/operationID``).
        case approved
        /// Rejected; nothing was applied.
        case rejected
    }

    /// One line of a plan.
    public struct PlanItem: Sendable, Codable, Hashable {
        /// `create`, `update`, `remove`, `reuse`, `keep` or `release`.
        public var action: String
        /// `router`, `service` or `certificate`.
        public var kind: String
        /// The item's name (router/service name, certificate names).
        public var name: String
        /// More words (backends before and after, the certificate's expiry).
        public var detail: String?

        /// - Parameters: see the properties.
        public init(action: String, kind: String, name: String, detail: String? = nil) {
            self.action = action
            self.kind = kind
            self.name = name
            self.detail = detail
        }
    }

    /// The change's id.
    public var id: String
    /// `expose` or `unexpose`.
    public var action: String
    /// The host concerned.
    public var host: String
    /// What was asked (for expose).
    public var spec: ExposeSpec?
    /// What approving it will do, as planned when it was asked.
    public var plan: [PlanItem]
    /// Where it is.
    public var status: Status
    /// The name of the token that asked for it.
    public var requestedBy: String
    /// The name of the token that approved or rejected it.
    public var decidedBy: String?
    /// The operation started by its approval.
    public var operationID: String?
    /// When it was asked.
    public var createdAt: Date
    /// When it was decided.
    public var decidedAt: Date?

    /// A pending change.
    public init(id: String = UUID().uuidString.lowercased(), action: String, host: String, spec: ExposeSpec?, plan: [PlanItem],
                requestedBy: String, createdAt: Date = Date()) {
        self.id = id
        self.action = action
        self.host = host
        self.spec = spec
        self.plan = plan
        self.status = .pending
        self.requestedBy = requestedBy
        self.createdAt = createdAt
    }
}
