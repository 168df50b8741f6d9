import Foundation

/// Something that can carry one HTTP exchange to an ACME server.
///
/// The client needs nothing more than this, so tests can script a CA's answers without
/// sockets and production code uses ``ACMEHTTPClientTransport``. An implementation returns
/// every response it receives, whatever its status; it throws only when no response arrived
/// (connection refused, TLS failure, deadline passed).
public protocol ACMETransport: Sendable {
    /// Sends one request and returns the complete response.
    func send(_ request: ACMEHTTPRequest) async throws -> ACMEHTTPResponse
}

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

/// HTTP header fields in order, with case-insensitive lookup; a name may repeat (`Link`).
public struct ACMEHTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Equatable {
        /// The field name, as sent.
        public var name: String
        /// The field value.
        public var value: String

        /// A field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in order.
    public private(set) var fields: [Field]

    /// Headers from fields in order.
    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// Headers from a literal, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        self.fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of this name with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        self.fields.removeAll { $0.name.caseInsensitiveEquals(name) }
        self.fields.append(Field(name: name, value: value))
    }

    /// The first value of the named field, if any.
    public func first(_ name: String) -> String? {
        self.fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of the named field, in order.
    public func values(_ name: String) -> [String] {
        self.fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The first value of the named field, if any (case-insensitive).
    public subscript(name: String) -> String? { self.first(name) }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        self.fields.makeIterator()
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        self.utf8.count == other.utf8.count && self.lowercased() == other.lowercased()
    }
}
