import Crypto
import Foundation
import Logging

extension SecretBox {
    /// The environment variable that, when set and not empty, supplies the key.
    public static let environmentVariable = "GATEHOUSE_SECRET_KEY"
    /// The key file's name inside the data directory.
    public static let keyFileName = "secret.key"
    /// The shortest passphrase accepted in ``environmentVariable``.
    public static let minimumPassphraseLength = 16

    /// Loads the key that encrypts private keys at rest.
    ///
    /// 1. If the environment variable `GATEHOUSE_SECRET_KEY` is set and not empty (surrounding
    ///    whitespace is ignored), it supplies the key in one of two forms:
    ///    - standard base64 (RFC 4648 §4, with padding) of exactly 32 bytes, e.g. the output of
    ///      `openssl rand -base64 32`: those bytes are the key;
    ///    - anything else is a passphrase of at least 16 characters, and the key is the SHA-256
    ///      digest of its UTF-8 bytes. (No key stretching: use a long random passphrase.)
    /// 2. Otherwise the key is in `<dataDirectory>/secret.key`, one line holding base64 of 32
    ///    bytes. On first start the file is created with 32 random bytes and mode 0600 (the data
    ///    directory is created with mode 0700 if missing); an existing file with group or other
    ///    permission bits is narrowed to 0600 and a warning is logged.
    ///
    /// Keep the key with backups of the database: without it, the stored private keys cannot be
    /// decrypted. A key set in the environment takes precedence over a key file.
    ///
    /// - Throws: ``StorageError/Code/invalidSecretKey`` naming the source when the key is
    ///   malformed; ``StorageError/Code/fileSystem`` when the file cannot be created or read.
    public static func load(
        dataDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "gatehouse.storage")
    ) throws -> SecretBox {
        if let value = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            return try fromEnvironmentValue(value)
        }
        try PrivateFiles.ensureDirectory(dataDirectory)
        let path = (dataDirectory as NSString).appendingPathComponent(keyFileName)
        let source = SecretKeySource.file(path: path)
        if try PrivateFiles.contents(of: path) == nil {
            let key = (0..<keyByteCount).map { _ in UInt8.random(in: 0...255) }
            let line = Data(key).base64EncodedString() + "\n"
            if try PrivateFiles.createExclusively(path, bytes: Array(line.utf8)) {
                logger.notice("created a new secret key file", metadata: ["path": "\(path)"])
            }
        }
        if try PrivateFiles.narrowIfPresent(path) {
            logger.warning("secret key file was readable by others; narrowed to mode 0600", metadata: ["path": "\(path)"])
        }
        guard let contents = try PrivateFiles.contents(of: path) else {
            throw StorageError.fileSystem("read", path: path, reason: "the file disappeared")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(base64Encoded: text) else {
            throw StorageError.invalidSecretKey(source, "the file does not hold base64 text")
        }
        return try SecretBox(key: Array(key), source: source)
    }

    private static func fromEnvironmentValue(_ value: String) throws -> SecretBox {
        let source = SecretKeySource.environment(variable: environmentVariable)
        if let decoded = Data(base64Encoded: value), decoded.count == keyByteCount {
            return try SecretBox(key: Array(decoded), source: source)
        }
        guard value.count >= minimumPassphraseLength else {
            throw StorageError.invalidSecretKey(
                source,
                "it is neither base64 of \(keyByteCount) bytes nor a passphrase of at least \(minimumPassphraseLength) characters"
            )
        }
        return try SecretBox(key: Array(SHA256.hash(data: Array(value.utf8))), source: source)
    }
}
