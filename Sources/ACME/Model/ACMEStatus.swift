import Foundation

/// The status of an account, order, authorization or challenge (RFC 8555 §7.1.6). A status
/// the client does not know is kept as it is.
public struct ACMEStatus: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The value as sent on the wire.
    public let rawValue: String

    /// Wraps a value as received.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `pending`.
    public static let pending = ACMEStatus(rawValue: "pending")
    /// `ready`.
    public static let ready = ACMEStatus(rawValue: "ready")
    /// `processing`.
    public static let processing = ACMEStatus(rawValue: "processing")
    /// `valid`.
    public static let valid = ACMEStatus(rawValue: "valid")
    /// `invalid`.
    public static let invalid = ACMEStatus(rawValue: "invalid")
    /// `revoked`.
    public static let revoked = ACMEStatus(rawValue: "revoked")
    /// `deactivated`.
    public static let deactivated = ACMEStatus(rawValue: "deactivated")
    /// `expired`.
    public static let expired = ACMEStatus(rawValue: "expired")

    /// The raw value.
    public var description: String { self.rawValue }
}
