import Config
import Logging
import Proxy
import Testing
@testable import Runtime

/// Mirroring services, retry and buffering middlewares in a built snapshot: served when valid,
/// and a bad one disables only the routers that use it.
@Suite struct RequestSideSnapshotTests {
    func build(_ dynamicText: String) throws -> BuildResult {
        let staticConfig = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web: {address: ":80"}
        """)
        let dynamic = try ConfigLoader.loadDynamic(string: dynamicText)
        return SnapshotBuilder(staticConfig: staticConfig, logger: Logger(label: "test")).build(dynamic, generation: 1)
    }

    @Test("mirroring, retry and buffering build; a missing mirror and a bad retryExpression disable their routers alone")
    func build() throws {
        let result = try build("""
        http:
          routers:
            mirrored: {rule: "Host(`m.test`)", service: shadowed, middlewares: [retry, limit]}
            noMirror: {rule: "Host(`n.test`)", service: brokenMirror}
            badExpression: {rule: "Host(`e.test`)", service: main, middlewares: [badRetry]}
            plain: {rule: "Host(`p.test`)", service: main}
          middlewares:
            retry: {retry: {attempts: 3, initialInterval: 100ms}}
            limit: {buffering: {maxRequestBodyBytes: 1000, retryExpression: "IsNetworkError() && Attempts() < 2"}}
            badRetry: {buffering: {retryExpression: "Attempts() <"}}
          services:
            main: {loadBalancer: {servers: [{url: "http://127.0.0.1:9001"}]}}
            copy: {loadBalancer: {servers: [{url: "http://127.0.0.1:9002"}]}}
            shadowed:
              mirroring:
                service: main
                maxBodySize: 2048
                mirrors: [{name: copy, percent: 25}]
            brokenMirror:
              mirroring:
                service: main
                mirrors: [{name: gone, percent: 10}]
        """)
        #expect(result.activeRouters == 2, "\(result.issues)")
        #expect(result.disabledRouters == 2)
        let text = result.issues.map(\.description).joined(separator: "\n")
        #expect(text.contains("http.middlewares.badRetry.buffering.retryExpression"), "\(text)")
        #expect(text.contains("gone"), "\(text)")
        #expect(!text.contains("not available yet"), "\(text)")
    }
}
