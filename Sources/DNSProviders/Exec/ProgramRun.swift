import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with a time limit, keeping the tail of its standard error.
enum ProgramRun {
    /// How a run ended.
    struct Result: Sendable {
        enum Termination: Sendable, Hashable {
            case exit(Int32)
            case signal(Int32)
        }

        var termination: Termination
        /// True when the program was stopped for running too long.
        var timedOut: Bool
        /// The last lines of standard error (at most ``maximumErrorLines`` lines and
        /// ``maximumErrorBytes`` octets), joined with ` | `.
        var lastErrorLines: String
    }

    static let maximumErrorLines = 10
    static let maximumErrorBytes = 2048

    /// Why the program could not be started.
    struct SpawnError: Error, LocalizedError {
        var message: String
        var errorDescription: String? { self.message }
    }

    /// Starts `path` with `arguments`, the current environment, no input, standard output
    /// discarded, in a process group of its own; stops the group with SIGTERM (then SIGKILL 2 s
    /// later) once `timeout` has passed.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`, which on Linux learns of the
    /// end of a program through a descriptor the program's children inherit: a hook that
    /// leaves a daemon or a `sleep &` behind would hold the run until that child exits.
    /// - Throws: ``SpawnError`` when the program cannot be started (missing, not executable).
    static func run(_ path: String, arguments: [String], timeout: Duration) async throws -> Result {
        // Standard error goes to a temporary file, read when the program has ended.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-exec-\(UUID().uuidString).stderr").path
        defer { try? FileManager.default.removeItem(atPath: errorPath) }

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, path, &fileActions, &attributes, argv, environ)
        // ETXTBSY: the program was just written and another fork still holds it open for
        // writing for a moment; try again briefly.
        for _ in 0..<20 where spawned == ETXTBSY {
            try? await Task.sleep(for: .milliseconds(50))
            spawned = posix_spawn(&pid, path, &fileActions, &attributes, argv, environ)
        }
        guard spawned == 0 else {
            throw SpawnError(message: String(cString: strerror(spawned)))
        }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var status: Int32 = 0
        var timedOut = false
        var killAt: ContinuousClock.Instant? = nil
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            let now = clock.now
            if !timedOut, now >= deadline || Task.isCancelled {
                timedOut = true
                kill(-pid, SIGTERM)
                killAt = now + .seconds(2)
            } else if let at = killAt, now >= at {
                kill(-pid, SIGKILL)
                killAt = nil
            }
            try? await Task.sleep(for: .milliseconds(20))
        }

        let tail = Tail(limit: 16 * 1024)
        if let reader = FileHandle(forReadingAtPath: errorPath) {
            let size = (try? reader.seekToEnd()) ?? 0
            try? reader.seek(toOffset: size > 16 * 1024 ? size - 16 * 1024 : 0)
            if let data = try? reader.readToEnd() { tail.append(data) }
            try? reader.close()
        }
        let signal = status & 0x7F
        let termination: Result.Termination = signal == 0 ? .exit((status >> 8) & 0xFF) : .signal(signal)
        return Result(termination: termination, timedOut: timedOut, lastErrorLines: tail.lastLines())
    }

    /// The last octets written, bounded.
    final class Tail: Sendable {
        private let bytes = Mutex(Data())
        private let limit: Int

        init(limit: Int) {
            self.limit = limit
        }

        func append(_ data: Data) {
            self.bytes.withLock { bytes in
                bytes.append(data)
                if bytes.count > self.limit { bytes = bytes.suffix(self.limit) }
            }
        }

        func lastLines() -> String {
            let text = String(decoding: self.bytes.withLock { $0 }, as: UTF8.self)
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var joined = lines.suffix(ProgramRun.maximumErrorLines).joined(separator: " | ")
            if joined.utf8.count > ProgramRun.maximumErrorBytes {
                joined = "…" + String(decoding: Array(joined.utf8).suffix(ProgramRun.maximumErrorBytes), as: UTF8.self)
            }
            return joined
        }
    }
}
