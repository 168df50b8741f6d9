import Foundation

/// A Google Cloud service account key, the JSON file the console downloads
/// (`GCE_SERVICE_ACCOUNT_FILE`, or its contents in `GCE_SERVICE_ACCOUNT`).
///
/// ``description`` names the account, never the private key.
struct GCloudServiceAccount: Sendable, CustomStringConvertible {
    /// `client_email`: the JWT's issuer.
    var clientEmail: String
    /// `project_id`: the default project.
    var projectID: String?
    /// `private_key_id`: the JWT header's `kid`.
    var privateKeyID: String?
    /// `private_key`: PEM, PKCS#8 RSA.
    var privateKeyPEM: String
    /// `token_uri`: where the signed JWT is exchanged for an access token.
    var tokenURI: String

    private struct File: Decodable {
        var type: String?
        var project_id: String?
        var private_key_id: String?
        var private_key: String?
        var client_email: String?
        var token_uri: String?
    }

    /// Parses the JSON key.
    /// - Throws: ``DNSProviderError/Kind/configuration`` saying what is missing; never quoting
    ///   the file (it holds the private key).
    init(json: String, provider: String) throws(DNSProviderError) {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        } catch {
            throw DNSProviderError(.configuration, provider: provider, "GCE_SERVICE_ACCOUNT(_FILE) is not a service account JSON key: it does not parse as a JSON object of strings")
        }
        guard file.type == nil || file.type == "service_account" else {
            throw DNSProviderError(.configuration, provider: provider, "GCE_SERVICE_ACCOUNT(_FILE) has type \"\(file.type ?? "")\", not \"service_account\" (user and external-account credentials are not supported)")
        }
        let missing = [("client_email", file.client_email), ("private_key", file.private_key), ("token_uri", file.token_uri)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let email = file.client_email, let key = file.private_key, let tokenURI = file.token_uri else {
            throw DNSProviderError(.configuration, provider: provider, "GCE_SERVICE_ACCOUNT(_FILE) lacks \(missing.joined(separator: ", "))")
        }
        guard let url = URL(string: tokenURI), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw DNSProviderError(.configuration, provider: provider, "GCE_SERVICE_ACCOUNT(_FILE): token_uri is not an http(s) URL")
        }
        clientEmail = email
        projectID = file.project_id
        privateKeyID = file.private_key_id
        privateKeyPEM = key
        self.tokenURI = tokenURI
    }

    /// `service account ci@project.iam.gserviceaccount.com`.
    var description: String { "service account \(clientEmail)" }
}
