import Foundation
import Synchronization
import Testing
@testable import Storage

/// Errors raised by the helpers, so a failing helper says what it was doing.
struct TestSupportError: Error, CustomStringConvertible {
    var description: String
}

/// A clock the test moves by hand; shared by storages that must agree on "now".
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.now } }
}

/// A fresh temporary directory (removed afterwards); `body` gets a data directory path inside it
/// that does not exist yet, so the storage creates it.
func withDataDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("gatehouse-storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    return try await body(root.appendingPathComponent("data").path)
}

/// A key given in the environment, so tests do not depend on the caller's environment.
let testEnvironmentKey = Data((0..<32).map { UInt8($0 * 7 + 3) }).base64EncodedString()

/// Opens the storage in `directory`, runs `body`, and closes it whether `body` throws or not.
@discardableResult
func withStorage<T>(
    in directory: String,
    environment: [String: String] = [:],
    clock: TestClock? = nil,
    _ body: (SQLiteCertificateStorage) async throws -> T
) async throws -> T {
    var now: @Sendable () -> Date = { Date() }
    if let clock { now = clock.function }
    let storage = try await SQLiteCertificateStorage.open(dataDirectory: directory, environment: environment, clock: now)
    do {
        let result = try await body(storage)
        try await storage.close()
        return result
    } catch {
        try? await storage.close()
        throw error
    }
}

/// The permission bits of `path`, from stat(2).
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    guard let mode = attributes[.posixPermissions] as? NSNumber else {
        throw TestSupportError(description: "no permissions for \(path)")
    }
    return mode.intValue & 0o7777
}

/// Every byte of every file in `directory` (the database, its -wal and -shm files, the key file).
func allFileBytes(in directory: String) throws -> [(String, [UInt8])] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { name in
        let path = (directory as NSString).appendingPathComponent(name)
        return (name, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

/// Whether `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return true
        }
        index += 1
    }
    return false
}

/// A whole-second date (storage keeps milliseconds, so these round-trip exactly).
func date(_ secondsSince1970: TimeInterval) -> Date {
    Date(timeIntervalSince1970: secondsSince1970)
}

// MARK: - openssl

/// Whether an openssl test may run: openssl is present, or CI=true (then a missing openssl
/// fails the test instead of skipping it).
let opensslUsable: Bool = {
    if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
    return findExecutable("openssl") != nil
}()

func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Runs `openssl` with `arguments` in `directory`; throws with its stderr when it fails, and
/// when openssl is missing (which only happens here under CI=true).
@discardableResult
func openssl(_ arguments: [String], in directory: String) throws -> String {
    guard let executable = findExecutable("openssl") else {
        throw TestSupportError(description: "openssl is required by this test (CI=true) but is not installed")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSupportError(
            description: "openssl \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
                + String(decoding: err, as: UTF8.self)
        )
    }
    return String(decoding: out, as: UTF8.self)
}
