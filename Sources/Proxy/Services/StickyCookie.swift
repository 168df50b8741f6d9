import Crypto
import NIOHTTP1

/// Traefik's sticky sessions by cookie: the cookie names the server (or, for a weighted
/// service, the child service) that served the client first, by a hash of its URL or name.
public struct StickyCookie: Sendable, Hashable {
    public let name: String
    public let secure: Bool
    public let httpOnly: Bool
    /// `none`, `lax` or `strict`; empty for no attribute.
    public let sameSite: String
    /// `Max-Age`; `nil` for a session cookie.
    public let maxAge: Int?
    public let path: String
    public let domain: String?

    public init(name: String, secure: Bool = false, httpOnly: Bool = false, sameSite: String = "", maxAge: Int? = nil,
                path: String = "/", domain: String? = nil) {
        self.name = name
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.maxAge = maxAge
        self.path = path
        self.domain = domain
    }

    /// Traefik's default name for a service's cookie: `_` and the start of a SHA-1 of the name.
    public static func defaultName(service: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array(("_TRAEFIK_BACKEND_" + service).utf8))
        return "_" + digest.map { String(format: "%02x", $0) }.joined().prefix(6)
    }

    /// The cookie value for a server URL or child service name: 16 hex digits of its SHA-256.
    public static func value(for key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The value the request carries for this cookie, if any.
    func value(in headers: HTTPHeaders) -> Substring? {
        for line in headers[canonicalForm: "cookie"] {
            for pair in line.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name[...] else { continue }
                return trimmed[trimmed.index(after: equals)...]
            }
        }
        return nil
    }

    /// A `Set-Cookie` value that sticks the client to `value`.
    func setCookie(_ value: String) -> String {
        var cookie = "\(name)=\(value); Path=\(path)"
        if let domain { cookie += "; Domain=\(domain)" }
        if let maxAge {
            cookie += maxAge > 0 ? "; Max-Age=\(maxAge)" : "; Max-Age=0"
        }
        if httpOnly { cookie += "; HttpOnly" }
        if secure { cookie += "; Secure" }
        switch sameSite.lowercased() {
        case "none": cookie += "; SameSite=None"
        case "lax": cookie += "; SameSite=Lax"
        case "strict": cookie += "; SameSite=Strict"
        default: break
        }
        return cookie
    }
}
