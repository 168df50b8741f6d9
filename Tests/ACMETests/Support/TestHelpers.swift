import Synchronization
import Testing
@testable import ACME

/// A client on the in-memory CA with a clock that does not wait.
func makeClient(
    _ ca: MockCA,
    key: ACMEPrivateKey? = nil,
    accountURL: String? = nil,
    clock: TestClock = TestClock(),
    polling: ACMEPollingPolicy = .default,
    badNonceRetries: Int = 1
) throws -> ACMEClient {
    ACMEClient(
        directoryURL: MockCA.directoryURL, accountKey: try key ?? ACMEPrivateKey.generate(), accountURL: accountURL,
        transport: ca, polling: polling, badNonceRetries: badNonceRetries,
        logger: .init(label: "test.acme"), clock: clock
    )
}

/// The ACMEError `body` throws; records an issue and returns nil when it throws something
/// else or nothing.
func acmeError<T>(_ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> ACMEError? {
    do {
        _ = try await body()
        Issue.record("expected an ACMEError, got success", sourceLocation: sourceLocation)
    } catch let error as ACMEError {
        return error
    } catch {
        Issue.record("expected an ACMEError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
