import NIOCore
import Synchronization

/// The outcome of one query/response exchange, completed once by whichever comes first: the
/// matching response, a transport error, or the timeout. Later completions are ignored.
final class ExchangeCompletion: Sendable {
    let promise: EventLoopPromise<DNSResponse>
    private let completed = Mutex(false)

    init(promise: EventLoopPromise<DNSResponse>) {
        self.promise = promise
    }

    func succeed(_ response: DNSResponse) {
        if self.claim() { self.promise.succeed(response) }
    }

    func fail(_ error: any Error) {
        if self.claim() { self.promise.fail(error) }
    }

    private func claim() -> Bool {
        self.completed.withLock { completed in
            defer { completed = true }
            return !completed
        }
    }
}

/// Why an exchange ended without a response.
enum ExchangeFailure: Error, CustomStringConvertible {
    case timedOut
    case connectionClosed

    var description: String {
        switch self {
        case .timedOut: "no response in time"
        case .connectionClosed: "the server closed the connection without answering"
        }
    }
}

extension DNSMessage {
    /// True when this message answers `query`: a response with the same ID and question (or,
    /// for an error such as FORMERR, no question at all). Anything else arriving on the
    /// exchange's socket is ignored (a stray or spoofed packet).
    func answers(_ query: DNSMessage) -> Bool {
        self.isResponse && self.id == query.id && (self.questions == query.questions || self.questions.isEmpty)
    }
}
