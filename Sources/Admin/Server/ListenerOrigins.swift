import Foundation
import Synchronization

/// The browser origins of the admin listener itself (`http://127.0.0.1:8081`), the only
/// origins a request's `Origin` header may name.
///
/// Filled from the configured address, and again from the bound address once listening (the
/// port may have been 0). A unix socket has no origin: every `Origin` is refused.
public final class ListenerOrigins: Sendable {
    private let origins = Mutex<Set<String>>([])

    /// Origins for a listener on `host:port`; none for `nil` or port 0 (the bound port is
    /// recorded once known).
    public init(host: String?, port: Int?) {
        if let host, let port, port != 0 { record(host: host, port: port) }
    }

    /// Adds the origins of a listener on `host:port`: `http://host:port`, and for loopback
    /// hosts also `localhost`, `127.0.0.1` and `[::1]` on that port.
    public func record(host: String, port: Int) {
        var hosts: Set<String> = [host.contains(":") ? "[\(host)]" : host]
        if ["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) {
            hosts.formUnion(["localhost", "127.0.0.1", "[::1]"])
        }
        origins.withLock { origins in
            for host in hosts { origins.insert("http://\(host.lowercased()):\(port)") }
        }
    }

    /// Whether `origin` (an `Origin` header's value) is one of the listener's own.
    public func contains(_ origin: String) -> Bool {
        let normalized = origin.trimmingCharacters(in: .whitespaces).lowercased()
        return origins.withLock { $0.contains(normalized) }
    }
}

