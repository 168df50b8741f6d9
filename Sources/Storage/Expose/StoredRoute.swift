import Foundation

/// A route made through the admin API, as stored: what it serves and whether it is served yet.
public struct StoredRoute: Sendable, Codable, Hashable {
    /// Whether the data plane serves the route.
    public enum State: String, Sendable, Codable, Hashable {
        /// Prepared by an operation still running (waiting for its certificate): not served, but
        /// its certificate is demanded.
        case prepared
        /// Served.
        case active
    }

    /// What the route serves.
    public var spec: ExposeSpec
    /// Whether it is served.
    public var state: State
    /// The certificate it is served under, once known.
    public var certificateID: String?
    /// The operation that last changed it.
    public var operationID: String?
    /// When it was first stored.
    public var createdAt: Date
    /// When it was last changed.
    public var updatedAt: Date

    /// The host name (the route's key).
    public var host: String { spec.host }

    /// - Parameters: see the properties.
    public init(spec: ExposeSpec, state: State, certificateID: String? = nil, operationID: String? = nil,
                createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.spec = spec
        self.state = state
        self.certificateID = certificateID
        self.operationID = operationID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
