import Crypto
import Foundation
import Logging
import SwiftASN1
import X509
@testable import ACME

/// A real pebble (Let's Encrypt's ACME test server) and pebble-challtestsrv (its DNS), started
/// for one test on free loopback ports, with this test's own challenge servers on pebble's
/// HTTP-01 and TLS-ALPN-01 ports. ``stop()`` ends every process and server it started.
final class PebbleHarness {
    static let pebblePath = "/usr/bin/pebble"
    static let challtestsrvPath = "/usr/bin/pebble-challtestsrv"

    /// Whether the binaries are here. Under `CI=true` a missing binary fails the tests (the
    /// suite stays enabled and ``start(_:)`` throws); elsewhere the suite is skipped.
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: pebblePath) && FileManager.default.isExecutableFile(atPath: challtestsrvPath)
    }

    static var runsUnderCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    struct Options: Sendable {
        /// `PEBBLE_WFE_NONCEREJECT`: percent of good nonces refused. Pebble's default is 5.
        var nonceReject = 5
        /// `PEBBLE_AUTHZREUSE`: percent of valid authorizations reused. Pebble's default is 50.
        var authorizationReuse: Int? = nil
        /// `PEBBLE_ALTERNATE_ROOTS`: number of extra root chains.
        var alternateRoots: Int? = nil
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let directoryURL: String
    let managementURL: String
    let challtestsrvURL: String
    let listenerRoot: Certificate
    let transport: ACMEHTTPClientTransport
    let store: ChallengeStore
    let workDirectory: URL
    private let pebble: Process
    private let challtestsrv: Process
    private let http01: HTTP01Server
    private let tlsALPN01: TLSALPN01Server

    private init(
        directoryURL: String, managementURL: String, challtestsrvURL: String, listenerRoot: Certificate,
        transport: ACMEHTTPClientTransport, store: ChallengeStore, workDirectory: URL,
        pebble: Process, challtestsrv: Process, http01: HTTP01Server, tlsALPN01: TLSALPN01Server
    ) {
        self.directoryURL = directoryURL
        self.managementURL = managementURL
        self.challtestsrvURL = challtestsrvURL
        self.listenerRoot = listenerRoot
        self.transport = transport
        self.store = store
        self.workDirectory = workDirectory
        self.pebble = pebble
        self.challtestsrv = challtestsrv
        self.http01 = http01
        self.tlsALPN01 = tlsALPN01
    }

    /// Runs `body` with a started harness and stops everything afterwards, also on failure.
    static func with<T>(_ options: Options = Options(), _ body: (PebbleHarness) async throws -> T) async throws -> T {
        let harness = try await PebbleHarness.start(options)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            let log = harness.pebbleLog()
            await harness.stop()
            throw Failure(description: "\(error)\n--- pebble log (last lines) ---\n\(log)")
        }
    }

    static func start(_ options: Options) async throws -> PebbleHarness {
        guard isAvailable else {
            throw Failure(description: "pebble is not installed (\(pebblePath), \(challtestsrvPath)); apt-get install -y pebble")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-pebble-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        // pebble ships no certificate for its own HTTPS listener: make a root and a leaf.
        let (root, leafPEM, leafKeyPEM) = try makeListenerCertificate()
        try leafPEM.write(to: work.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        try leafKeyPEM.write(to: work.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)

        let acmePort = try LoopbackPorts.free()
        let managementPort = try LoopbackPorts.free()
        let httpPort = try LoopbackPorts.free()
        let tlsPort = try LoopbackPorts.free()
        let dnsPort = try LoopbackPorts.free(udp: true)
        let challtestsrvPort = try LoopbackPorts.free()
        let config = """
            {"pebble": {
              "listenAddress": "127.0.0.1:\(acmePort)",
              "managementListenAddress": "127.0.0.1:\(managementPort)",
              "certificate": "\(work.path)/cert.pem",
              "privateKey": "\(work.path)/key.pem",
              "httpPort": \(httpPort),
              "tlsPort": \(tlsPort),
              "ocspResponderURL": "",
              "externalAccountBindingRequired": false
            }}
            """
        try config.write(to: work.appendingPathComponent("pebble.json"), atomically: true, encoding: .utf8)

        let store = ChallengeStore()
        let http01 = try await HTTP01Server.start(port: httpPort, store: store)
        let tlsALPN01: TLSALPN01Server
        do {
            tlsALPN01 = try await TLSALPN01Server.start(port: tlsPort, store: store)
        } catch {
            await http01.stop()
            throw error
        }

        let challtestsrv = Process()
        challtestsrv.executableURL = URL(fileURLWithPath: challtestsrvPath)
        challtestsrv.arguments = [
            "-dns01", "127.0.0.1:\(dnsPort)", "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-management", "127.0.0.1:\(challtestsrvPort)", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
        ]
        challtestsrv.standardOutput = try logFile(work, "challtestsrv.log")
        challtestsrv.standardError = challtestsrv.standardOutput

        let pebble = Process()
        pebble.executableURL = URL(fileURLWithPath: pebblePath)
        pebble.arguments = ["-config", work.appendingPathComponent("pebble.json").path, "-dnsserver", "127.0.0.1:\(dnsPort)"]
        var environment = ProcessInfo.processInfo.environment
        environment["PEBBLE_VA_NOSLEEP"] = "1"
        environment["PEBBLE_WFE_NONCEREJECT"] = "\(options.nonceReject)"
        if let reuse = options.authorizationReuse { environment["PEBBLE_AUTHZREUSE"] = "\(reuse)" }
        if let roots = options.alternateRoots { environment["PEBBLE_ALTERNATE_ROOTS"] = "\(roots)" }
        pebble.environment = environment
        pebble.standardOutput = try logFile(work, "pebble.log")
        pebble.standardError = pebble.standardOutput

        var transportConfiguration = ACMEHTTPClientTransport.Configuration(trustRoots: .only([root]))
        transportConfiguration.requestTimeout = .seconds(10)
        let transport = try ACMEHTTPClientTransport(configuration: transportConfiguration, logger: Logger(label: "test.pebble"))
        let harness = PebbleHarness(
            directoryURL: "https://127.0.0.1:\(acmePort)/dir",
            managementURL: "https://127.0.0.1:\(managementPort)",
            challtestsrvURL: "http://127.0.0.1:\(challtestsrvPort)",
            listenerRoot: root, transport: transport, store: store, workDirectory: work,
            pebble: pebble, challtestsrv: challtestsrv, http01: http01, tlsALPN01: tlsALPN01
        )
        do {
            try challtestsrv.run()
            try pebble.run()
            try await LoopbackPorts.waitUntilListening([challtestsrvPort, dnsPort], timeout: .seconds(10), what: "pebble-challtestsrv")
            try await LoopbackPorts.waitUntilListening([acmePort, managementPort], timeout: .seconds(15), what: "pebble")
        } catch {
            await harness.stop()
            throw error
        }
        return harness
    }

    /// Ends both processes (SIGTERM, then SIGKILL after 2 s), the challenge servers and the
    /// HTTP client, and removes the work directory.
    func stop() async {
        for process in [self.pebble, self.challtestsrv] where process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(2)
            while process.isRunning, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        await self.http01.stop()
        await self.tlsALPN01.stop()
        try? await self.transport.shutdown()
        try? FileManager.default.removeItem(at: self.workDirectory)
    }

    /// The last lines pebble wrote, for failure messages.
    func pebbleLog(lines: Int = 30) -> String {
        let text = (try? String(contentsOf: self.workDirectory.appendingPathComponent("pebble.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: - Management interfaces

    /// A GET on pebble's management port.
    func management(_ path: String) async throws -> ACMEHTTPResponse {
        let response = try await self.transport.send(ACMEHTTPRequest(method: .get, url: self.managementURL + path))
        guard response.isSuccess else {
            throw Failure(description: "GET \(path) on pebble's management port: HTTP \(response.status)")
        }
        return response
    }

    /// pebble's issuing intermediate (`/intermediates/<index>`) or root (`/roots/<index>`).
    func managementCertificate(_ path: String) async throws -> Certificate {
        let body = try await self.management(path).body
        return try Certificate(pemEncoded: String(decoding: body, as: UTF8.self))
    }

    /// `/cert-status-by-serial/<hex>`: pebble's record of a certificate, e.g. `Status`.
    func certificateStatus(_ certificate: Certificate) async throws -> [String: Any] {
        let hex = certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined()
        let trimmed = String(hex.drop { $0 == "0" })
        let body = try await self.management("/cert-status-by-serial/\(trimmed.isEmpty ? "0" : trimmed)").body
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw Failure(description: "cert-status-by-serial answered no JSON object")
        }
        return object
    }

    /// pebble-challtestsrv's management API, for DNS-01 answers.
    var dns: ChalltestsrvClient {
        ChalltestsrvClient(url: self.challtestsrvURL, transport: self.transport)
    }

    /// A solver that answers through this harness's servers and DNS.
    func solver(types: Set<ACMEChallenge.ChallengeType>) -> PebbleSolver {
        PebbleSolver(types: types, store: self.store, dns: self.dns)
    }

    // MARK: - Set-up helpers

    private static func logFile(_ directory: URL, _ name: String) throws -> FileHandle {
        let url = directory.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return try FileHandle(forWritingTo: url)
    }

    /// A root CA and a leaf for `localhost` / `127.0.0.1` signed by it, for pebble's listener.
    private static func makeListenerCertificate() throws -> (root: Certificate, leafPEM: String, leafKeyPEM: String) {
        let rootKey = P256.Signing.PrivateKey()
        let rootName = try DistinguishedName { CommonName("Gatehouse pebble listener test root") }
        let now = Date()
        let root = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(rootKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: rootName, subject: rootName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(rootKey)
        )
        let leafKey = P256.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: rootName, subject: try DistinguishedName { CommonName("localhost") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(rootKey)
        )
        return (root, try leaf.serializeAsPEM().pemString + "\n", leafKey.pemRepresentation)
    }
}
