import Foundation

/// Something that can carry one HTTP exchange to an ACME server.
///
/// The client needs nothing more than this, so tests can script a CA's answers without
/// sockets and production code uses ``ACMEHTTPClientTransport``. An implementation returns
/// every response it receives, whatever its status; it throws only when no response arrived
/// (connection refused, TLS failure, deadline passed).
public protocol ACMETransport: Sendable {
    /// Sends one request and returns the complete response.
    func send(_ request: ACMEHTTPRequest) async throws -> ACMEHTTPResponse
}
