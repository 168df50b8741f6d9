/// The admin API could not start.
public struct AdminServerError: Error, Sendable, CustomStringConvertible {
    /// The address it was to listen on.
    public let address: String
    /// Why it could not.
    public let reason: String

    /// `admin API cannot listen on 127.0.0.1:8081: …`.
    public var description: String { "admin API cannot listen on \(address): \(reason)" }
}
