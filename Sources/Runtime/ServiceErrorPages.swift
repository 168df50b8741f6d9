import AsyncHTTPClient
import Middlewares
import NIOCore
import NIOHTTP1
import Proxy

/// The error pages of one HTTP service, for the errors middleware: each page is a GET to a
/// server the service picks, off the request path, with the client's request headers (and
/// Host, unless the load balancer sets `passHostHeader: false`), as Traefik sends it.
struct ServiceErrorPages: ErrorPageSource {
    let service: Proxy.Service

    func fetchErrorPage(uri: String, for request: MiddlewareRequest) -> EventLoopFuture<ErrorPage> {
        let loop = request.eventLoop ?? SideRequests.client.eventLoopGroup.next()
        guard let selection = service.select(request.head.headers) else {
            return loop.makeFailedFuture(ErrorPageServiceError(service: service.name, reason: "no available server"))
        }
        let upstream = selection.upstream
        let host = upstream.host.contains(":") ? "[\(upstream.host)]" : upstream.host
        let url = "\(upstream.isTLS ? "https" : "http")://\(host):\(upstream.port)\(upstream.pathPrefix)\(uri)"
        var headers = request.head.headers
        for name in ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect"] {
            headers.remove(name: name)
        }
        headers.replaceOrAdd(name: "Host", value: selection.balancer.passHostHeader ? request.host : upstream.hostHeader)
        let pageRequest: HTTPClient.Request
        do {
            pageRequest = try HTTPClient.Request(url: url, method: .GET, headers: headers, tlsConfiguration: upstream.transport.tlsConfiguration)
        } catch {
            return loop.makeFailedFuture(ErrorPageServiceError(service: service.name, reason: "\(error)"))
        }
        return SideRequests.client.execute(
            request: pageRequest,
            delegate: ResponseAccumulator(request: pageRequest, maxBodySize: SideRequests.maximumBody),
            eventLoop: .indifferent,
            deadline: .now() + SideRequests.timeout
        ).futureResult.map { response in
            ErrorPage(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
        }
    }
}

/// An error page could not be fetched from its service.
struct ErrorPageServiceError: Error, CustomStringConvertible {
    let service: String
    let reason: String
    var description: String { "error page from service \(service): \(reason)" }
}

extension ServiceGraphBuilder {
    /// The error-page source for a service reference (`name@file`, `name@api`; a bare `name` is
    /// the file provider's), if that service was built.
    func errorPageSource(_ reference: String) -> (any ErrorPageSource)? {
        origins.resolvedName(reference, kind: .httpService, from: .file)
            .flatMap { built[$0] }
            .map { ServiceErrorPages(service: $0) }
    }
}
