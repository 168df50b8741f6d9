import Crypto
import Foundation

/// AWS Signature Version 4, header form (`Authorization: AWS4-HMAC-SHA256 Credential=…`), for
/// one request: the canonical request, the string to sign, the derived signing key and the
/// signature, as AWS's "Signature Version 4 signing process" documents them.
///
/// Checked against AWS's published Signature V4 test suite (get-vanilla, post-vanilla,
/// get-utf8, …). Path normalization (`/./`, `//`) is not done: Gatehouse signs only the paths it
/// builds. ``description`` shows the access key id, never the secret or session token.
public struct SigV4Signer: Sendable, CustomStringConvertible {
    /// The access key id (`AKID…`), public.
    public var accessKeyID: String
    private var secretAccessKey: String
    private var sessionToken: String?
    /// The signing region (`us-east-1` for Route 53).
    public var region: String
    /// The signing service name (`route53`).
    public var service: String

    /// - Parameters: the credential (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, and
    ///   `AWS_SESSION_TOKEN` for temporary credentials), and the scope's region and service.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    /// One request to sign.
    public struct Request: Sendable {
        /// `GET`, `POST` …
        public var method: String
        /// The path, not percent-encoded (`/2013-04-01/hostedzone/Z1`); each segment is encoded
        /// for the canonical request.
        public var path: String
        /// The query parameters, not percent-encoded, in any order.
        public var query: [(String, String)]
        /// The headers to sign; `Host` must be among them.
        public var headers: [(String, String)]
        /// The body.
        public var body: [UInt8]

        /// - Parameters: see the properties.
        public init(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)], body: [UInt8] = []) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// `a=1&b=2`, encoded as the canonical request encodes it (usable as the URL's query).
        public var encodedQuery: String {
            let pairs: [(name: String, value: String)] = query.map { (SigV4Signer.encode($0.0), SigV4Signer.encode($0.1)) }
            let sorted = pairs.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
            return sorted.map { pair -> String in pair.name + "=" + pair.value }.joined(separator: "&")
        }

        /// The path with each segment percent-encoded (usable in the URL).
        public var encodedPath: String {
            let encoded = path.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.encode(String($0)) }.joined(separator: "/")
            return encoded.isEmpty ? "/" : encoded
        }
    }

    /// The headers to add to `request` when sending it at `date`: `X-Amz-Date`,
    /// `X-Amz-Security-Token` (with a session token) and `Authorization`.
    public func sign(_ request: Request, at date: Date) -> [(String, String)] {
        let amzDate = Self.amzDate(date)
        var request = request
        var added = [("X-Amz-Date", amzDate)]
        if let sessionToken { added.append(("X-Amz-Security-Token", sessionToken)) }
        request.headers += added
        added.append(("Authorization", authorization(request, amzDate: amzDate)))
        return added
    }

    /// The `Authorization` value for a request that already carries its `X-Amz-Date` header
    /// (`amzDate`, `20150830T123600Z`) and every other header to sign.
    public func authorization(_ request: Request, amzDate: String) -> String {
        let (canonical, signedHeaders) = Self.canonicalRequest(request)
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = Self.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: String(amzDate.prefix(8))))
        return "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(Self.hex(signature))"
    }

    /// The canonical request and the signed-headers list.
    public static func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            headers[name.lowercased(), default: []].append(trimmed)
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [
            request.method.uppercased(), request.encodedPath, request.encodedQuery,
            canonicalHeaders, signedHeaders, hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex SHA-256 of the canonical request>`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(hex(SHA256.hash(data: Data(canonicalRequest.utf8))))"
    }

    /// HMAC chain: `"AWS4" + secret` → day → region → service → `aws4_request`.
    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Percent-encodes everything but `A-Z a-z 0-9 - _ . ~`, as SigV4 requires.
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// `SigV4Signer(AKID…, us-east-1/route53)`; no secret.
    public var description: String { "SigV4Signer(\(accessKeyID), \(region)/\(service))" }
}
