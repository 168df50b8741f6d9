import Foundation
import NIOCore

/// How many cores this process may run on, for the default number of event loops.
///
/// NIO's `System.coreCount` reads cgroup CPU quotas and cpusets but not the process's own
/// affinity mask, so a gateway started under `taskset -c 0` (or systemd's `CPUAffinity=`)
/// would run one event loop per core of the machine on its single core, and the loops would
/// take turns on it. Like Go's GOMAXPROCS, count the CPUs of the affinity mask, within NIO's
/// bound.
public enum UsableCores {
    /// The CPUs of the affinity mask, at most `System.coreCount`, at least one.
    public static var count: Int {
        let bound = System.coreCount
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let allowed = allowedCPUs(status: status), allowed > 0 {
            return max(1, min(bound, allowed))
        }
        return max(1, bound)
    }

    /// The number of CPUs in the `Cpus_allowed:` mask of a `/proc/<pid>/status` text (comma
    /// separated 32-bit hex words, e.g. `ff` or `00000000,00000003`); `nil` without one.
    static func allowedCPUs(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var count = 0
        for digit in line.dropFirst("Cpus_allowed:".count) where digit != "," && !digit.isWhitespace {
            guard let value = digit.hexDigitValue else { return nil }
            count += value.nonzeroBitCount
        }
        return count
    }
}
