import Foundation
import Testing
@testable import ACME

/// Answers every request with the same response.
struct FixedTransport: ACMETransport {
    let response: ACMEHTTPResponse

    func send(_ request: ACMEHTTPRequest) async throws -> ACMEHTTPResponse {
        self.response
    }
}
