import DNS
import Foundation

/// A TSIG key (RFC 8945): its name as the server knows it, its algorithm and its secret.
///
/// ``description`` shows the name and algorithm, never the secret.
public struct TSIGKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key's name, compared and signed in lower case (RFC 8945 §4.3.3).
    public let name: DomainName
    /// The MAC algorithm.
    public let algorithm: TSIGAlgorithm
    /// The shared secret.
    let secret: [UInt8]

    /// - Parameters:
    ///   - name: the key name (`gatehouse-key` or `gatehouse-key.`).
    ///   - algorithm: the MAC algorithm.
    ///   - secret: the secret, as the octets BIND's `secret "…"` decodes to.
    public init(name: DomainName, algorithm: TSIGAlgorithm, secret: [UInt8]) {
        self.name = name.lowercased
        self.algorithm = algorithm
        self.secret = secret
    }

    /// Decodes a base64 secret (as in BIND's `key` statement and RFC2136_TSIG_SECRET).
    /// - Returns: `nil` when `base64Secret` is not base64 or decodes to nothing.
    public init?(name: DomainName, algorithm: TSIGAlgorithm, base64Secret: String) {
        guard let data = Data(base64Encoded: base64Secret.trimmingCharacters(in: .whitespacesAndNewlines)), !data.isEmpty else {
            return nil
        }
        self.init(name: name, algorithm: algorithm, secret: Array(data))
    }

    /// `TSIGKey(gatehouse-key., hmac-sha256)`.
    public var description: String { "TSIGKey(\(self.name), \(self.algorithm))" }

    /// The same as ``description``.
    public var debugDescription: String { self.description }
}
