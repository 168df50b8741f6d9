import Middlewares
import Testing

/// addPrefix, stripPrefix, stripPrefixRegex, replacePath and replacePathRegex, as Traefik rewrites.
@Suite struct PathMiddlewareTests {
    @Test("addPrefix prepends and keeps the query; an empty prefix is refused at build time")
    func addPrefix() throws {
        let middleware = try AddPrefix(prefix: "/api", keyPath: "m")
        let (forwarded, answer) = run(middleware, request("/users?id=1"))
        #expect(answer == nil)
        #expect(forwarded.head.uri == "/api/users?id=1")
        #expect(throws: MiddlewareConfigurationError.self) { try AddPrefix(prefix: "", keyPath: "m") }
    }

    @Test("stripPrefix removes the first prefix that matches and sets X-Forwarded-Prefix")
    func stripPrefix() {
        let middleware = StripPrefix(prefixes: ["/foo", "/bar"], forceSlash: false)
        let (forwarded, _) = run(middleware, request("/bar/baz?q=1"))
        #expect(forwarded.head.uri == "/baz?q=1")
        #expect(forwarded.header("x-forwarded-prefix") == "/bar")
        let (whole, _) = run(middleware, request("/foo"))
        #expect(whole.head.uri == "/", "the whole path stripped is forwarded as /")
        let (joined, _) = run(middleware, request("/foobar"))
        #expect(joined.head.uri == "/bar", "Traefik strips text, not segments, and puts back the leading slash")
        let (untouched, _) = run(middleware, request("/other"))
        #expect(untouched.head.uri == "/other")
        #expect(untouched.header("x-forwarded-prefix") == nil)
    }

    @Test("stripPrefixRegex strips the match at the start of the path")
    func stripPrefixRegex() throws {
        let middleware = try StripPrefixRegex(regex: ["/foo/[a-z0-9]+/[0-9]+/"], keyPath: "m")
        let (forwarded, _) = run(middleware, request("/foo/abc/12/bar"))
        #expect(forwarded.head.uri == "/bar")
        #expect(forwarded.header("x-forwarded-prefix") == "/foo/abc/12/")
        let (notAtStart, _) = run(middleware, request("/x/foo/abc/12/bar"))
        #expect(notAtStart.head.uri == "/x/foo/abc/12/bar")
        #expect(throws: MiddlewareConfigurationError.self) { try StripPrefixRegex(regex: ["(unclosed"], keyPath: "m") }
    }

    @Test("replacePath replaces the path, keeps the query, and reports the old one")
    func replacePath() throws {
        let (forwarded, _) = run(try ReplacePath(path: "/new", keyPath: "m"), request("/old/path?x=1"))
        #expect(forwarded.head.uri == "/new?x=1")
        #expect(forwarded.header("x-replaced-path") == "/old/path")
    }

    @Test("replacePathRegex expands groups like Go; no match leaves the request alone")
    func replacePathRegex() throws {
        let middleware = try ReplacePathRegex(regex: "^/foo/(.*)", replacement: "/bar/$1", keyPath: "m")
        let (forwarded, _) = run(middleware, request("/foo/a/b?z=2"))
        #expect(forwarded.head.uri == "/bar/a/b?z=2")
        #expect(forwarded.header("x-replaced-path") == "/foo/a/b")
        let (other, _) = run(middleware, request("/baz"))
        #expect(other.head.uri == "/baz")
        #expect(other.header("x-replaced-path") == nil)
        let named = try ReplacePathRegex(regex: "^/v(?P<version>[0-9]+)/(.*)", replacement: "/${2}/version-${version}$$", keyPath: "m")
        #expect(run(named, request("/v2/items")).0.head.uri == "/items/version-2$")
    }
}
