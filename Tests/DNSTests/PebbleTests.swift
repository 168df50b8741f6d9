import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import DNS

/// A real ACME validator reads challenge records from the built-in server: pebble, pointed at
/// it with `-dnsserver`, validates DNS-01 for an apex and a wildcard name in one order, with
/// lego as the ACME client, while another value sits on the same name. lego's `exec` provider
/// hands each record to this test through a file; the test publishes it in the store.
@Suite(.serialized) struct PebbleTests {
    /// The paths of pebble, lego and openssl, or `nil` to skip (a failure under CI=true).
    private static func tools() throws -> (pebble: String, lego: String, openssl: String)? {
        func find(_ name: String) -> String? {
            ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        let pebble = find("pebble")
        let lego = find("lego")
        let openssl = find("openssl")
        if let pebble, let lego, let openssl {
            return (pebble, lego, openssl)
        }
        let missing = [("pebble", pebble), ("lego", lego), ("openssl", openssl)].filter { $0.1 == nil }.map(\.0)
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            throw TestSupportError(description: "missing \(missing) (Debian packages pebble, lego, openssl) and CI=true")
        }
        print("skipping: \(missing.joined(separator: ", ")) not installed")
        return nil
    }

    /// A TCP port free right now on 127.0.0.1.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    private static func run(_ path: String, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError(description: "\(path) \(arguments) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }

    /// Waits until something accepts TCP connections on the port.
    private static func waitForListener(port: Int, process: Process, log: URL) async throws {
        for _ in 0..<100 {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw TestSupportError(description: "pebble did not start listening on \(port): \(output)")
    }

    @Test func pebbleValidatesApexAndWildcardThroughTheServer() async throws {
        guard let tools = try Self.tools() else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-dns-pebble-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // pebble has no certificate for its own listener: make one.
        try Self.run(
            tools.openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            in: directory
        )
        let acmePort = try await Self.freePort()
        let config = """
            {"pebble": {"listenAddress": "127.0.0.1:\(acmePort)", "managementListenAddress": "127.0.0.1:\(try await Self.freePort())",
             "certificate": "cert.pem", "privateKey": "key.pem", "httpPort": \(try await Self.freePort()), "tlsPort": \(try await Self.freePort()),
             "ocspResponderURL": "", "externalAccountBindingRequired": false}}
            """
        try config.write(to: directory.appendingPathComponent("pebble.json"), atomically: true, encoding: .utf8)

        // lego's exec provider: `script present|cleanup FQDN VALUE`. It logs the request and
        // waits for the test to acknowledge it, so the record is served before lego goes on.
        let script = directory.appendingPathComponent("hook.sh")
        try """
            #!/bin/sh
            id="$(date +%s%N)-$$"
            echo "$1 $2 $3 $id" >> "\(directory.path)/requests"
            i=0
            while [ ! -e "\(directory.path)/ack.$id" ]; do
              i=$((i+1)); [ $i -gt 400 ] && exit 1
              sleep 0.05
            done
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)

        try await withServer { server, records in
            // Another order's value on the same name: the validator must pick the right one of
            // two, as for an apex and a wildcard validated together.
            let zone = try name("_acme-challenge.gatehouse-dns.test")
            records.add("another-orders-value", for: zone)
            let pebbleLog = directory.appendingPathComponent("pebble.log")
            _ = FileManager.default.createFile(atPath: pebbleLog.path, contents: nil)
            let pebble = Process()
            pebble.executableURL = URL(fileURLWithPath: tools.pebble)
            pebble.arguments = ["-config", "pebble.json", "-dnsserver", "127.0.0.1:\(server.port)"]
            pebble.currentDirectoryURL = directory
            pebble.environment = ["PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"]
            let pebbleOutput = try FileHandle(forWritingTo: pebbleLog)
            pebble.standardOutput = pebbleOutput
            pebble.standardError = pebbleOutput
            try pebble.run()
            defer {
                pebble.terminate()
                pebble.waitUntilExit()
            }
            try await Self.waitForListener(port: acmePort, process: pebble, log: pebbleLog)

            let lego = Process()
            lego.executableURL = URL(fileURLWithPath: tools.lego)
            lego.arguments = [
                "--server", "https://127.0.0.1:\(acmePort)/dir", "--accept-tos", "--email", "dns-test@example.test",
                "--path", directory.appendingPathComponent("lego").path,
                "--domains", "gatehouse-dns.test", "--domains", "*.gatehouse-dns.test",
                "--dns", "exec", "--dns.disable-cp", "--dns.resolvers", "127.0.0.1:\(server.port)",
                "run",
            ]
            lego.currentDirectoryURL = directory
            lego.environment = [
                "LEGO_CA_CERTIFICATES": directory.appendingPathComponent("cert.pem").path,
                "EXEC_PATH": script.path,
                // lego solves DNS-01 one authorization at a time, waiting this long in between.
                "EXEC_SEQUENCE_INTERVAL": "1",
                "EXEC_POLLING_INTERVAL": "1",
                "EXEC_PROPAGATION_TIMEOUT": "30",
                "PATH": "/usr/bin:/bin",
            ]
            let legoPipe = Pipe()
            lego.standardOutput = legoPipe
            lego.standardError = legoPipe
            try lego.run()
            let legoOutput = Task.detached { legoPipe.fileHandleForReading.readDataToEndOfFile() }

            // Serve what lego asks for until it exits.
            var handled = 0
            var mostValuesAtOnce = 0
            let requests = directory.appendingPathComponent("requests")
            let deadline = ContinuousClock.now + .seconds(60)
            while lego.isRunning, ContinuousClock.now < deadline {
                let lines = ((try? String(contentsOf: requests, encoding: .utf8)) ?? "").split(separator: "\n")
                for line in lines.dropFirst(handled) {
                    let fields = line.split(separator: " ").map(String.init)
                    guard fields.count == 4 else { continue }
                    let owner = try name(fields[1])
                    if fields[0] == "present" {
                        records.add(fields[2], for: owner, expiresAfter: .seconds(300))
                    } else {
                        records.remove(fields[2], for: owner)
                    }
                    mostValuesAtOnce = max(mostValuesAtOnce, records.values(for: owner).count)
                    _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("ack.\(fields[3])").path, contents: nil)
                    handled += 1
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            if lego.isRunning { lego.terminate() }
            lego.waitUntilExit()
            let output = String(decoding: await legoOutput.value, as: UTF8.self)

            #expect(lego.terminationStatus == 0, "lego: \(output)\npebble: \((try? String(contentsOf: pebbleLog, encoding: .utf8)) ?? "")")
            let certificate = directory.appendingPathComponent("lego/certificates/gatehouse-dns.test.crt")
            #expect(FileManager.default.fileExists(atPath: certificate.path), "\(output)")
            #expect(handled == 4, "two presents and two cleanups: \(output)")
            #expect(mostValuesAtOnce == 2, "lego's value next to the other order's")
            #expect(records.values(for: zone) == ["another-orders-value"], "cleanup removed lego's values only")
        }
    }
}
