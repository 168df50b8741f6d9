import Foundation

/// One HTTP response from an ACME server.
public struct ACMEHTTPResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The header fields.
    public var headers: ACMEHTTPHeaders
    /// The body (empty for HEAD).
    public var body: Data

    /// A response.
    public init(status: Int, headers: ACMEHTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `true` for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(self.status) }
}
