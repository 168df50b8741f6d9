import Foundation
import Logging
import Synchronization

/// A scratch directory for one test, removed when the test is done.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "gatehouse-watch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` in the directory; returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(name))
    }
}

/// Collects log messages so a test can assert on what was logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var messages: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(event.message) \(meta)")
        }
    }
}

/// A router file with one router `name` for `Host(name.test)`, and its service.
func routerFile(_ name: String, comment: String = "") -> String {
    """
    # \(comment)
    http:
      routers:
        \(name):
          rule: Host(`\(name).test`)
          service: svc-\(name)
      services:
        svc-\(name):
          loadBalancer:
            servers:
              - url: http://127.0.0.1:9
    """
}
