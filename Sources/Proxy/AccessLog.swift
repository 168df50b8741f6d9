#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOConcurrencyHelpers
import Routing
import Synchronization

/// One served request, as the access log records it.
public struct AccessLogRecord: Sendable {
    public var clientHost: String
    public var clientPort: Int
    /// Wall-clock start, seconds and nanoseconds since the epoch.
    public var startSeconds: Int
    public var startNanoseconds: Int
    public var method: String
    public var path: String
    public var proto: String
    public var scheme: String
    public var host: String
    public var status: Int
    public var originStatus: Int
    public var downstreamSize: Int
    public var requestSize: Int
    public var referer: String
    public var userAgent: String
    public var routerName: String
    public var serviceName: String
    public var serviceURL: String
    public var serviceAddr: String
    public var durationNanoseconds: Int64
    public var entryPoint: String
}

/// The access log format: Traefik's `common` (CLF with router, server URL and duration) or `json`.
public enum AccessLogFormat: String, Sendable {
    case common
    case json
}

/// A buffered access log writer. Request handlers only append a record under a short lock; a
/// background thread formats and writes the records every 100 ms, so no file I/O happens on an
/// event loop.
public final class AccessLog: Sendable {
    private let format: AccessLogFormat
    private let fd: Int32
    private let ownsFD: Bool
    private let pending = NIOLockedValueBox<[AccessLogRecord]>([])
    private let requestCount = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let stopped = ConditionLock(value: false)

    /// Opens (appends to, creating 0640) `path`, or standard output when `path` is nil or empty.
    public init(path: String?, format: AccessLogFormat) throws {
        self.format = format
        if let path, !path.isEmpty {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                throw AccessLogError(path: path, reason: String(cString: strerror(errno)))
            }
            self.fd = fd
            self.ownsFD = true
        } else {
            self.fd = STDOUT_FILENO
            self.ownsFD = false
        }
        let thread = Thread { [self] in self.run() }
        thread.name = "gatehouse-accesslog"
        thread.start()
    }

    /// Queues a record; it is written within about 100 ms.
    public func append(_ record: AccessLogRecord) {
        pending.withLockedValue { $0.append(record) }
    }

    /// Writes what is queued and stops the writer thread.
    public func close() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        stopped.lock(whenValue: true)
        stopped.unlock()
        if ownsFD { Glibc.close(fd) }
    }

    private func run() {
        while running.load(ordering: .acquiring) {
            usleep(100_000)
            drain()
        }
        drain()
        stopped.lock()
        stopped.unlock(withValue: true)
    }

    private func drain() {
        let records = pending.withLockedValue { records -> [AccessLogRecord] in
            let out = records
            records.removeAll(keepingCapacity: true)
            return out
        }
        guard !records.isEmpty else { return }
        var text = ""
        text.reserveCapacity(records.count * 256)
        for record in records {
            let count = requestCount.wrappingAdd(1, ordering: .relaxed).newValue
            switch format {
            case .common: text += Self.common(record, count: count)
            case .json: text += Self.json(record, count: count)
            }
            text += "\n"
        }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
        bytes.removeAll()
    }

    static func common(_ r: AccessLogRecord, count: Int) -> String {
        let ms = r.durationNanoseconds / 1_000_000
        let size = r.downstreamSize
        return "\(r.clientHost) - - [\(clfDate(r.startSeconds))] \"\(r.method) \(r.path) \(r.proto)\" \(r.status) \(size) "
            + "\"\(r.referer.isEmpty ? "-" : r.referer)\" \"\(r.userAgent.isEmpty ? "-" : r.userAgent)\" \(count) "
            + "\"\(r.routerName.isEmpty ? "-" : r.routerName)\" \"\(r.serviceURL.isEmpty ? "-" : r.serviceURL)\" \(ms)ms"
    }

    static func json(_ r: AccessLogRecord, count: Int) -> String {
        var fields: [(String, String)] = []
        func s(_ k: String, _ v: String) { fields.append((k, jsonString(v))) }
        func n(_ k: String, _ v: some BinaryInteger) { fields.append((k, String(v))) }
        s("ClientAddr", r.clientHost.contains(":") ? "[\(r.clientHost)]:\(r.clientPort)" : "\(r.clientHost):\(r.clientPort)")
        s("ClientHost", r.clientHost)
        s("ClientPort", String(r.clientPort))
        s("ClientUsername", "-")
        n("DownstreamContentSize", r.downstreamSize)
        n("DownstreamStatus", r.status)
        n("Duration", r.durationNanoseconds)
        n("OriginContentSize", r.downstreamSize)
        n("OriginStatus", r.originStatus)
        s("RequestAddr", r.host)
        n("RequestContentSize", r.requestSize)
        n("RequestCount", count)
        s("RequestHost", hostOnly(r.host))
        s("RequestMethod", r.method)
        s("RequestPath", r.path)
        s("RequestProtocol", r.proto)
        s("RequestScheme", r.scheme)
        if !r.routerName.isEmpty { s("RouterName", r.routerName) }
        if !r.serviceName.isEmpty { s("ServiceName", r.serviceName) }
        if !r.serviceURL.isEmpty { s("ServiceURL", r.serviceURL) }
        if !r.serviceAddr.isEmpty { s("ServiceAddr", r.serviceAddr) }
        s("StartUTC", isoDate(r.startSeconds, r.startNanoseconds))
        s("entryPointName", r.entryPoint)
        s("level", "info")
        s("msg", "")
        s("time", isoDate(r.startSeconds, 0))
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func hostOnly(_ host: String) -> String {
        String(HostAndPort(host).bareHost)
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func brokenDown(_ seconds: Int) -> tm {
        var t = time_t(seconds)
        var out = tm()
        gmtime_r(&t, &out)
        return out
    }

    /// `02/Jan/2006:15:04:05 +0000`
    static func clfDate(_ seconds: Int) -> String {
        let t = brokenDown(seconds)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(t.tm_mday))/\(months[Int(t.tm_mon)])/\(1900 + t.tm_year):\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) +0000"
    }

    /// RFC 3339 in UTC, with nanoseconds when non-zero.
    static func isoDate(_ seconds: Int, _ nanos: Int) -> String {
        let t = brokenDown(seconds)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var s = "\(1900 + t.tm_year)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))"
        if nanos > 0 {
            let digits = String(nanos)
            s += "." + String(repeating: "0", count: 9 - digits.count) + digits
        }
        return s + "Z"
    }
}

/// The access log file could not be opened.
public struct AccessLogError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "accessLog.filePath \"\(path)\": \(reason)" }
}
