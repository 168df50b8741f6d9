import Crypto
import Foundation

/// Encrypts and decrypts secrets at rest with AES-256-GCM.
///
/// Each sealed value is `version (1 byte, 0x01) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`, with a
/// fresh random nonce per value. The caller passes a `context` string (for example
/// `certificate-key:<id>`) that is authenticated but not stored, so a sealed value copied into
/// another record's column does not decrypt there.
///
/// Where the key comes from is described on ``load(dataDirectory:environment:)``.
public struct SecretBox: @unchecked Sendable, CustomStringConvertible {
    // `SymmetricKey` is an immutable value (its storage is never mutated after creation) but is
    // not declared Sendable by swift-crypto 3; this box only ever reads it.
    private let key: SymmetricKey

    /// Where the key came from; named in errors.
    public let source: SecretKeySource

    /// The size of the key: 256 bits.
    public static let keyByteCount = 32

    private static let formatVersion: UInt8 = 1

    /// A box using `key`, which must be 32 bytes.
    ///
    /// - Throws: ``StorageError/Code/invalidSecretKey`` for any other length.
    public init(key: [UInt8], source: SecretKeySource) throws {
        guard key.count == Self.keyByteCount else {
            throw StorageError.invalidSecretKey(source, "it is \(key.count) bytes long, not \(Self.keyByteCount)")
        }
        self.key = SymmetricKey(data: key)
        self.source = source
    }

    /// Encrypts `plaintext`, binding it to `context`.
    public func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        } catch {
            throw StorageError.corruptSecret(context, "encryption failed (\(error))")
        }
        guard let combined = box.combined else {
            throw StorageError.corruptSecret(context, "encryption produced no combined form")
        }
        return [Self.formatVersion] + Array(combined)
    }

    /// Decrypts a value sealed with ``seal(_:context:)`` under the same `context`.
    ///
    /// - Throws: ``StorageError/Code/wrongSecretKey`` (naming ``source``) when the key or context
    ///   does not match; ``StorageError/Code/corruptSecret`` when the value is malformed.
    public func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        guard let version = sealed.first else {
            throw StorageError.corruptSecret(context, "the value is empty")
        }
        guard version == Self.formatVersion else {
            throw StorageError.corruptSecret(context, "unknown format version \(version)")
        }
        guard sealed.count >= 1 + 12 + 16 else {
            throw StorageError.corruptSecret(context, "the value is \(sealed.count) bytes, too short to be sealed")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw StorageError.wrongSecretKey(source, decrypting: context)
        }
    }

    /// `SecretBox(key from <source>)`; never the key.
    public var description: String { "SecretBox(key from \(source))" }
}
