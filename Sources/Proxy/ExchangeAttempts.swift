import Middlewares
import NIOCore
import NIOHTTP1

/// The attempts at one exchange (one request and its response): whether a failed attempt is
/// tried again, where, and after how long, and the copy of the request body that lets it be sent
/// again.
///
/// One mechanism covers every reason to send a request again:
/// - a pooled connection the backend had already closed (a stale keep-alive connection): one
///   more attempt at the same server on a fresh connection, not counted as an attempt;
/// - the `retry` middleware: the backend could not be reached, or its connection broke before a
///   response began; another server is picked, after the middleware's backoff, up to its
///   attempts in all;
/// - `buffering.retryExpression`: after an attempt that produced a status (the backend's, or 502
///   / 504 for a network failure), another attempt while the expression holds (at most
///   ``maxExpressionAttempts``, as oxy).
///
/// A request is only sent again when all of it can be: nothing had been written to a backend yet
/// (the connection could not be made), or every part received so far is in ``replay`` — kept
/// while the body stays within ``ExchangePolicy/replayableBodyBytes``.
struct ExchangeAttempts {
    /// What the router's middlewares ask.
    let policy: ExchangePolicy
    /// Attempts started so far, the stale-connection retry not counted.
    private(set) var count = 1
    private var staleRetryUsed = false
    /// The body parts received so far, while ``isRecording`` and the body fits.
    private var replayBody: [HTTPClientRequestPart] = []
    /// The request's end (with its trailers) once received; kept apart from the body so that a
    /// bodiless request records without allocating.
    private var replayEnd: HTTPHeaders?? = nil
    private var replayBytes = 0
    /// Whether parts are being kept (they are once an attempt could need them).
    private(set) var isRecording = false
    /// Whether ``replay`` is complete: false once the body outgrew the bound.
    private(set) var isReplayable = true

    /// oxy's cap on the attempts `retryExpression` can cause.
    static let maxExpressionAttempts = 10

    init(policy: ExchangePolicy) {
        self.policy = policy
    }

    /// What to do after a failed attempt.
    enum Next: Equatable {
        /// Give up: answer the client with the failure.
        case fail
        /// The same server, on a fresh connection, at once.
        case sameServer
        /// A server picked again from the service, after `delay`.
        case pickAgain(after: TimeAmount)
    }

    /// Starts keeping request parts, beginning with `received` (every part received so far), if
    /// some later failure could need them: the policy retries, or the attempt uses a pooled
    /// connection that may turn out stale.
    mutating func startRecording(ifNeeded reusedConnection: Bool, received: [HTTPClientRequestPart]) {
        guard !isRecording, isReplayable, policy.retries || reusedConnection else { return }
        isRecording = true
        for part in received { record(part) }
    }

    /// Keeps a request part received from the client, if recording and the body still fits.
    mutating func record(_ part: HTTPClientRequestPart) {
        guard isRecording, isReplayable else { return }
        switch part {
        case .body(.byteBuffer(let buffer)):
            replayBytes += buffer.readableBytes
            if replayBytes > policy.replayableBodyBytes {
                isReplayable = false
                replayBody = []
                return
            }
            replayBody.append(part)
        case .end(let trailers):
            replayEnd = .some(trailers)
        case .head, .body:
            replayBody.append(part)
        }
    }

    /// Every request part received so far, in order, for sending the request again.
    var replay: [HTTPClientRequestPart] {
        guard let end = replayEnd else { return replayBody }
        return replayBody + [.end(end)]
    }

    /// Decides after an attempt failed before any response reached the client.
    ///
    /// - Parameters:
    ///   - status: what the client would get (502, or 504 for a timeout).
    ///   - reusedConnection: the attempt ran on a pooled connection.
    ///   - nothingSent: no part of the request was written to a backend (so the parts not yet
    ///     written are the whole request).
    mutating func afterFailure(status: Int, reusedConnection: Bool, nothingSent: Bool) -> Next {
        guard nothingSent || (isRecording && isReplayable) else { return .fail }
        if reusedConnection && !staleRetryUsed {
            staleRetryUsed = true
            return .sameServer
        }
        return nextAttempt(status: status)
    }

    /// Decides after an attempt produced a response head with `status`, before anything of it went
    /// to the client: whether `retryExpression` sends the request again.
    mutating func afterResponse(status: Int) -> Next {
        guard let condition = policy.buffering?.retryCondition, isRecording, isReplayable,
              count < Self.maxExpressionAttempts,
              condition.evaluate(.init(attempts: count, responseCode: status)) else { return .fail }
        count += 1
        return .pickAgain(after: .zero)
    }

    /// A final response arrived: nothing will be sent again, so the copy is let go.
    mutating func responseArrived() {
        guard isRecording else { return }
        isRecording = false
        isReplayable = false
        replayBody = []
        replayEnd = nil
    }

    private mutating func nextAttempt(status: Int) -> Next {
        if let retry = policy.retry, count < retry.attempts {
            count += 1
            return .pickAgain(after: retry.delay(beforeRetry: count - 1))
        }
        if let condition = policy.buffering?.retryCondition, count < Self.maxExpressionAttempts,
           condition.evaluate(.init(attempts: count, responseCode: status)) {
            count += 1
            return .pickAgain(after: .zero)
        }
        return .fail
    }
}
