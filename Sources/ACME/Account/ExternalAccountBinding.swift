import Crypto
import Foundation

/// External Account Binding (RFC 8555 §7.3.4): binds a new ACME account to an account the
/// CA's customer already has, with a key identifier and an HMAC key the CA handed out.
///
/// In Traefik's configuration these are `eab.kid` (``keyID``) and `eab.hmacEncoded` (the
/// `macKey` of ``init(keyID:macKey:)``).
///
/// The HMAC key is kept private: ``description`` and the mirror (`dump`) show the key
/// identifier only.
public struct ExternalAccountBinding: Sendable, CustomStringConvertible, CustomReflectable {
    /// The CA's key identifier (`kid` of the inner JWS).
    public let keyID: String
    /// The HMAC key bytes. Kept as bytes because `SymmetricKey` is not `Sendable`.
    let macKey: [UInt8]

    /// - Parameters:
    ///   - keyID: the key identifier the CA gave.
    ///   - macKey: the HMAC key as the CA gave it: base64url (RFC 8555), with or without padding;
    ///     standard base64 is accepted too.
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when the key
    ///   identifier is empty or the key does not decode. The message never contains the key.
    public init(keyID: String, macKey: String) throws {
        guard !keyID.isEmpty else {
            throw ACMEError(
                code: .invalidArgument, step: .configuration, url: nil,
                message: "the external account binding key identifier is empty"
            )
        }
        guard let bytes = Base64URL.decode(macKey), !bytes.isEmpty else {
            throw ACMEError(
                code: .invalidArgument, step: .configuration, url: nil,
                message: "the external account binding HMAC key for \"\(keyID)\" is not base64url"
            )
        }
        self.keyID = keyID
        self.macKey = Array(bytes)
    }

    /// The inner JWS for newAccount's `externalAccountBinding`: the account's public key as
    /// payload, signed with HS256 under the CA's key identifier, for the newAccount URL.
    public func jws(accountKey: JWK, newAccountURL: String) throws -> FlattenedJWS {
        try FlattenedJWS.signHS256(
            payload: try ACMEJSON.encode(accountKey), url: newAccountURL, keyID: self.keyID, macKey: SymmetricKey(data: self.macKey)
        )
    }

    /// The key identifier; never the HMAC key.
    public var description: String { "ExternalAccountBinding(keyID: \(self.keyID), macKey: <redacted>)" }

    /// The key identifier only, so `dump` and debuggers do not show the HMAC key.
    public var customMirror: Mirror {
        Mirror(self, children: ["keyID": self.keyID, "macKey": "<redacted>"])
    }
}
