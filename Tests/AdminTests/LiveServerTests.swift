import Admin
import Config
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Storage
import Testing

@Suite("The admin server on a real listener")
struct LiveServerTests {
    /// GET `url` with `headers`; the status code, or `nil` when the connection fails.
    static func status(_ url: String, headers: [String: String]) async -> Int? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode
        } catch {
            return nil
        }
    }

    static func server(_ storage: SQLiteCertificateStorage, _ address: AdminListenAddress) throws -> AdminServer {
        var logger = Logger(label: "admin-live-tests")
        logger.logLevel = .critical
        return AdminServer(address: address, tokens: storage, runtime: FixedRuntimeView(state: try fixtureState()), logger: logger)
    }

    @Test("port 0: the bound port becomes the listener's origin; stop closes the listener")
    func boundPortIsTheOrigin() async throws {
        try await withStore { storage, tokens, _ in
            let running = try await Self.server(storage, .tcp(host: "127.0.0.1", port: 0)).start()
            let port = try #require(running.port)
            #expect(port > 0)
            #expect(running.address == "127.0.0.1:\(port)")
            let url = "http://127.0.0.1:\(port)/api/http/routers"
            let auth = "Bearer \(tokens.read)"
            #expect(await Self.status(url, headers: ["Authorization": auth]) == 200)
            #expect(await Self.status(url, headers: ["Authorization": auth, "Origin": "http://127.0.0.1:\(port)"]) == 200)
            #expect(await Self.status(url, headers: ["Authorization": auth, "Origin": "http://localhost:\(port)"]) == 200)
            #expect(await Self.status(url, headers: ["Authorization": auth, "Origin": "http://127.0.0.1:0"]) == 403)
            #expect(await Self.status(url, headers: [:]) == 401)
            await running.stop()
            #expect(await Self.status("http://127.0.0.1:\(port)/ping", headers: [:]) == nil)
        }
    }

    @Test("a port in use is an AdminServerError naming the address")
    func portInUse() async throws {
        try await withStore { storage, _, _ in
            let first = try await Self.server(storage, .tcp(host: "127.0.0.1", port: 0)).start()
            let port = try #require(first.port)
            await #expect {
                _ = try await Self.server(storage, .tcp(host: "127.0.0.1", port: port)).start()
            } throws: { error in
                "\(error)".contains("admin API cannot listen on 127.0.0.1:\(port)")
            }
            await first.stop()
        }
    }

    @Test("unix socket: a stale socket is replaced, the new one is 0600; a regular file is not removed")
    func unixSocket() async throws {
        try await withStore { storage, _, dataDirectory in
            let path = dataDirectory + "/admin.sock"
            let first = try await Self.server(storage, .unix(path: path)).start()
            #expect(first.address == "unix:\(path)")
            #expect(first.port == nil)
            await first.stop()
            // The socket file of the stopped server is still there, or gone: either way a new start works.
            let second = try await Self.server(storage, .unix(path: path)).start()
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            await second.stop()

            let regular = dataDirectory + "/not-a-socket"
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: regular))
            await #expect {
                _ = try await Self.server(storage, .unix(path: regular)).start()
            } throws: { error in
                (error as? AdminServerError)?.reason.contains("not a socket") == true
            }
            #expect(FileManager.default.contents(atPath: regular) == Data("keep me".utf8))
        }
    }
}
