import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Sends one provider's API requests and turns transport failures and error statuses into
/// ``DNSProviderError``s, so each provider only says what its service's answers mean.
///
/// Requests and responses are whole (DNS API bodies are small); bodies are read up to
/// ``maximumBodyBytes``. Nothing here logs a header or a body: both may carry credentials.
public struct ProviderHTTPClient: Sendable {
    /// The provider's name, put into errors.
    public let provider: String
    /// The shared client.
    public let client: HTTPClient
    /// How long one request may take. Default 30 seconds.
    public var timeout: TimeAmount
    /// Larger response bodies are refused as ``DNSProviderError/Kind/invalidResponse``.
    public var maximumBodyBytes: Int = 4 * 1024 * 1024

    /// - Parameters: see the properties.
    public init(provider: String, client: HTTPClient, timeout: TimeAmount = .seconds(30)) {
        self.provider = provider
        self.client = client
        self.timeout = timeout
    }

    /// A response, read whole.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The response headers.
        public var headers: HTTPHeaders
        /// The body bytes.
        public var body: [UInt8]

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body decoded as JSON into `T`.
        /// - Throws: ``DNSProviderError/Kind/invalidResponse`` naming the type.
        public func decode<T: Decodable>(_ type: T.Type, provider: String) throws(DNSProviderError) -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(body))
            } catch {
                throw DNSProviderError(.invalidResponse, provider: provider, "cannot read the answer as \(T.self): \(error)", status: status)
            }
        }
    }

    /// Sends `method url` with `headers` and `body`, and returns the response whatever its
    /// status; the caller decides what a status means (see ``classify(_:message:)``).
    /// - Throws: ``DNSProviderError/Kind/network`` when the service cannot be reached or does
    ///   not answer in time, naming the host (never the query: it may carry a key).
    public func send(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil) async throws(DNSProviderError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let host = URL(string: url)?.host ?? "the service"
        do {
            let response = try await client.execute(request, timeout: timeout)
            var buffer = try await response.body.collect(upTo: maximumBodyBytes)
            return Response(status: Int(response.status.code), headers: response.headers, body: buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw DNSProviderError(.network, provider: provider, "\(method) to \(host) timed out")
        } catch let error as NIOTooManyBytesError {
            throw DNSProviderError(.invalidResponse, provider: provider, "answer from \(host) is larger than \(error.maxBytes ?? maximumBodyBytes) bytes")
        } catch {
            throw DNSProviderError(.network, provider: provider, "\(method) to \(host) failed: \(error)")
        }
    }

    /// Sends a JSON body (`Content-Type: application/json`).
    public func sendJSON<Body: Encodable>(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders = [:], json: Body) async throws(DNSProviderError) -> Response {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        let data: Data
        do {
            data = try JSONEncoder().encode(json)
        } catch {
            throw DNSProviderError(.configuration, provider: provider, "cannot encode the request: \(error)")
        }
        return try await send(method, url, headers: headers, body: Array(data))
    }

    /// The usual meaning of an error status: 401 → authentication, 403 → permission, 404 →
    /// zone not found, 429 → rate limited, 5xx → network (the service is failing), anything
    /// else → rejected. `message` is the service's own explanation, from its error body.
    public func classify(_ response: Response, message: String) -> DNSProviderError {
        let kind: DNSProviderError.Kind = switch response.status {
        case 401: .authentication
        case 403: .permission
        case 404: .zoneNotFound
        case 429: .rateLimited
        case 500...599: .network
        default: .rejected
        }
        return DNSProviderError(kind, provider: provider, message.isEmpty ? "HTTP \(response.status)" : message, status: response.status)
    }
}
