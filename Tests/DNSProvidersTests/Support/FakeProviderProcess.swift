import DNS
import Foundation

/// A provider API fake from tests/integration/dnsfakes/, run as a child process for one test.
///
/// The fake follows its provider's documented contract and serves the TXT records it is asked
/// to create over DNS at ``dnsAddress``.
final class FakeProviderProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    let url: String
    /// The fake's authoritative DNS server for its zones.
    let dnsAddress: DNSAddress
    private let process: Process
    private let input: Pipe

    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository's root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts `tests/integration/dnsfakes/<name>.py` serving `zones`, accepting `credentials`.
    ///
    /// The wait for the fake's first line happens on a Dispatch thread: a blocking read on the
    /// concurrency pool's few threads would starve the other tests running in parallel.
    init(_ name: String, zones: [String], credentials: [String: String] = [:]) async throws {
        let script = Self.repositoryRoot.appendingPathComponent("tests/integration/dnsfakes/\(name).py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--zones", zones.joined(separator: ",")]
            + credentials.sorted { $0.key < $1.key }.flatMap { ["--credential", "\($0.key)=\($0.value)"] }
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // The first line is {"http": PORT, "dns": PORT, "url": "..."}.
        let reader = output.fileHandleForReading
        let line: Data = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var line = Data()
                while true {
                    let byte = reader.readData(ofLength: 1)
                    if byte.isEmpty || byte == Data("\n".utf8) { break }
                    line.append(byte)
                }
                continuation.resume(returning: line)
            }
        }
        struct Ports: Decodable { let dns: Int; let url: String }
        guard let ports = try? JSONDecoder().decode(Ports.self, from: line) else {
            process.terminate()
            throw LaunchError(description: "fake \(name) did not start (is python3 installed?): \(String(decoding: line, as: UTF8.self))")
        }
        self.url = ports.url
        self.dnsAddress = DNSAddress(host: "127.0.0.1", port: ports.dns)
        self.process = process
        self.input = input
    }

    /// Stops the fake: closing its stdin ends it (not waited for, so no thread blocks).
    func stop() {
        try? input.fileHandleForWriting.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
