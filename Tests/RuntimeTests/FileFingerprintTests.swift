import Foundation
import Testing
@testable import Runtime

/// How the watcher tells one version of a file from another.
@Suite struct FileFingerprintTests {
    private func setModified(_ path: String, _ date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }

    @Test("a same-size rewrite within the same timestamp is still a change (content hash)")
    func sameSizeSameTime() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("a.yml", "value: 1\n")
        let now = Date()
        try setModified(path, now)
        let first = FileRead.read(path)
        try scratch.write("a.yml", "value: 2\n")
        try setModified(path, now)
        let second = FileRead.read(path, reusing: first)
        #expect(first.fingerprint.size == second.fingerprint.size)
        #expect(first.fingerprint.modified == second.fingerprint.modified)
        #expect(first.fingerprint != second.fingerprint)
        #expect(try second.content.get() == "value: 2\n")
    }

    @Test("a file whose size and time are unchanged and older than a second is not read again")
    func reuseOldUnchangedFile() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("a.yml", "value: 1\n")
        let old = Date(timeIntervalSinceNow: -10)
        try setModified(path, old)
        let first = FileRead.read(path)
        // Same size, time put back: only a re-read could notice, and the shortcut does not re-read.
        try scratch.write("a.yml", "value: 3\n")
        try setModified(path, old)
        #expect(try FileRead.read(path, reusing: first).content.get() == "value: 1\n")
        #expect(try FileRead.read(path).content.get() == "value: 3\n")
        // Any change of time makes it read the file again.
        try setModified(path, Date(timeIntervalSinceNow: -5))
        #expect(try FileRead.read(path, reusing: first).content.get() == "value: 3\n")
    }

    @Test("a missing file has the unreadable fingerprint and an io error naming it")
    func missingFile() throws {
        let read = FileRead.read("/nonexistent/gatehouse/dynamic.yml")
        #expect(read.fingerprint == .unreadable)
        #expect(throws: (any Error).self) { try read.content.get() }
        if case .failure(let error) = read.content {
            #expect(error.file == "/nonexistent/gatehouse/dynamic.yml")
        }
    }
}
