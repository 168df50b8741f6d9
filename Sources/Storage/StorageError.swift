/// What went wrong in the storage layer, and where.
///
/// One error type for the module, in the spirit of swift-certificates' `X509.Error`: a stable
/// ``code`` that callers switch on, and a ``description`` written for the operator that names
/// the file, record or setting involved. Descriptions never contain secret material (keys,
/// passphrases, key authorizations are not part of any case).
public struct StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case fileSystem
            case invalidSecretKey
            case wrongSecretKey
            case corruptSecret
            case database
            case schemaTooNew
            case duplicateCertificate
            case certificateNotFound
            case lockNotHeld
            case invalidName
            case invalidACMEJSON
            case secretInAuditDetail
            case invalidAuditState
            case closed
            case invalidTokenName
            case duplicateToken
            case tokenNotFound
        }

        fileprivate let backing: Backing

        /// Creating, reading, writing or changing the mode of a file or directory failed.
        public static let fileSystem = Code(backing: .fileSystem)
        /// The configured secret key is malformed (wrong length, not base64, passphrase too short).
        public static let invalidSecretKey = Code(backing: .invalidSecretKey)
        /// The secret key does not decrypt data that was encrypted with another key.
        public static let wrongSecretKey = Code(backing: .wrongSecretKey)
        /// An encrypted value is truncated or has an unknown format version.
        public static let corruptSecret = Code(backing: .corruptSecret)
        /// The database refused or failed an operation.
        public static let database = Code(backing: .database)
        /// The database was written by a newer Gatehouse whose schema this one does not know.
        public static let schemaTooNew = Code(backing: .schemaTooNew)
        /// A certificate for the same resolver and set of names is already stored.
        public static let duplicateCertificate = Code(backing: .duplicateCertificate)
        /// No certificate has the given id.
        public static let certificateNotFound = Code(backing: .certificateNotFound)
        /// `unlock` was called by an owner that does not hold the lock.
        public static let lockNotHeld = Code(backing: .lockNotHeld)
        /// A DNS name is empty or contains characters that no DNS name can hold.
        public static let invalidName = Code(backing: .invalidName)
        /// A Traefik `acme.json` file could not be read or is not in Traefik's format.
        public static let invalidACMEJSON = Code(backing: .invalidACMEJSON)
        /// An audit event's detail text contains what looks like private key material.
        public static let secretInAuditDetail = Code(backing: .secretInAuditDetail)
        /// An audit event's before or after state is not the text of a JSON object.
        public static let invalidAuditState = Code(backing: .invalidAuditState)
        /// The storage was closed.
        public static let closed = Code(backing: .closed)
        /// An admin token name is empty, too long, or holds characters a name cannot hold.
        public static let invalidTokenName = Code(backing: .invalidTokenName)
        /// An admin token with the same name exists.
        public static let duplicateToken = Code(backing: .duplicateToken)
        /// No admin token has the given name.
        public static let tokenNotFound = Code(backing: .tokenNotFound)

        /// The code's name, e.g. `wrongSecretKey`.
        public var description: String { backing.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// The operator-facing explanation: what failed, where, and when known, why.
    public let description: String

    private init(_ backing: Code.Backing, _ description: String) {
        self.code = Code(backing: backing)
        self.description = description
    }

    static func fileSystem(_ operation: String, path: String, errno code: Int32) -> StorageError {
        StorageError(.fileSystem, "cannot \(operation) \(path): \(SystemErrorText.describe(code))")
    }

    static func fileSystem(_ operation: String, path: String, reason: String) -> StorageError {
        StorageError(.fileSystem, "cannot \(operation) \(path): \(reason)")
    }

    static func invalidSecretKey(_ source: SecretKeySource, _ reason: String) -> StorageError {
        StorageError(.invalidSecretKey, "the secret key from \(source) is not usable: \(reason)")
    }

    static func wrongSecretKey(_ source: SecretKeySource, decrypting what: String) -> StorageError {
        StorageError(
            .wrongSecretKey,
            "cannot decrypt \(what) with the secret key from \(source): the data was encrypted with a different key "
                + "(restore the key that was in use when it was written)"
        )
    }

    static func corruptSecret(_ what: String, _ reason: String) -> StorageError {
        StorageError(.corruptSecret, "encrypted \(what) is damaged: \(reason)")
    }

    static func database(_ operation: String, path: String, _ underlying: any Error) -> StorageError {
        StorageError(.database, "database \(path): \(operation) failed: \(underlying)")
    }

    static func schemaTooNew(path: String, found: Int, supported: Int) -> StorageError {
        StorageError(
            .schemaTooNew,
            "database \(path) has schema version \(found), newer than the \(supported) this Gatehouse knows; "
                + "run the Gatehouse version that wrote it, or restore a backup"
        )
    }

    static func duplicateCertificate(resolver: String, names: [String], existingID: String) -> StorageError {
        StorageError(
            .duplicateCertificate,
            "resolver \(quoted(resolver)) already has certificate \(existingID) for \(names.joined(separator: ", "))"
        )
    }

    static func certificateNotFound(id: String) -> StorageError {
        StorageError(.certificateNotFound, "no certificate with id \(id)")
    }

    static func lockNotHeld(name: String, owner: String) -> StorageError {
        StorageError(.lockNotHeld, "lock \(quoted(name)) is not held by \(quoted(owner)); not unlocked")
    }

    static func invalidName(_ name: String, _ reason: String) -> StorageError {
        StorageError(.invalidName, "name \(quoted(name)) \(reason)")
    }

    static func invalidACMEJSON(path: String, _ reason: String) -> StorageError {
        StorageError(.invalidACMEJSON, "\(path) is not a Traefik acme.json file: \(reason); nothing was imported")
    }

    static func unreadableACMEJSON(path: String, _ reason: String) -> StorageError {
        StorageError(.invalidACMEJSON, "cannot read \(path): \(reason); nothing was imported")
    }

    static func secretInAuditDetail(kind: AuditEventKind, field: String = "detail text") -> StorageError {
        StorageError(
            .secretInAuditDetail,
            "audit event \(kind) was refused: its \(field) contains private key material"
        )
    }

    static func invalidAuditState(kind: AuditEventKind, field: String) -> StorageError {
        StorageError(.invalidAuditState, "audit event \(kind) was refused: its \(field) is not a JSON object")
    }

    static func invalidTokenName(_ name: String) -> StorageError {
        StorageError(
            .invalidTokenName,
            "token name \(quoted(name)) is not usable: use 1 to 64 letters, digits, \".\", \"_\" or \"-\""
        )
    }

    static func duplicateToken(_ name: String) -> StorageError {
        StorageError(.duplicateToken, "a token named \(quoted(name)) exists; revoke it first or choose another name")
    }

    static func tokenNotFound(_ name: String) -> StorageError {
        StorageError(.tokenNotFound, "no token named \(quoted(name))")
    }

    static func closed(path: String) -> StorageError {
        StorageError(.closed, "database \(path) is closed")
    }

    private static func quoted(_ text: String) -> String {
        "\"\(text)\""
    }
}
