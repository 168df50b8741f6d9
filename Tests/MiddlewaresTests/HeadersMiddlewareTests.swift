import Config
import Middlewares
import NIOHTTP1
import Testing

/// The headers middleware: custom headers, security headers, allowed hosts and CORS.
@Suite struct HeadersMiddlewareTests {
    private func response(_ middleware: HeadersMiddleware, for request: MiddlewareRequest, headers: HTTPHeaders = [:]) -> HTTPHeaders {
        var head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
        middleware.handleResponse(&head, request: request)
        return head.headers
    }

    @Test("custom request headers are set, and an empty value removes one")
    func customRequestHeaders() throws {
        var config = Middleware.Headers()
        config.customRequestHeaders = ["X-Script-Name": "test", "X-Remove-Me": ""]
        let middleware = try HeadersMiddleware(config, keyPath: "m")
        let (forwarded, answer) = run(middleware, request("/", headers: [("X-Remove-Me", "1"), ("X-Script-Name", "old")]))
        #expect(answer == nil)
        #expect(forwarded.head.headers["x-script-name"] == ["test"])
        #expect(!forwarded.head.headers.contains(name: "x-remove-me"))
    }

    @Test("security headers go on every response; HSTS only over TLS unless forced")
    func security() throws {
        var config = Middleware.Headers()
        config.stsSeconds = 31536000
        config.stsIncludeSubdomains = true
        config.stsPreload = true
        config.frameDeny = true
        config.contentTypeNosniff = true
        config.browserXssFilter = true
        config.referrerPolicy = "same-origin"
        config.contentSecurityPolicy = "default-src 'self'"
        config.permissionsPolicy = "camera=()"
        config.customResponseHeaders = ["Server": "", "X-Custom": "yes"]
        let middleware = try HeadersMiddleware(config, keyPath: "m")
        let secure = response(middleware, for: request("/", tls: true), headers: ["Server": "backend"])
        #expect(secure.first(name: "strict-transport-security") == "max-age=31536000; includeSubDomains; preload")
        #expect(secure.first(name: "x-frame-options") == "DENY")
        #expect(secure.first(name: "x-content-type-options") == "nosniff")
        #expect(secure.first(name: "x-xss-protection") == "1; mode=block")
        #expect(secure.first(name: "referrer-policy") == "same-origin")
        #expect(secure.first(name: "content-security-policy") == "default-src 'self'")
        #expect(secure.first(name: "permissions-policy") == "camera=()")
        #expect(secure.first(name: "x-custom") == "yes")
        #expect(!secure.contains(name: "server"))
        let plain = response(middleware, for: request("/"))
        #expect(!plain.contains(name: "strict-transport-security"))
        config.forceSTSHeader = true
        let forced = response(try HeadersMiddleware(config, keyPath: "m"), for: request("/"))
        #expect(forced.contains(name: "strict-transport-security"))
    }

    @Test("allowedHosts refuses other hosts with 500 Bad Host")
    func allowedHosts() throws {
        var config = Middleware.Headers()
        config.allowedHosts = ["good.example"]
        let middleware = try HeadersMiddleware(config, keyPath: "m")
        #expect(run(middleware, request("/", host: "good.example")).1 == nil)
        let refused = run(middleware, request("/", host: "evil.example")).1
        #expect(refused?.status.code == 500)
        #expect(refused?.body == "Bad Host\n")
    }

    @Test("CORS: a preflight is answered here; a simple request gets the allowed origin and Vary")
    func cors() throws {
        var config = Middleware.Headers()
        config.accessControlAllowMethods = ["GET", "OPTIONS", "PUT"]
        config.accessControlAllowHeaders = ["X-Token"]
        config.accessControlAllowOriginList = ["https://app.example"]
        config.accessControlAllowOriginListRegex = ["^https://.*\\.trusted\\.example$"]
        config.accessControlMaxAge = 100
        config.accessControlExposeHeaders = ["X-Total"]
        config.addVaryHeader = true
        let middleware = try HeadersMiddleware(config, keyPath: "m")
        let preflight = run(middleware, request("/", method: .OPTIONS, headers: [
            ("Origin", "https://app.example"), ("Access-Control-Request-Method", "PUT"),
        ])).1
        #expect(preflight?.status.code == 200)
        #expect(preflight?.headers.first(name: "access-control-allow-methods") == "GET,OPTIONS,PUT")
        #expect(preflight?.headers.first(name: "access-control-allow-headers") == "X-Token")
        #expect(preflight?.headers.first(name: "access-control-allow-origin") == "https://app.example")
        #expect(preflight?.headers.first(name: "access-control-max-age") == "100")

        let simple = response(middleware, for: request("/", headers: [("Origin", "https://api.trusted.example")]),
                              headers: ["Vary": "Accept-Encoding"])
        #expect(simple.first(name: "access-control-allow-origin") == "https://api.trusted.example")
        #expect(simple.first(name: "access-control-expose-headers") == "X-Total")
        #expect(simple.first(name: "vary") == "Accept-Encoding,Origin")
        let stranger = response(middleware, for: request("/", headers: [("Origin", "https://evil.example")]))
        #expect(!stranger.contains(name: "access-control-allow-origin"))
        #expect(throws: MiddlewareConfigurationError.self) {
            var bad = Middleware.Headers()
            bad.accessControlAllowOriginListRegex = ["("]
            _ = try HeadersMiddleware(bad, keyPath: "m")
        }
    }
}
