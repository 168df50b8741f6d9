import _CryptoExtras
import Crypto
import Foundation
import NIOHTTP1

/// Access tokens for Cloud DNS by the OAuth 2.0 JWT bearer grant (RFC 7523): an RS256 JWT
/// signed with the service account's private key, posted to its `token_uri`; the token is kept
/// until a minute before it expires.
///
/// Neither the key nor a token is ever logged or put in an error.
actor GCloudTokenSource {
    /// The scope asked for.
    static let scope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite"

    private let account: GCloudServiceAccount
    private let key: _RSA.Signing.PrivateKey
    private let http: ProviderHTTPClient
    private var cached: (token: String, until: ContinuousClock.Instant)?

    /// - Throws: ``DNSProviderError/Kind/configuration`` when the private key is not an RSA
    ///   key of at least 2048 bits in PEM.
    init(account: GCloudServiceAccount, http: ProviderHTTPClient) throws(DNSProviderError) {
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: account.privateKeyPEM)
        } catch {
            throw DNSProviderError(.configuration, provider: http.provider, "the private_key of \(account) is not an RSA private key (PEM, 2048 bits or more)")
        }
        self.account = account
        self.http = http
    }

    /// A valid access token.
    /// - Throws: ``DNSProviderError/Kind/authentication`` when the token endpoint refuses the
    ///   assertion, with its `error` and `error_description`.
    func token() async throws(DNSProviderError) -> String {
        let clock = ContinuousClock()
        if let cached, clock.now < cached.until { return cached.token }
        let assertion = try makeAssertion(now: Date())
        let body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)"
        let response = try await http.send(.POST, account.tokenURI, headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]), body: Array(body.utf8))
        guard (200..<300).contains(response.status) else {
            let error = try? JSONDecoder().decode(GCloudTokenError.self, from: Data(response.body))
            let detail = [error?.error, error?.description].compactMap { $0 }.joined(separator: ": ")
            let kind: DNSProviderError.Kind = switch response.status {
            case 400, 401, 403: .authentication
            case 429: .rateLimited
            case 500...599: .network
            default: .rejected
            }
            throw DNSProviderError(kind, provider: http.provider, "token endpoint refused \(account): \(detail.isEmpty ? "HTTP \(response.status)" : detail)", status: response.status)
        }
        let answer = try response.decode(GCloudTokenAnswer.self, provider: http.provider)
        let lifetime = max(answer.expiresIn ?? 3600, 120)
        cached = (answer.accessToken, clock.now + .seconds(lifetime - 60))
        return answer.accessToken
    }

    /// `header.claims.signature`, base64url without padding.
    private func makeAssertion(now: Date) throws(DNSProviderError) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let header = GCloudJWTHeader(kid: account.privateKeyID)
        let claims = GCloudJWTClaims(iss: account.clientEmail, scope: Self.scope, aud: account.tokenURI, iat: issued, exp: issued + 3600)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let signingInput = Self.base64URL(try encoder.encode(header)) + "." + Self.base64URL(try encoder.encode(claims))
            let signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + Self.base64URL(signature.rawRepresentation)
        } catch {
            throw DNSProviderError(.configuration, provider: http.provider, "cannot sign the token request for \(account)")
        }
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The JWT header: RS256, the key's id.
struct GCloudJWTHeader: Encodable {
    var alg = "RS256"
    var typ = "JWT"
    var kid: String?
}

/// The JWT claims Google's token endpoint requires.
struct GCloudJWTClaims: Encodable {
    var iss: String
    var scope: String
    var aud: String
    var iat: Int
    var exp: Int
}

/// `{"access_token", "expires_in", "token_type"}`.
struct GCloudTokenAnswer: Decodable {
    var accessToken: String
    var expiresIn: Int?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }
}

/// `{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}`.
struct GCloudTokenError: Decodable {
    var error: String?
    var description: String?

    enum CodingKeys: String, CodingKey {
        case error
        case description = "error_description"
    }
}
