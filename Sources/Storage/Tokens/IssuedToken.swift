/// A token just created: the stored record and the secret, which exists only here.
///
/// `description` and reflection show the record, never the secret; read ``secret`` only to hand
/// it to the operator.
public struct IssuedToken: Sendable, CustomStringConvertible, CustomReflectable {
    /// The token itself (`gh_` and 43 base64url characters). Not stored anywhere.
    public let secret: String
    /// What the store keeps.
    public let record: TokenRecord

    /// An issued token.
    public init(secret: String, record: TokenRecord) {
        self.secret = secret
        self.record = record
    }

    /// `token "NAME" (scopes)`; never the secret.
    public var description: String {
        "token \"\(record.name)\" (\(record.scopes.joined(separator: ",")))"
    }

    /// A mirror holding only the record, so `dump` and test diagnostics cannot reach the secret.
    public var customMirror: Mirror { Mirror(self, children: ["record": record], displayStyle: .struct) }
}
