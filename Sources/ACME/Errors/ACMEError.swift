import Foundation

/// Everything the ACME client throws: what went wrong (``code``), in which step of the
/// protocol (``step``), at which URL, and the server's problem document when it sent one.
///
/// Descriptions never contain private keys, HMAC keys or request bodies.
public struct ACMEError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The name, for logs and messages.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The raw value.
        public var description: String { self.name }

        /// The server answered with a problem document; see ``ACMEError/problem``.
        public static let server = Code("server")
        /// No response arrived: connection, TLS or deadline failure; see ``ACMEError/underlying``.
        public static let transport = Code("transport")
        /// A response arrived that does not follow RFC 8555 (status, headers or JSON).
        public static let unexpectedResponse = Code("unexpectedResponse")
        /// Waiting for the server (polling) ran past its deadline.
        public static let timeout = Code("timeout")
        /// A contact address is not a usable `mailto:` e-mail address.
        public static let invalidContact = Code("invalidContact")
        /// The caller passed something unusable (empty identifier list, bad PEM, bad EAB key).
        public static let invalidArgument = Code("invalidArgument")
        /// The operation needs an account URL: create, find or set one first.
        public static let noAccount = Code("noAccount")
        /// The server's directory lacks the resource this operation needs.
        public static let unsupportedByServer = Code("unsupportedByServer")
        /// No offered challenge is one the caller can solve.
        public static let noUsableChallenge = Code("noUsableChallenge")
        /// An authorization ended invalid (or another final status than valid).
        public static let authorizationFailed = Code("authorizationFailed")
        /// An order ended invalid, or reached a status that cannot lead to a certificate.
        public static let orderFailed = Code("orderFailed")
        /// A challenge solver failed to publish or remove its answer.
        public static let solverFailed = Code("solverFailed")
    }

    /// The protocol step that failed, e.g. "new order".
    public struct Step: Hashable, Sendable, CustomStringConvertible {
        /// The name, for logs and messages.
        public let name: String

        /// A step by name, for callers that build their own protocol steps.
        public init(_ name: String) {
            self.name = name
        }

        /// The raw value.
        public var description: String { self.name }

        /// The step "configuration".
        public static let configuration = Step("configuration")
        /// The step "fetch directory".
        public static let directory = Step("fetch directory")
        /// The step "new nonce".
        public static let newNonce = Step("new nonce")
        /// The step "new account".
        public static let newAccount = Step("new account")
        /// The step "find account".
        public static let findAccount = Step("find account")
        /// The step "fetch account".
        public static let fetchAccount = Step("fetch account")
        /// The step "update account".
        public static let updateAccount = Step("update account")
        /// The step "deactivate account".
        public static let deactivateAccount = Step("deactivate account")
        /// The step "account key change".
        public static let keyChange = Step("account key change")
        /// The step "new order".
        public static let newOrder = Step("new order")
        /// The step "fetch order".
        public static let fetchOrder = Step("fetch order")
        /// The step "fetch authorization".
        public static let fetchAuthorization = Step("fetch authorization")
        /// The step "deactivate authorization".
        public static let deactivateAuthorization = Step("deactivate authorization")
        /// The step "respond to challenge".
        public static let respondToChallenge = Step("respond to challenge")
        /// The step "present challenge answer".
        public static let presentChallenge = Step("present challenge answer")
        /// The step "clean up challenge answer".
        public static let cleanUpChallenge = Step("clean up challenge answer")
        /// The step "wait for authorization".
        public static let waitForAuthorization = Step("wait for authorization")
        /// The step "wait for order".
        public static let waitForOrder = Step("wait for order")
        /// The step "finalize order".
        public static let finalize = Step("finalize order")
        /// The step "download certificate".
        public static let downloadCertificate = Step("download certificate")
        /// The step "revoke certificate".
        public static let revokeCertificate = Step("revoke certificate")
        /// The step "fetch renewal info".
        public static let renewalInfo = Step("fetch renewal info")
    }

    /// What kind of failure this is.
    public let code: Code
    /// The protocol step that failed.
    public let step: Step
    /// The URL of the request that failed, when there was one.
    public let url: String?
    /// The server's problem document, for ``Code/server`` and failed authorizations/orders.
    public let problem: ACMEProblem?
    /// What went wrong, in words.
    public let message: String
    /// The HTTP status of the failing response, when there was one.
    public let httpStatus: Int?
    /// The server's `Retry-After`, when it sent one (rate limits, 503).
    public let retryAfter: Duration?
    /// The lower-level error (transport, JSON decoding, solver), when there was one.
    public let underlying: (any Error)?
    /// The identifier the failure is about (`dns:*.example.com`), for authorization, challenge
    /// and solver failures.
    public let identifier: ACMEIdentifier?
    /// The challenge type that was tried, for challenge and solver failures.
    public let challengeType: ACMEChallenge.ChallengeType?

    /// An error; only `code`, `step`, `url` and `message` are required.
    public init(
        code: Code,
        step: Step,
        url: String?,
        message: String,
        problem: ACMEProblem? = nil,
        httpStatus: Int? = nil,
        retryAfter: Duration? = nil,
        underlying: (any Error)? = nil,
        identifier: ACMEIdentifier? = nil,
        challengeType: ACMEChallenge.ChallengeType? = nil
    ) {
        self.code = code
        self.step = step
        self.url = url
        self.message = message
        self.problem = problem
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.underlying = underlying
        self.identifier = identifier
        self.challengeType = challengeType
    }

    /// `true` when the server's problem has this type.
    public func hasProblemType(_ type: ACMEProblem.ProblemType) -> Bool {
        self.problem?.type == type
    }

    /// One line: `ACME wait for authorization failed for dns:example.com (http-01) at
    /// https://…: message [problem type (status): detail; subproblems: …]`.
    public var description: String {
        var text = "ACME \(self.step) failed"
        if let identifier { text += " for \(identifier)" }
        if let challengeType { text += " (\(challengeType))" }
        if let url { text += " at \(url)" }
        text += ": \(self.message)"
        if let problem { text += " [\(problem)]" }
        if let retryAfter { text += " (retry after \(retryAfter.formattedSeconds))" }
        return text
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var formattedSeconds: String {
        let value = self.seconds
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.3f s", value)
    }
}
