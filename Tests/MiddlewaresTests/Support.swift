import Middlewares
import NIOHTTP1
import Routing

/// A request as the proxy hands it to middlewares.
func request(
    _ uri: String, method: HTTPMethod = .GET, host: String = "example.com", headers: [(String, String)] = [],
    tls: Bool = false, peer: String = "192.0.2.10"
) -> MiddlewareRequest {
    var all = HTTPHeaders([("Host", host)])
    all.add(contentsOf: headers)
    return MiddlewareRequest(
        head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: all),
        host: host, isTLS: tls, peerIP: IPAddress(peer)
    )
}

/// Runs the request side of one middleware; returns the request as forwarded, or the answer.
func run(_ middleware: any HTTPMiddleware, _ input: MiddlewareRequest) -> (MiddlewareRequest, MiddlewareResponse?) {
    var request = input
    if case .respond(let response) = middleware.handleRequest(&request) {
        return (request, response)
    }
    return (request, nil)
}

/// Response heads for tests.
enum HTTPResponseHeadBuilder {
    static func make(status: Int) -> HTTPResponseHead {
        HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
    }
}
