import Admin
import Config
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing

/// A runtime view that hands out a fixed state.
struct FixedRuntimeView: RuntimeView {
    let state: RuntimeState?
    func currentState() async -> RuntimeState? { state }
}

/// A dynamic configuration with one item of each kind, and a router with a bad rule.
let fixtureDynamic = """
http:
  routers:
    web:
      rule: "Host(`a.test`)"
      service: app
      entryPoints: [web]
      middlewares: [strip]
    broken:
      rule: "Hots(`b.test`)"
      service: app@file
      entryPoints: [web]
  services:
    app:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:9001"
  middlewares:
    strip:
      stripPrefix:
        prefixes: ["/x"]
tcp:
  routers:
    db:
      rule: "HostSNI(`*`)"
      service: db
      entryPoints: [web]
  services:
    db:
      loadBalancer:
        servers:
          - address: "127.0.0.1:5432"
"""

/// The state a gateway would publish for ``fixtureDynamic``: `broken` disabled with its error.
func fixtureState() throws -> RuntimeState {
    let configuration = try ConfigLoader.loadDynamic(text: fixtureDynamic, file: "fixture.yml")
    return RuntimeState(
        generation: 3,
        configuration: configuration,
        problems: [ItemProblem(kind: .httpRouter, name: "broken@file", message: "rule \"Hots(`b.test`)\": unknown matcher Hots")],
        entryPoints: ["web": EntryPoint(address: "127.0.0.1:8000")],
        defaultEntryPoints: ["web"],
        providers: ["File"],
        accessLog: false
    )
}

/// Tokens for each role, made in a real token store.
struct TestTokens {
    let read: String
    let manage: String
    let acme: String
    let admin: String
}

/// A fresh data directory (removed afterwards) with an open storage and tokens for each role.
func withStore<T>(_ body: (SQLiteCertificateStorage, TestTokens, String) async throws -> T) async throws -> T {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("gatehouse-admin-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let dataDirectory = root.appendingPathComponent("data").path
    let key = Data((0..<32).map { UInt8($0 * 5 + 1) }).base64EncodedString()
    let storage = try await SQLiteCertificateStorage.open(
        dataDirectory: dataDirectory, environment: ["GATEHOUSE_SECRET_KEY": key]
    )
    do {
        let tokens = TestTokens(
            read: try await storage.createToken(name: "reader", scopes: ["ingress.read"]).secret,
            manage: try await storage.createToken(name: "manager", scopes: ["ingress.manage"]).secret,
            acme: try await storage.createToken(name: "acme", scopes: ["acme.manage"]).secret,
            admin: try await storage.createToken(name: "root", scopes: ["admin"]).secret
        )
        let result = try await body(storage, tokens, dataDirectory)
        try await storage.close()
        return result
    } catch {
        try? await storage.close()
        throw error
    }
}

/// An admin server on `127.0.0.1:8081` (never bound: tests run it in-process), with the
/// certificates and audit log of `storage` (revocation without a CA: ``StoredCertificateControl``).
func makeServer(
    _ storage: SQLiteCertificateStorage, state: RuntimeState?, certificates: (any CertificateControl)? = nil,
    expose: ExposeService? = nil
) -> AdminServer {
    var logger = Logger(label: "admin-tests")
    logger.logLevel = .critical
    return AdminServer(address: .tcp(host: "127.0.0.1", port: 8081), tokens: storage,
                       runtime: FixedRuntimeView(state: state),
                       certificates: certificates ?? StoredCertificateControl(storage: storage),
                       audit: StorageAuditTrail(storage: storage, nodeID: "test-node"), expose: expose,
                       dnsCredentials: TestDNSCredentialControl(storage: storage), logger: logger)
}

/// Headers with `Authorization: Bearer <token>` (none for `nil`) and any `extra`.
func headers(token: String?, _ extra: [String: String] = [:]) -> HTTPFields {
    var fields = HTTPFields()
    if let token { fields[.authorization] = "Bearer \(token)" }
    for (name, value) in extra { fields[.init(name)!] = value }
    return fields
}

/// The body of a response as JSON.
func json(_ response: TestResponse) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
}

/// The body as text.
func text(_ response: TestResponse) -> String {
    String(buffer: response.body)
}
