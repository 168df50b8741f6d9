import Config
import Middlewares
import Testing

/// Building routers' chains: order, flattening, sharing, and errors that stay with their middleware.
@Suite struct MiddlewareCatalogTests {
    private func strip(_ prefix: String) -> Middleware {
        var config = Middleware.StripPrefix()
        config.prefixes = [prefix]
        return .stripPrefix(config)
    }

    private func chain(_ names: [String]) -> Middleware {
        var config = Middleware.Chain()
        config.middlewares = names
        return .chain(config)
    }

    @Test("a router's list runs in order, chains flattened in place")
    func order() throws {
        var add = Middleware.AddPrefix()
        add.prefix = "/v1"
        let catalog = MiddlewareCatalog(["a": strip("/a"), "b": strip("/b"), "both": chain(["a", "b@file"]), "add": .addPrefix(add)])
        let built = try catalog.chain(for: ["both", "add@file"])
        #expect(built.names == ["a@file", "b@file", "add@file"])
        var forwarded = request("/a/b/c")
        guard case .forward = built.runRequest(&forwarded) else {
            Issue.record("every middleware should let the request through")
            return
        }
        #expect(forwarded.head.uri == "/v1/c")
    }

    @Test("a chain that contains itself, an unknown name, or a broken middleware is an error for that router only")
    func errors() throws {
        var bad = Middleware.AddPrefix()
        bad.prefix = ""
        let catalog = MiddlewareCatalog([
            "loop1": chain(["loop2"]), "loop2": chain(["loop1"]), "bad": .addPrefix(bad), "ok": strip("/x"),
        ])
        #expect(throws: MiddlewareConfigurationError.self) { try catalog.chain(for: ["loop1"]) }
        do {
            _ = try catalog.chain(for: ["ok", "missing"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("does not exist"))
        }
        do {
            _ = try catalog.chain(for: ["bad"])
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath == "http.middlewares.bad.addPrefix.prefix")
        }
        #expect(try catalog.chain(for: ["ok"]).names == ["ok@file"])
    }

    @Test("a middleware kind that is not built yet disables the router rather than being skipped")
    func notAvailable() {
        let catalog = MiddlewareCatalog(["grpc": .grpcWeb(Middleware.GRPCWeb())])
        #expect(throws: MiddlewareConfigurationError.self) { try catalog.chain(for: ["grpc"]) }
    }

    @Test("a middleware that stops the request sees no response; those before it do, last first")
    func responseOrder() throws {
        var headers = Middleware.Headers()
        headers.customResponseHeaders = ["X-Seen": "yes"]
        var allow = Middleware.IPAllowList()
        allow.sourceRange = ["10.0.0.0/8"]
        let built = try MiddlewareCatalog(["h": .headers(headers), "allow": .ipAllowList(allow)]).chain(for: ["h", "allow"])
        var forwarded = request("/", peer: "192.0.2.1")
        guard case .answer(let passed, let answer) = built.runRequest(&forwarded) else {
            Issue.record("the allow list should answer")
            return
        }
        #expect(passed == 1)
        #expect(answer.status.code == 403)
        var head = HTTPResponseHeadBuilder.make(status: 403)
        built.runResponse(&head, request: forwarded, passed: passed)
        #expect(head.headers.first(name: "x-seen") == "yes")
    }
}
