import Crypto

/// OVH's request signature for application-key authentication: `$1$` followed by the hex SHA-1
/// of `AS+CK+METHOD+URL+BODY+TIMESTAMP` (application secret, consumer key, HTTP method, the
/// full URL with its query, the exact body sent or nothing, the server-adjusted Unix time),
/// joined with `+`. Sent as `X-Ovh-Signature` with `X-Ovh-Application`, `X-Ovh-Consumer` and
/// `X-Ovh-Timestamp`.
///
/// ``description`` never shows the secret or the consumer key.
public struct OVHRequestSigner: Sendable, CustomStringConvertible {
    /// The application key (`X-Ovh-Application`; not a secret on its own).
    public let applicationKey: String
    private let applicationSecret: String
    private let consumerKey: String

    /// - Parameters: lego's `OVH_APPLICATION_KEY`, `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`.
    public init(applicationKey: String, applicationSecret: String, consumerKey: String) {
        self.applicationKey = applicationKey
        self.applicationSecret = applicationSecret
        self.consumerKey = consumerKey
    }

    /// The `X-Ovh-Signature` value for one request.
    public func signature(method: String, url: String, body: String, timestamp: Int) -> String {
        let text = [applicationSecret, consumerKey, method, url, body, String(timestamp)].joined(separator: "+")
        let digest = Insecure.SHA1.hash(data: Array(text.utf8))
        return "$1$" + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The four authentication headers for one request.
    public func headers(method: String, url: String, body: String, timestamp: Int) -> [(String, String)] {
        [
            ("X-Ovh-Application", applicationKey),
            ("X-Ovh-Consumer", consumerKey),
            ("X-Ovh-Timestamp", String(timestamp)),
            ("X-Ovh-Signature", signature(method: method, url: url, body: body, timestamp: timestamp)),
        ]
    }

    /// `OVHRequestSigner(application key …)`: the key, never the secret or the consumer key.
    public var description: String { "OVHRequestSigner(application key \(applicationKey))" }
}
