import Foundation

/// One HTTP request to an ACME server.
public struct ACMEHTTPRequest: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP method. ACME uses only these three.
    public enum Method: String, Sendable, Equatable {
        case get = "GET"
        case head = "HEAD"
        case post = "POST"
    }

    /// The method.
    public var method: Method
    /// The absolute URL, as the directory or a `Location`/`Link` header gave it.
    public var url: String
    /// The header fields.
    public var headers: ACMEHTTPHeaders
    /// The body; `nil` for GET and HEAD.
    public var body: Data?

    /// A request.
    public init(method: Method, url: String, headers: ACMEHTTPHeaders = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Method and URL only: a body is a signed JWS and stays out of logs and errors.
    public var description: String { "\(self.method.rawValue) \(self.url)" }
}
