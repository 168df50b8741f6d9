import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import DNS

/// Errors raised by the helpers, so a failing helper says what it was doing.
struct TestSupportError: Error, CustomStringConvertible {
    var description: String
}

/// A name from a literal the test wrote; a bad literal fails the test.
func name(_ text: String) throws -> DomainName {
    try DomainName(text)
}

/// Octets written as hex pairs, spaces allowed: `"00 01 c0 0c"`.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// A name in uncompressed wire form.
func wireName(_ labels: String...) -> [UInt8] {
    var bytes: [UInt8] = []
    for label in labels {
        bytes.append(UInt8(label.utf8.count))
        bytes += Array(label.utf8)
    }
    return bytes + [0]
}

func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}

/// A 12-octet header.
func header(id: UInt16 = 0x1234, flags: UInt16 = 0x0100, qd: UInt16 = 1, an: UInt16 = 0, ns: UInt16 = 0, ar: UInt16 = 0) -> [UInt8] {
    [id, flags, qd, an, ns, ar].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
}

func uint16(_ value: UInt16) -> [UInt8] {
    [UInt8(value >> 8), UInt8(value & 0xFF)]
}

func uint32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// A logger that prints info and above; the server's debug lines stay quiet in test output.
let testLogger: Logger = {
    var logger = Logger(label: "gatehouse.dns.tests")
    logger.logLevel = .info
    return logger
}()

/// A deterministic pseudo-random generator (SplitMix64), so a fuzz failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - A server on loopback

/// Starts a server on 127.0.0.1 with a port chosen by the system, runs `body`, and stops the
/// server whatever `body` does.
func withServer<T>(
    records: DNSChallengeRecords = DNSChallengeRecords(),
    configuration: DNSServer.Configuration = DNSServer.Configuration(nameServer: try! DomainName("ns.gatehouse.test")),
    _ body: (DNSServer, DNSChallengeRecords) async throws -> T
) async throws -> T {
    let server = try await DNSServer.start(
        address: DNSAddress(host: "127.0.0.1", port: 0), records: records, configuration: configuration,
        logger: testLogger, on: MultiThreadedEventLoopGroup.singleton
    )
    do {
        let result = try await body(server, records)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

// MARK: - dig

/// Where dig is, or `nil`. Under CI=true a missing dig fails the calling test; elsewhere the
/// test is skipped with a message.
func digPath() throws -> String? {
    for path in ["/usr/bin/dig", "/usr/local/bin/dig", "/bin/dig"] where FileManager.default.isExecutableFile(atPath: path) {
        return path
    }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        throw TestSupportError(description: "dig is not installed (Debian package dnsutils) and CI=true")
    }
    print("skipping: dig is not installed (apt-get install -y dnsutils)")
    return nil
}

/// What dig printed, split into the parts tests look at.
struct DigResult: CustomStringConvertible {
    var output: String
    /// `NOERROR`, `NXDOMAIN`, … from the `->>HEADER<<-` line.
    var status: String?
    /// The header flags, such as `["qr", "aa"]`.
    var flags: Set<String>
    /// Record lines of the answer section.
    var answers: [String]
    /// Record lines of the authority section.
    var authority: [String]
    /// Whether dig printed an OPT pseudo-section.
    var hasOPT: Bool

    /// The TXT values in the answer section, quotes removed.
    var txtValues: [String] {
        self.answers.compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 5, fields[3] == "TXT" else { return nil }
            return fields[4...].joined(separator: " ").replacingOccurrences(of: "\" \"", with: "").replacingOccurrences(of: "\"", with: "")
        }
    }

    var description: String { self.output }

    init(output: String) {
        self.output = output
        self.flags = []
        self.answers = []
        self.authority = []
        self.hasOPT = false
        var section = ""
        for line in output.split(separator: "\n").map(String.init) {
            if line.contains("->>HEADER<<-"), let range = line.range(of: "status: ") {
                self.status = String(line[range.upperBound...].prefix { $0 != "," })
            } else if line.hasPrefix(";; flags:") {
                let text = line.dropFirst(";; flags:".count).prefix { $0 != ";" }
                self.flags = Set(text.split(separator: " ").map(String.init))
            } else if line.hasPrefix(";; OPT PSEUDOSECTION") {
                self.hasOPT = true
            } else if line.hasPrefix(";; ") && line.hasSuffix("SECTION:") {
                section = line
            } else if !line.hasPrefix(";"), !line.isEmpty {
                // Fields are separated by tabs and spaces; keep one space.
                let record = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                if section.contains("ANSWER") { self.answers.append(record) }
                if section.contains("AUTHORITY") { self.authority.append(record) }
            }
        }
    }
}

/// Runs dig against the server and returns what it printed.
func dig(_ dig: String, server: DNSServer, _ arguments: [String]) throws -> DigResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dig)
    process.arguments = ["@127.0.0.1", "-p", "\(server.port)", "+time=3", "+tries=1", "+norecurse"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw TestSupportError(description: "dig \(arguments) exited with \(process.terminationStatus): \(output)")
    }
    return DigResult(output: output)
}
