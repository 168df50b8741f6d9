import Foundation

/// A revocation reason code (RFC 5280 §5.3.1), sent as `reason` in revokeCert.
public struct RevocationReason: Sendable, Hashable, CustomStringConvertible {
    /// The numeric code.
    public let code: Int

    private init(uncheckedCode code: Int) {
        self.code = code
    }

    /// A reason by its code; nil for 7 (unused in RFC 5280) and codes outside 0...10.
    public init?(code: Int) {
        guard Self.names[code] != nil else { return nil }
        self.code = code
    }

    /// A reason by its RFC 5280 name (`keyCompromise`, case-insensitive); nil when unknown.
    public init?(name: String) {
        guard let entry = Self.names.first(where: { $0.value.lowercased() == name.lowercased() }) else { return nil }
        self.code = entry.key
    }

    /// `unspecified`, code 0.
    public static let unspecified = RevocationReason(uncheckedCode: 0)
    /// `keyCompromise`, code 1.
    public static let keyCompromise = RevocationReason(uncheckedCode: 1)
    /// `cACompromise`, code 2.
    public static let cACompromise = RevocationReason(uncheckedCode: 2)
    /// `affiliationChanged`, code 3.
    public static let affiliationChanged = RevocationReason(uncheckedCode: 3)
    /// `superseded`, code 4.
    public static let superseded = RevocationReason(uncheckedCode: 4)
    /// `cessationOfOperation`, code 5.
    public static let cessationOfOperation = RevocationReason(uncheckedCode: 5)
    /// `certificateHold`, code 6.
    public static let certificateHold = RevocationReason(uncheckedCode: 6)
    /// `removeFromCRL`, code 8.
    public static let removeFromCRL = RevocationReason(uncheckedCode: 8)
    /// `privilegeWithdrawn`, code 9.
    public static let privilegeWithdrawn = RevocationReason(uncheckedCode: 9)
    /// `aACompromise`, code 10.
    public static let aACompromise = RevocationReason(uncheckedCode: 10)

    private static let names: [Int: String] = [
        0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
        5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn",
        10: "aACompromise",
    ]

    /// `keyCompromise (1)`.
    public var description: String { "\(Self.names[self.code] ?? "unknown") (\(self.code))" }
}
