import Middlewares
import Testing

/// redirectScheme and redirectRegex: status by method and permanence, Location, and no redirect
/// when the URL would not change.
@Suite struct RedirectMiddlewareTests {
    @Test("redirectScheme sends http to https on the target port, 301 for GET and 308 otherwise")
    func schemePermanent() throws {
        let middleware = try RedirectScheme(scheme: "https", port: "8443", permanent: true, keyPath: "m")
        let (_, get) = run(middleware, request("/a?b=c", host: "example.com:8080"))
        #expect(get?.status.code == 301)
        #expect(get?.headers.first(name: "location") == "https://example.com:8443/a?b=c")
        let (_, post) = run(middleware, request("/a", method: .POST, host: "example.com"))
        #expect(post?.status.code == 308)
    }

    @Test("redirectScheme leaves out the default port, answers 302/307 when temporary, and passes https through")
    func schemeDefaults() throws {
        let middleware = try RedirectScheme(scheme: "https", port: "443", permanent: false, keyPath: "m")
        let (_, get) = run(middleware, request("/", host: "example.com"))
        #expect(get?.status.code == 302)
        #expect(get?.headers.first(name: "location") == "https://example.com/")
        let (_, put) = run(middleware, request("/", method: .PUT, host: "example.com"))
        #expect(put?.status.code == 307)
        let (_, already) = run(middleware, request("/", host: "example.com", tls: true))
        #expect(already == nil, "an https request is not redirected to itself")
        let (_, proxied) = run(middleware, request("/", host: "example.com", headers: [("X-Forwarded-Proto", "https")]))
        #expect(proxied == nil, "X-Forwarded-Proto counts, as in Traefik")
        #expect(throws: MiddlewareConfigurationError.self) {
            try RedirectScheme(scheme: "https", port: "eighty", permanent: false, keyPath: "m")
        }
    }

    @Test("redirectRegex rewrites the full URL with groups")
    func regex() throws {
        let middleware = try RedirectRegex(regex: "^http://localhost/(.*)", replacement: "http://mydomain/${1}", permanent: false, keyPath: "m")
        let (_, answer) = run(middleware, request("/some/path", host: "localhost"))
        #expect(answer?.status.code == 302)
        #expect(answer?.headers.first(name: "location") == "http://mydomain/some/path")
        #expect(answer?.body == "Found")
        let (_, none) = run(middleware, request("/some/path", host: "other"))
        #expect(none == nil)
    }
}
