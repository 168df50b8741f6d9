import Crypto
import Foundation
import SwiftASN1
import X509

/// What a solver must publish so the CA can validate one challenge, computed from the
/// challenge token and the account key's thumbprint (RFC 8555 §8.1).
public enum ACMEChallengeAnswer: Sendable, Hashable, CustomStringConvertible {
    case http01(HTTP01)
    case tlsALPN01(TLSALPN01)
    case dns01(DNS01)

    /// HTTP-01 (RFC 8555 §8.3): serve ``keyAuthorization`` as the body of
    /// `http://<domain>/.well-known/acme-challenge/<token>` (``path``), content type
    /// `application/octet-stream` or text.
    public struct HTTP01: Sendable, Hashable {
        /// The identifier this answer proves control of.
        public let identifier: ACMEIdentifier
        /// The challenge this answer is for.
        public let challenge: ACMEChallenge
        /// The challenge token: the last path segment of the URL the CA fetches.
        public let token: String
        /// The key authorization, `token.thumbprint` (RFC 8555 §8.1).
        public let keyAuthorization: String

        /// An answer, e.g. for a solver's tests; the client makes them with
        /// ``ACMEChallengeAnswer/make(challenge:authorization:accountKeyThumbprint:)``.
        public init(identifier: ACMEIdentifier, challenge: ACMEChallenge, token: String, keyAuthorization: String) {
            self.identifier = identifier
            self.challenge = challenge
            self.token = token
            self.keyAuthorization = keyAuthorization
        }

        /// `/.well-known/acme-challenge/<token>`.
        public var path: String { "/.well-known/acme-challenge/\(self.token)" }
    }

    /// TLS-ALPN-01 (RFC 8737): for a TLS handshake with SNI ``domain`` and ALPN `acme-tls/1`,
    /// serve a certificate for ``domain`` carrying the critical id-pe-acmeIdentifier extension
    /// whose value is ``acmeIdentifierExtensionValue`` (an OCTET STRING of ``digest``).
    public struct TLSALPN01: Sendable, Hashable {
        /// The OID of id-pe-acmeIdentifier, 1.3.6.1.5.5.7.1.31.
        public static let acmeIdentifierOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 31]
        /// The ALPN protocol name, `acme-tls/1`.
        public static let alpnProtocol = "acme-tls/1"

        /// The identifier this answer proves control of.
        public let identifier: ACMEIdentifier
        /// The challenge this answer is for.
        public let challenge: ACMEChallenge
        /// The key authorization, `token.thumbprint` (RFC 8555 §8.1).
        public let keyAuthorization: String

        /// An answer, e.g. for a solver's tests.
        public init(identifier: ACMEIdentifier, challenge: ACMEChallenge, keyAuthorization: String) {
            self.identifier = identifier
            self.challenge = challenge
            self.keyAuthorization = keyAuthorization
        }

        /// The SNI name the CA connects with.
        public var domain: String { self.identifier.value }

        /// SHA-256 of the key authorization: 32 bytes.
        public var digest: [UInt8] { Array(SHA256.hash(data: Data(self.keyAuthorization.utf8))) }

        /// DER of the extension value: `04 20` followed by ``digest``.
        public var acmeIdentifierExtensionValue: [UInt8] { [0x04, 0x20] + self.digest }

        /// Builds the self-signed challenge certificate (RFC 8737 §3): subject alternative
        /// name ``domain`` (the only SAN), the critical id-pe-acmeIdentifier extension with
        /// ``acmeIdentifierExtensionValue``, valid from an hour before `now` for `validity`.
        /// Serve it with its key for ALPN `acme-tls/1` only (see
        /// ``ACMEChallengeCertificate/nioSSLServerConfiguration()``).
        ///
        /// - Parameters:
        ///   - privateKey: the certificate's key; a new P-256 key when nil.
        ///   - validity: how long the certificate is valid after `now`. Default: 7 days.
        ///   - now: the current time. Default: the system clock.
        public func makeChallengeCertificate(
            privateKey: ACMEPrivateKey? = nil,
            validity: Duration = .seconds(7 * 86_400),
            now: Date = Date()
        ) throws -> ACMEChallengeCertificate {
            let key = try privateKey ?? ACMEPrivateKey.generate(.ec256)
            let certificateKey = key.certificatePrivateKey
            do {
                let name = try DistinguishedName { CommonName("ACME challenge") }
                let extensions = try Certificate.Extensions {
                    SubjectAlternativeNames([.dnsName(self.domain)])
                    Certificate.Extension(
                        oid: Self.acmeIdentifierOID, critical: true, value: self.acmeIdentifierExtensionValue[...]
                    )
                }
                let certificate = try Certificate(
                    version: .v3,
                    serialNumber: Certificate.SerialNumber(),
                    publicKey: certificateKey.publicKey,
                    notValidBefore: now.addingTimeInterval(-3600),
                    notValidAfter: now.addingTimeInterval(validity.seconds),
                    issuer: name,
                    subject: name,
                    signatureAlgorithm: key.certificateSignatureAlgorithm,
                    extensions: extensions,
                    issuerPrivateKey: certificateKey
                )
                return ACMEChallengeCertificate(certificate: certificate, privateKey: key)
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: .presentChallenge, url: self.challenge.url,
                    message: "the TLS-ALPN-01 certificate for \(self.identifier) cannot be built: \(error)",
                    underlying: error, identifier: self.identifier, challengeType: .tlsALPN01
                )
            }
        }
    }

    /// DNS-01 (RFC 8555 §8.4): a TXT record at ``recordName`` with ``value``.
    ///
    /// A wildcard and its apex (`*.example.com`, `example.com`) have the same record name
    /// with two different values: a solver must add records, not replace them.
    public struct DNS01: Sendable, Hashable {
        /// The identifier as the order named it (may be `*.example.com`).
        public let identifier: ACMEIdentifier
        /// The challenge this answer is for.
        public let challenge: ACMEChallenge
        /// The key authorization, `token.thumbprint` (RFC 8555 §8.1).
        public let keyAuthorization: String

        /// An answer, e.g. for a solver's tests; `identifier` as the order names it.
        public init(identifier: ACMEIdentifier, challenge: ACMEChallenge, keyAuthorization: String) {
            self.identifier = identifier
            self.challenge = challenge
            self.keyAuthorization = keyAuthorization
        }

        /// The domain the record is for: the identifier without `*.`.
        public var domain: String { self.identifier.domainWithoutWildcard }

        /// `_acme-challenge.<domain>` (no trailing dot).
        public var recordName: String { "_acme-challenge.\(self.domain)" }

        /// base64url(SHA-256(key authorization)): the TXT record's text.
        public var value: String { Base64URL.encode(SHA256.hash(data: Data(self.keyAuthorization.utf8))) }
    }

    /// The challenge this answer is for.
    public var challenge: ACMEChallenge {
        switch self {
        case .http01(let answer): return answer.challenge
        case .tlsALPN01(let answer): return answer.challenge
        case .dns01(let answer): return answer.challenge
        }
    }

    /// The identifier this answer proves control of.
    public var identifier: ACMEIdentifier {
        switch self {
        case .http01(let answer): return answer.identifier
        case .tlsALPN01(let answer): return answer.identifier
        case .dns01(let answer): return answer.identifier
        }
    }

    /// `token.thumbprint`.
    public var keyAuthorization: String {
        switch self {
        case .http01(let answer): return answer.keyAuthorization
        case .tlsALPN01(let answer): return answer.keyAuthorization
        case .dns01(let answer): return answer.keyAuthorization
        }
    }

    /// Type and identifier, e.g. `http-01 answer for dns:example.com`.
    public var description: String { "\(self.challenge.type) answer for \(self.identifier)" }

    /// The key authorization of a token (RFC 8555 §8.1): `token || "." || thumbprint`.
    public static func keyAuthorization(token: String, accountKeyThumbprint: String) -> String {
        "\(token).\(accountKeyThumbprint)"
    }

    /// Computes the answer to `challenge` of `authorization` for the account key with
    /// `accountKeyThumbprint`.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/noUsableChallenge`` for a challenge
    ///   type this client does not know, or a challenge without a token.
    public static func make(
        challenge: ACMEChallenge,
        authorization: ACMEAuthorization,
        accountKeyThumbprint: String
    ) throws -> ACMEChallengeAnswer {
        guard let token = challenge.token, !token.isEmpty else {
            throw ACMEError(
                code: .noUsableChallenge, step: .presentChallenge, url: challenge.url,
                message: "\(challenge.type) challenge for \(authorization.identifier) has no token"
            )
        }
        let keyAuthorization = keyAuthorization(token: token, accountKeyThumbprint: accountKeyThumbprint)
        switch challenge.type {
        case .http01:
            return .http01(HTTP01(
                identifier: authorization.identifier, challenge: challenge, token: token, keyAuthorization: keyAuthorization
            ))
        case .tlsALPN01:
            return .tlsALPN01(TLSALPN01(
                identifier: authorization.identifier, challenge: challenge, keyAuthorization: keyAuthorization
            ))
        case .dns01:
            return .dns01(DNS01(
                identifier: authorization.orderIdentifier, challenge: challenge, keyAuthorization: keyAuthorization
            ))
        default:
            throw ACMEError(
                code: .noUsableChallenge, step: .presentChallenge, url: challenge.url,
                message: "challenge type \(challenge.type) for \(authorization.identifier) is not supported by this client"
            )
        }
    }
}
