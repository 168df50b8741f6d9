import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Where the running gateway's admin API is, and the token to use: `--admin-address` / `--token`, or
/// the environment variables `GATEHOUSE_ADMIN_ADDRESS` / `GATEHOUSE_ADMIN_TOKEN`.
struct AdminAPIOptions: ParsableArguments {
    @Option(name: .customLong("admin-address"), help: "Admin API address: HOST:PORT, http://HOST:PORT or unix:/PATH (default: $GATEHOUSE_ADMIN_ADDRESS, else 127.0.0.1:8081).")
    var address: String?

    @Option(name: .long, help: "Admin API token (default: $GATEHOUSE_ADMIN_TOKEN). Prefer the variable: arguments show in the process list.")
    var token: String?

    /// Whether an address or token was given by flag or environment (an operator who names the
    /// API means to use it).
    var isExplicit: Bool {
        let environment = ProcessInfo.processInfo.environment
        return address != nil || token != nil || environment["GATEHOUSE_ADMIN_ADDRESS"] != nil || environment["GATEHOUSE_ADMIN_TOKEN"] != nil
    }

    /// A client for these options.
    func client() -> AdminAPIClient {
        let environment = ProcessInfo.processInfo.environment
        return AdminAPIClient(address: address ?? environment["GATEHOUSE_ADMIN_ADDRESS"] ?? "127.0.0.1:8081",
                              token: token ?? environment["GATEHOUSE_ADMIN_TOKEN"])
    }
}

/// A small client for the admin API: JSON requests with the bearer token, errors that say what
/// the server answered. The token is never printed.
struct AdminAPIClient: Sendable {
    /// As given: `127.0.0.1:8081`, `http://…`, `unix:/run/gatehouse/admin.sock`.
    let address: String
    let token: String?
    var timeout: TimeAmount = .seconds(30)

    /// A failed call: the API could not be reached, or it answered an error.
    struct Failure: Error, CustomStringConvertible {
        /// The HTTP status, `nil` when the API could not be reached.
        let status: Int?
        /// The server's `message`, or why it could not be reached.
        let message: String
        /// The call, e.g. `GET /api/v1/routes`.
        let call: String

        var description: String {
            guard let status else { return "\(call): cannot reach the admin API: \(message)" }
            return "\(call): \(status) \(message)"
        }
    }

    /// The base URL AsyncHTTPClient takes for ``address``.
    var baseURL: String {
        if address.hasPrefix("unix:") {
            let path = String(address.dropFirst(5))
            return "http+unix://" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path)
        }
        if address.hasPrefix("http://") || address.hasPrefix("https://") {
            return address.hasSuffix("/") ? String(address.dropLast()) : address
        }
        return "http://" + address
    }

    /// Whether `/ping` answers (no token needed) within two seconds.
    func isReachable() async -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/ping")
        request.method = .GET
        return (try? await HTTPClient.shared.execute(request, timeout: .seconds(2)).status) == .ok
    }

    /// Sends `method path` with `body` (encoded as JSON) and decodes the 2xx answer as JSON.
    /// - Throws: ``Failure`` for a transport error or a non-2xx status (with the server's message).
    func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> Any {
        let text = try await callText(method, path, body: body)
        if text.isEmpty { return NSNull() }
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw Failure(status: 200, message: "the answer is not JSON", call: "\(method) \(path)")
        }
    }

    /// As ``call(_:_:body:)``, the body as text.
    func callText(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> String {
        let answer = try await send(method, path, json: body)
        guard (200..<300).contains(answer.status) else {
            var message = answer.message
            if answer.status == 401, token == nil { message += " (set GATEHOUSE_ADMIN_TOKEN or --token)" }
            throw Failure(status: answer.status, message: message, call: "\(method) \(path)")
        }
        return answer.text
    }

    /// What the API answered, whatever the status.
    struct Answer {
        /// The HTTP status.
        let status: Int
        /// The body.
        let body: Data

        /// The body as text.
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object, if it is one.
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        /// The body as a JSON array, if it is one.
        var array: [Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [Any] }
        /// The error body's `message`, else the body.
        var message: String { object?["message"] as? String ?? text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Sends `method path` with `json` (encoded as JSON) and returns the answer, whatever its
    /// status, for callers that read error bodies (field errors, clashes).
    /// - Throws: ``Failure`` when the API cannot be reached.
    func send(_ method: HTTPMethod, _ path: String, json body: [String: Any]? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return Answer(status: Int(response.status.code), body: Data(buffer: bytes))
        } catch {
            throw Failure(status: nil, message: "\(error)", call: "\(method) \(path)")
        }
    }

    /// Runs `body` with this client; a ``Failure`` exits 1 with its description on standard error.
    static func run(_ options: AdminAPIOptions, _ body: (AdminAPIClient) async throws -> Void) async throws {
        do {
            try await body(options.client())
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("gatehouse: \(failure)\n".utf8))
            throw ExitCode(1)
        }
    }
}
