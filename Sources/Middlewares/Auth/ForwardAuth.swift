import AsyncHTTPClient
import Config
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// `forwardAuth`: asks an authentication service about each request, with Traefik's protocol.
///
/// The service gets a `GET` (or the request's method with `preserveRequestMethod`) to `address`
/// carrying the request's headers (only `authRequestHeaders` when listed) and
/// X-Forwarded-Method/-Proto/-Host/-Uri/-For describing the original request; with
/// `trustForwardHeader` the values the client sent are kept. A 2xx answer lets the request
/// through, with `authResponseHeaders` (and headers matching `authResponseHeadersRegex`) copied
/// from the answer onto it and `addAuthCookiesToResponse` cookies added to the client's response.
/// Any other answer is returned to the client as it is: status, headers and body, with a relative
/// `Location` made absolute against `address` unless `preserveLocationHeader`. A service that
/// cannot be reached answers 500.
public final class ForwardAuth: HTTPMiddleware {
    private let address: String
    private let tlsConfiguration: NIOSSL.TLSConfiguration?
    private let trustForwardHeader: Bool
    private let responseHeaders: [String]
    private let responseHeadersRegex: GoRegexp?
    private let requestHeaders: Set<String>?
    private let cookieNames: Set<String>
    private let preserveLocation: Bool
    private let preserveMethod: Bool
    private let annotationKey: String

    /// - Throws: ``MiddlewareConfigurationError`` for a missing or unusable address, TLS files
    ///   that cannot be read, a bad expression, or options not available yet (`forwardBody`,
    ///   `headerField`).
    public init(_ config: Middleware.ForwardAuth, keyPath: String) throws(MiddlewareConfigurationError) {
        guard let address = config.address, let url = URL(string: address), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).address", "must be an http:// or https:// URL, found \"\(config.address ?? "")\"")
        }
        if config.forwardBody == true {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).forwardBody", "sending the request body to the authentication service is not available yet")
        }
        if let field = config.headerField, !field.isEmpty {
            throw MiddlewareConfigurationError(keyPath: "\(keyPath).headerField", "headerField is not available yet for forwardAuth")
        }
        self.address = address
        self.tlsConfiguration = try config.tls.map { tls throws(MiddlewareConfigurationError) in try Self.tls(tls, keyPath: "\(keyPath).tls") }
        self.trustForwardHeader = config.trustForwardHeader == true
        self.responseHeaders = config.authResponseHeaders ?? []
        self.responseHeadersRegex = try config.authResponseHeadersRegex.flatMap { pattern throws(MiddlewareConfigurationError) in
            pattern.isEmpty ? nil : try GoRegexp(pattern, keyPath: "\(keyPath).authResponseHeadersRegex")
        }
        self.requestHeaders = config.authRequestHeaders.flatMap { $0.isEmpty ? nil : Set($0.map { $0.lowercased() }) }
        self.cookieNames = Set(config.addAuthCookiesToResponse ?? [])
        self.preserveLocation = config.preserveLocationHeader == true
        self.preserveMethod = config.preserveRequestMethod == true
        self.annotationKey = "forwardAuth:" + keyPath
    }

    private static func tls(_ config: Middleware.ClientTLS, keyPath: String) throws(MiddlewareConfigurationError) -> NIOSSL.TLSConfiguration {
        var tls = NIOSSL.TLSConfiguration.makeClientConfiguration()
        if config.insecureSkipVerify == true { tls.certificateVerification = .none }
        do {
            if let ca = config.ca {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(try ca.read())))
            }
            if let cert = config.cert, let key = config.key {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(try cert.read())).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(try key.read()), format: .pem))
            } else if config.cert != nil || config.key != nil {
                throw MiddlewareConfigurationError(keyPath: keyPath, "cert and key go together")
            }
        } catch let error as MiddlewareConfigurationError {
            throw error
        } catch let error as ConfigError {
            throw MiddlewareConfigurationError(keyPath: keyPath, "\(error)")
        } catch {
            // NIOSSL's errors say what is wrong with the material without quoting it.
            throw MiddlewareConfigurationError(keyPath: keyPath, "unusable TLS material: \(error)")
        }
        return tls
    }

    public var editsResponses: Bool { !cookieNames.isEmpty }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        let authRequest: HTTPClient.Request
        do {
            authRequest = try HTTPClient.Request(
                url: address, method: preserveMethod ? request.head.method : .GET,
                headers: authHeaders(for: request), tlsConfiguration: tlsConfiguration
            )
        } catch {
            return .respond(MiddlewareResponse(status: .internalServerError))
        }
        // The client runs on its own event loops (AsyncHTTPClient only takes loops of its group);
        // the proxy hops back to the connection's loop when the answer comes.
        let answer = SideRequests.client.execute(
            request: authRequest,
            delegate: ResponseAccumulator(request: authRequest, maxBodySize: SideRequests.maximumBody),
            eventLoop: .indifferent,
            deadline: .now() + SideRequests.timeout
        ).futureResult
        return .suspend(answer.map { [self] response in decide(response) }.recover { _ in
            .respond(MiddlewareResponse(status: .internalServerError))
        })
    }

    /// What the authentication service's answer means for the request.
    func decide(_ response: HTTPClient.Response) -> MiddlewareResumption {
        guard (200..<300).contains(response.status.code) else {
            var headers = response.headers
            for name in Self.hopByHop where headers.contains(name: name) { headers.remove(name: name) }
            headers.remove(name: "content-length")
            if !preserveLocation, let location = headers.first(name: "location"),
               let base = URL(string: address), let absolute = URL(string: location, relativeTo: base) {
                headers.replaceOrAdd(name: "Location", value: absolute.absoluteString)
            }
            let body = response.body.map { String(buffer: $0) } ?? ""
            return .respond(MiddlewareResponse(status: response.status, headers: headers, body: body))
        }
        var copied: [(String, String)] = []
        var removed = Set(responseHeaders.map { $0.lowercased() })
        for name in responseHeaders {
            for value in response.headers[name] { copied.append((name, value)) }
        }
        if let regex = responseHeadersRegex {
            for (name, value) in response.headers where regex.matches(Self.canonical(name)) {
                copied.append((name, value))
                removed.insert(name.lowercased())
            }
        }
        let cookies = response.headers["set-cookie"].filter { cookie in
            let name = cookie.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces)
            return cookieNames.contains(name)
        }
        let key = annotationKey
        let regex = responseHeadersRegex
        let listed = removed
        let additions = copied
        return .proceed { request in
            var removing = listed
            if let regex {
                for (name, _) in request.head.headers where regex.matches(Self.canonical(name)) { removing.insert(name.lowercased()) }
            }
            for name in removing { request.head.headers.remove(name: name) }
            for (name, value) in additions { request.head.headers.add(name: name, value: value) }
            if !cookies.isEmpty { request.annotations[key] = cookies }
        }
    }

    public func handleResponse(_ response: inout HTTPResponseHead, request: MiddlewareRequest) {
        for cookie in request.annotations[annotationKey] ?? [] {
            response.headers.add(name: "Set-Cookie", value: cookie)
        }
    }

    /// The headers sent to the authentication service.
    func authHeaders(for request: MiddlewareRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in request.head.headers {
            let lower = name.lowercased()
            if Self.hopByHop.contains(lower) || lower == "content-length" || lower == "transfer-encoding" { continue }
            if let allowed = requestHeaders, !allowed.contains(lower) { continue }
            headers.add(name: name, value: value)
        }
        func set(_ name: String, received: String?, actual: String?) {
            if let received, !received.isEmpty, trustForwardHeader {
                headers.replaceOrAdd(name: name, value: received)
            } else if let actual, !actual.isEmpty {
                headers.replaceOrAdd(name: name, value: actual)
            } else {
                headers.remove(name: name)
            }
        }
        let peer = request.peerIP.map { "\($0)" } ?? ""
        let receivedFor = request.head.headers[canonicalForm: "x-forwarded-for"].joined(separator: ", ")
        set("X-Forwarded-For", received: nil, actual: trustForwardHeader && !receivedFor.isEmpty ? receivedFor + ", " + peer : peer)
        set("X-Forwarded-Method", received: request.header("x-forwarded-method"), actual: request.head.method.rawValue)
        set("X-Forwarded-Proto", received: request.header("x-forwarded-proto"), actual: request.isTLS ? "https" : "http")
        if !trustForwardHeader { headers.remove(name: "x-forwarded-port") }
        set("X-Forwarded-Host", received: request.header("x-forwarded-host"), actual: request.host)
        set("X-Forwarded-Uri", received: request.header("x-forwarded-uri"), actual: request.head.uri)
        return headers
    }

    /// Go's canonical header form (`x-auth-user` → `X-Auth-User`), which Traefik's regex sees.
    static func canonical(_ name: String) -> String {
        var upper = true
        return String(name.map { character -> Character in
            defer { upper = character == "-" }
            return upper ? Character(character.uppercased()) : Character(character.lowercased())
        })
    }

    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
    ]
}
