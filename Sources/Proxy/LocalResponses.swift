import Middlewares
import NIOCore
import NIOHTTP1

/// Responses the proxy writes itself, with the bodies operators know from Traefik.
enum LocalResponse {
    case notFound
    case badGateway
    case gatewayTimeout
    case serviceUnavailable
    case badRequest
    case headersTooLarge
    case redirect(status: HTTPResponseStatus, location: String)
    /// An ACME HTTP-01 answer: the key authorization as the whole body.
    case acmeChallenge(keyAuthorization: String)
    /// A router middleware's own answer (redirect, 403, CORS preflight …).
    case middleware(MiddlewareResponse)

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .badGateway: .badGateway
        case .gatewayTimeout: .gatewayTimeout
        case .serviceUnavailable: .serviceUnavailable
        case .badRequest: .badRequest
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .redirect(let status, _): status
        case .acmeChallenge: .ok
        case .middleware(let response): response.status
        }
    }

    var body: String {
        switch self {
        case .notFound: "404 page not found\n"
        case .badGateway: "Bad Gateway"
        case .gatewayTimeout: "Gateway Timeout"
        case .serviceUnavailable: "no available server"
        case .badRequest: "400 Bad Request"
        case .headersTooLarge: "431 Request Header Fields Too Large"
        case .redirect(let status, _): status.reasonPhrase
        case .acmeChallenge(let keyAuthorization): keyAuthorization
        case .middleware(let response): response.body
        }
    }

    /// The response head and body; `close` adds `Connection: close` for HTTP/1.
    func make(version: HTTPVersion, close: Bool, allocator: ByteBufferAllocator) -> (HTTPResponseHead, ByteBuffer) {
        let body = allocator.buffer(string: self.body)
        var headers = HTTPHeaders()
        if case .middleware(let response) = self {
            headers = response.headers
            headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        } else {
            headers.reserveCapacity(4)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        if case .redirect(_, let location) = self {
            headers.add(name: "Location", value: location)
        }
        if close && version.major == 1 {
            headers.add(name: "Connection", value: "close")
        }
        return (HTTPResponseHead(version: version, status: status, headers: headers), body)
    }
}
