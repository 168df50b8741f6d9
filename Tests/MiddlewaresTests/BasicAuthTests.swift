import Config
import Foundation
import Middlewares
import NIOCore
import NIOPosix
import Testing

/// basicAuth: htpasswd entries, the 401 challenge, headerField/removeHeader, and bcrypt checked
/// off the event loop.
@Suite struct BasicAuthTests {
    static let alice = "alice:$2y$04$fFaUsmd8b6eG.8cWqkcD8eo2XBTz4lDi07i.dyCclj3azNno0Loqm"  // s3cret
    static let carol = "carol:$apr1$ogo.Luwq$s6bsXWFjW7Usl6bNF22c01"  // pässwörd

    private func basic(_ user: String, _ password: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    private func auth(_ configure: (inout Middleware.BasicAuth) -> Void) throws(MiddlewareConfigurationError) -> BasicAuth {
        var config = Middleware.BasicAuth()
        configure(&config)
        return try BasicAuth(config, keyPath: "http.middlewares.admin-auth.basicAuth")
    }

    @Test("no credentials, an unknown user or a wrong password get 401 with the realm")
    func refused() throws {
        let middleware = try auth { $0.users = [Self.alice, Self.carol]; $0.realm = "admin" }
        for headers in [[], [basic("mallory", "s3cret")], [basic("alice", "wrong")], [("Authorization", "Bearer x")]] {
            let answer = run(middleware, request("/", headers: headers)).1
            #expect(answer?.status.code == 401)
            #expect(answer?.headers.first(name: "www-authenticate") == "Basic realm=\"admin\"")
            #expect(answer?.body == "401 Unauthorized\n")
        }
    }

    @Test("the right password passes; headerField names the user and removeHeader drops Authorization")
    func accepted() throws {
        let middleware = try auth { $0.users = [Self.alice, Self.carol]; $0.headerField = "X-WebAuth-User"; $0.removeHeader = true }
        for (user, password) in [("alice", "s3cret"), ("carol", "pässwörd")] {
            let (forwarded, answer) = run(middleware, request("/", headers: [basic(user, password)]))
            #expect(answer == nil)
            #expect(forwarded.header("x-webauth-user") == user)
            #expect(forwarded.header("authorization") == nil)
        }
        let kept = try auth { $0.users = [Self.carol] }
        #expect(run(kept, request("/", headers: [basic("carol", "pässwörd")])).0.header("authorization") != nil)
    }

    @Test("on a connection, bcrypt is checked on the thread pool and the request resumes")
    func suspended() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let middleware = try auth { $0.users = [Self.alice]; $0.headerField = "X-User" }
        for (password, accepted) in [("s3cret", true), ("nope", false), ("s3cret", true)] {
            var input = request("/", headers: [basic("alice", password)])
            input = MiddlewareRequest(head: input.head, host: input.host, isTLS: false, peerIP: nil, eventLoop: loop)
            switch middleware.handleRequest(&input) {
            case .suspend(let future):
                let resumption = try future.wait()
                #expect((resumption.response == nil) == accepted)
                if accepted {
                    resumption.edit?(&input)
                    #expect(input.header("x-user") == "alice")
                }
            case .proceed:
                // The second right attempt may be answered from the verification cache.
                #expect(accepted)
                #expect(input.header("x-user") == "alice")
            case .respond:
                #expect(!accepted)
            }
        }
    }

    @Test("usersFile entries are read, win over users, and a bad line is named without its hash")
    func usersFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("htpasswd-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# admins\n\ncarol:$apr1$ogo.Luwq$s6bsXWFjW7Usl6bNF22c01\n".write(toFile: path, atomically: true, encoding: .utf8)
        let middleware = try auth { $0.users = ["carol:{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0="]; $0.usersFile = path }
        #expect(run(middleware, request("/", headers: [basic("carol", "pässwörd")])).1 == nil)
        #expect(run(middleware, request("/", headers: [basic("carol", "hunter2")])).1?.status.code == 401)

        try "carol:plaintext-password\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try auth { $0.usersFile = path }
            Issue.record("expected an error")
        } catch {
            #expect(error.keyPath.contains("line 1"))
            #expect(!error.description.contains("plaintext-password"))
        }
        #expect(throws: MiddlewareConfigurationError.self) { try auth { $0.usersFile = path + ".missing" } }
        #expect(throws: MiddlewareConfigurationError.self) { try auth { $0.users = [] } }
    }
}
