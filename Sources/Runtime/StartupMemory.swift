#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Proxy

/// Gives back, once the gateway has started, the memory that only starting needed.
///
/// Starting runs code that serving never runs again: parsing YAML and TOML, building the
/// routing tables, generating the default certificate, opening storage, the ACME client. The
/// kernel maps the pages of that code (and of the libraries it calls) into the process on first
/// touch, 64 KiB around each, and they stay counted in the process's RSS although serving never
/// touches them: about 20 MiB of the gateway's 45 MiB at rest, measured with `/proc/PID/smaps`.
///
/// After start-up, ``release(logger:)`` trims the heap (`malloc_trim`) and asks the kernel to
/// reclaim the pages of the process's read-only file mappings (`madvise(MADV_PAGEOUT)`: code,
/// constants, metadata). Those are clean copies of the files on disk, so nothing is lost: the
/// pages serving uses come back on their next touch, within the first requests. Writable
/// mappings and the heap's live data are never touched. Pages other processes also map are left
/// alone by the kernel.
///
/// `GATEHOUSE_RELEASE_STARTUP_MEMORY=false` turns it off, for example where the binary lives on
/// a slow network file system.
public enum StartupMemory {
    /// The environment variable that turns the release off (`false`, `0`, `no` or `off`).
    public static let environmentVariable = "GATEHOUSE_RELEASE_STARTUP_MEMORY"

    /// One mapping of the process, as `/proc/self/maps` lists it.
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
        var permissions: String
        var path: String

        /// A read-only mapping of a file: its pages are clean and can be read again from the file.
        var isReadOnlyFile: Bool {
            path.hasPrefix("/") && !permissions.contains("w") && permissions.hasPrefix("r")
        }
    }

    /// The read-only file mappings among `/proc/self/maps`-formatted `text`.
    static func readOnlyFileMappings(in text: String) -> [Mapping] {
        text.split(separator: "\n").compactMap { line -> Mapping? in
            // address perms offset dev inode [path]
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  end > start else { return nil }
            let path = fields[5].trimmingCharacters(in: .whitespaces)
            let mapping = Mapping(start: start, end: end, permissions: String(fields[1]), path: path)
            return mapping.isReadOnlyFile ? mapping : nil
        }
    }

    /// Whether `environment` leaves the release on (it is on unless turned off).
    static func isEnabled(_ environment: [String: String]) -> Bool {
        guard let value = environment[environmentVariable]?.lowercased() else { return true }
        return !["false", "0", "no", "off"].contains(value)
    }

    /// What one release did, in KiB of resident memory.
    public struct Outcome: Sendable {
        /// Resident file-backed and anonymous memory before and after.
        public var fileBefore: Int, fileAfter: Int, anonymousBefore: Int, anonymousAfter: Int
        /// How many mappings the kernel was asked to reclaim.
        public var mappings: Int
    }

    /// Trims the heap and asks the kernel to reclaim the read-only file mappings' pages, unless
    /// the environment turns it off. Logs what it gave back at debug level, and returns it.
    @discardableResult
    public static func release(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) -> Outcome? {
        #if os(Linux) && canImport(Glibc)
        guard isEnabled(environment) else {
            logger.debug("start-up memory kept", metadata: ["reason": "\(environmentVariable) is off"])
            return nil
        }
        let before = residentKiB()
        MemoryReclaimer.trimHeap()
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        var advised = 0
        for mapping in readOnlyFileMappings(in: maps) {
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), Int(mapping.end - mapping.start), madvisePageOut) == 0 {
                advised += 1
            }
        }
        let after = residentKiB()
        let outcome = Outcome(fileBefore: before.file, fileAfter: after.file, anonymousBefore: before.anonymous,
                              anonymousAfter: after.anonymous, mappings: advised)
        logger.debug("start-up memory released", metadata: [
            "fileKiB": "\(outcome.fileBefore) → \(outcome.fileAfter)",
            "anonymousKiB": "\(outcome.anonymousBefore) → \(outcome.anonymousAfter)",
            "mappings": "\(advised)",
        ])
        return outcome
        #else
        return nil
        #endif
    }

    /// `RssFile` and `RssAnon` of this process, in KiB (0 where unknown).
    static func residentKiB() -> (file: Int, anonymous: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        return (field("RssFile:", in: status), field("RssAnon:", in: status))
    }

    /// The number after `name` in `/proc/self/status`-formatted text.
    static func field(_ name: String, in status: String) -> Int {
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }

    #if os(Linux) && canImport(Glibc)
    /// `MADV_PAGEOUT` (Linux 5.4), which the Glibc module does not always export.
    private static let madvisePageOut: Int32 = 21
    #endif
}
