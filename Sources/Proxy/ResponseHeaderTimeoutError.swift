import NIOCore

/// The backend took longer than the transport's `responseHeaderTimeout` to begin its response.
struct ResponseHeaderTimeoutError: Error, CustomStringConvertible {
    let timeout: TimeAmount

    var description: String { "no response header within \(timeout.nanoseconds / 1_000_000) ms" }
}
