import DNS
import Foundation
import Testing

@testable import DNSProviders

/// The exec provider with real shell scripts in a temporary directory.
@Suite struct ExecTests {
    /// A script in a new temporary directory, made executable.
    private func script(_ body: String) throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("hook.sh").path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (path, directory)
    }

    private let record = ChallengeRecord(
        name: try! DomainName("_acme-challenge.example.com"), value: "abc-value", zone: try! DomainName("example.com")
    )

    @Test func calledWithActionFQDNWithDotAndValue() async throws {
        let (path, directory) = try self.script("echo \"$1 $2 $3\" >> \"$(dirname \"$0\")/calls\"\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = ExecProvider(program: path)
        try await provider.present(self.record)
        try await provider.cleanUp(self.record)
        let calls = try String(contentsOf: directory.appendingPathComponent("calls"), encoding: .utf8)
        #expect(calls == "present _acme-challenge.example.com. abc-value\ncleanup _acme-challenge.example.com. abc-value\n")
        #expect(!provider.needsZone)
    }

    @Test func nonZeroExitCarriesStatusAndLastStderrLines() async throws {
        let lines = (1...30).map { "echo line-\($0) >&2" }.joined(separator: "\n")
        let (path, directory) = try self.script(lines + "\necho 'zone example.com: key rejected' >&2\nexit 3\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try await ExecProvider(program: path).present(self.record)
            Issue.record("a failing hook succeeded")
        } catch let error as DNSProviderError {
            #expect(error.kind == .rejected)
            #expect(error.status == 3)
            #expect(error.detail.contains("exited with status 3"))
            #expect(error.detail.contains("zone example.com: key rejected"))
            #expect(error.detail.contains("line-30"))
            #expect(!error.detail.contains("line-5 "), "only the last lines are kept: \(error.detail)")
        }
    }

    @Test func programRunningTooLongIsStopped() async throws {
        let (path, directory) = try self.script("trap '' TERM\necho starting >&2\nsleep 30\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await ExecProvider(program: path, timeout: .milliseconds(300)).present(self.record)
            Issue.record("a hung hook succeeded")
        } catch let error as DNSProviderError {
            #expect(error.detail.contains("did not finish"))
            #expect(error.detail.contains("starting"))
        }
        #expect(clock.now - started < .seconds(10))
    }

    @Test func backgroundChildHoldingThePipeDoesNotHoldTheRun() async throws {
        let (path, directory) = try self.script("sleep 30 &\necho $! > \"$(dirname \"$0\")/child\"\nexit 0\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ContinuousClock()
        let started = clock.now
        try await ExecProvider(program: path).present(self.record)
        #expect(clock.now - started < .seconds(10))
        // The test stops the child it caused.
        let child = try String(contentsOf: directory.appendingPathComponent("child"), encoding: .utf8)
        if let pid = Int32(child.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
    }

    @Test func missingProgramIsAConfigurationError() async throws {
        do {
            try await ExecProvider(program: "/nonexistent/hook").present(self.record)
            Issue.record("a missing hook succeeded")
        } catch let error as DNSProviderError {
            #expect(error.kind == .configuration)
            #expect(error.detail.contains("/nonexistent/hook"))
        }
    }

    @Test func rawModeIsRefusedClearly() throws {
        do {
            _ = try ExecProvider.kind.make(DNSCredentials(["EXEC_PATH": "/bin/true", "EXEC_MODE": "RAW"], environment: [:]), DNSProviderContext())
            Issue.record("RAW accepted")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.detail.contains("EXEC_MODE=RAW is not supported"))
        }
        do {
            _ = try ExecProvider.kind.make(DNSCredentials([:], environment: [:]), DNSProviderContext())
            Issue.record("no EXEC_PATH accepted")
        } catch {
            #expect(error.detail.contains("EXEC_PATH"))
        }
    }
}
