import Foundation

extension ACMEClient {
    private struct NewOrderPayload: Encodable {
        var identifiers: [ACMEIdentifier]
        var notBefore: Date?
        var notAfter: Date?
        var profile: String?
        var replaces: String?
    }

    private struct FinalizePayload: Encodable {
        var csr: String
    }

    private struct DeactivatePayload: Encodable {
        var status: ACMEStatus
    }

    /// Places a new order (RFC 8555 §7.4).
    ///
    /// - Parameters:
    ///   - identifiers: the names (wildcards allowed) and addresses the certificate is for.
    ///   - notBefore: requested validity start, when the CA supports it.
    ///   - notAfter: requested validity end, when the CA supports it.
    ///   - profile: an ACME profile name (draft-aaron-acme-profiles). It must be one the
    ///     directory lists in `meta.profiles`; otherwise the request is not sent.
    ///   - replaces: the ARI identifier of the certificate this one renews (RFC 9773 §5). Sent
    ///     only when the directory offers `renewalInfo`, as RFC 9773 asks.
    /// - Throws: ``ACMEError``: ``ACMEError/Code/invalidArgument`` for an empty identifier list
    ///   or a profile the CA does not offer; ``ACMEError/Code/server`` for refusals
    ///   (`rejectedIdentifier` with subproblems per name, `alreadyReplaced`, …).
    public func newOrder(
        identifiers: [ACMEIdentifier],
        notBefore: Date? = nil,
        notAfter: Date? = nil,
        profile: String? = nil,
        replaces: ACMECertificateIdentifier? = nil
    ) async throws -> ACMEOrder {
        let url = try await self.directoryURL(\.newOrder, name: "newOrder", step: .newOrder)
        guard !identifiers.isEmpty else {
            throw ACMEError(code: .invalidArgument, step: .newOrder, url: url, message: "an order needs at least one identifier")
        }
        let directory = try await self.directory()
        if let profile {
            let offered = directory.profiles
            guard offered[profile] != nil else {
                let list = offered.keys.sorted().joined(separator: ", ")
                throw ACMEError(
                    code: .invalidArgument, step: .newOrder, url: url,
                    message: offered.isEmpty
                        ? "profile \"\(profile)\" requested, but the CA offers no profiles"
                        : "profile \"\(profile)\" is not offered by the CA (offered: \(list))"
                )
            }
        }
        var payload = NewOrderPayload(identifiers: identifiers, notBefore: notBefore, notAfter: notAfter, profile: profile)
        if let replaces {
            if directory.supportsRenewalInfo {
                payload.replaces = replaces.rawValue
            } else {
                self.logger.debug("ACME CA has no renewalInfo; not sending replaces", metadata: [
                    "acme.replaces": .string(replaces.rawValue),
                ])
            }
        }
        let body = try self.encode(payload, step: .newOrder, url: url)
        let response = try await self.post(url, payload: body, step: .newOrder)
        var order: ACMEOrder = try self.decode(response, step: .newOrder, url: url)
        order.url = try self.location(of: response, step: .newOrder, url: url)
        order.retryAfter = self.retryAfter(of: response)
        return order
    }

    /// The order at `url` as it is now.
    public func order(at url: String) async throws -> ACMEOrder {
        let response = try await self.postAsGet(url, step: .fetchOrder)
        var order: ACMEOrder = try self.decode(response, step: .fetchOrder, url: url)
        order.url = url
        order.retryAfter = self.retryAfter(of: response)
        return order
    }

    /// The authorization at `url` as it is now.
    public func authorization(at url: String) async throws -> ACMEAuthorization {
        let response = try await self.postAsGet(url, step: .fetchAuthorization)
        var authorization: ACMEAuthorization = try self.decode(response, step: .fetchAuthorization, url: url)
        authorization.url = url
        authorization.retryAfter = self.retryAfter(of: response)
        return authorization
    }

    /// Every authorization of `order`, in the order's order, fetched concurrently.
    public func authorizations(for order: ACMEOrder) async throws -> [ACMEAuthorization] {
        try await withThrowingTaskGroup(of: (Int, ACMEAuthorization).self) { group in
            for (index, url) in order.authorizations.enumerated() {
                group.addTask { (index, try await self.authorization(at: url)) }
            }
            var results = [ACMEAuthorization?](repeating: nil, count: order.authorizations.count)
            for try await (index, authorization) in group {
                results[index] = authorization
            }
            return results.compactMap { $0 }
        }
    }

    /// Deactivates a pending or valid authorization (RFC 8555 §7.5.2), e.g. to give up an
    /// attempt or drop a valid one the account no longer should hold.
    @discardableResult
    public func deactivateAuthorization(at url: String) async throws -> ACMEAuthorization {
        let body = try self.encode(DeactivatePayload(status: .deactivated), step: .deactivateAuthorization, url: url)
        let response = try await self.post(url, payload: body, step: .deactivateAuthorization)
        var authorization: ACMEAuthorization = try self.decode(response, step: .deactivateAuthorization, url: url)
        authorization.url = url
        return authorization
    }

    /// The answer a solver must publish for `challenge` of `authorization`, for the current
    /// account key.
    public func answer(for challenge: ACMEChallenge, of authorization: ACMEAuthorization) throws -> ACMEChallengeAnswer {
        try ACMEChallengeAnswer.make(
            challenge: challenge, authorization: authorization, accountKeyThumbprint: self.accountKey.thumbprint
        )
    }

    /// The key authorization of a challenge token for the current account key.
    public func keyAuthorization(for challenge: ACMEChallenge) throws -> String {
        guard let token = challenge.token else {
            throw ACMEError(
                code: .noUsableChallenge, step: .respondToChallenge, url: challenge.url,
                message: "\(challenge.type) challenge has no token"
            )
        }
        return ACMEChallengeAnswer.keyAuthorization(token: token, accountKeyThumbprint: self.accountKey.thumbprint)
    }

    /// Tells the CA the answer is published and it may validate (POST `{}` to the challenge).
    @discardableResult
    public func respond(to challenge: ACMEChallenge) async throws -> ACMEChallenge {
        let response = try await self.post(challenge.url, payload: Data("{}".utf8), step: .respondToChallenge)
        return try self.decode(response, step: .respondToChallenge, url: challenge.url)
    }

    /// Polls the authorization until it is valid.
    ///
    /// - Throws: ``ACMEError`` ``ACMEError/Code/authorizationFailed`` when it ends invalid,
    ///   deactivated, expired or revoked (naming the identifier, the failed challenge's type and
    ///   its problem), and ``ACMEError/Code/timeout`` after `timeout` (default
    ///   ``ACMEPollingPolicy/timeout``).
    public func waitForAuthorization(at url: String, timeout: Duration? = nil) async throws -> ACMEAuthorization {
        try await self.waitForAuthorization(at: url, deadline: self.clock.now() + (timeout ?? self.polling.timeout), challengeType: nil)
    }

    /// Polls the order until it reaches `target`: `.ready` (all authorizations valid; an order
    /// already processing or valid also counts) or `.valid` (certificate issued).
    ///
    /// - Throws: ``ACMEError`` ``ACMEError/Code/orderFailed`` when the order turns invalid (with
    ///   its problem), ``ACMEError/Code/timeout`` after `timeout`.
    public func waitForOrder(at url: String, toBecome target: ACMEStatus, timeout: Duration? = nil) async throws -> ACMEOrder {
        try await self.waitForOrder(at: url, toBecome: target, deadline: self.clock.now() + (timeout ?? self.polling.timeout))
    }

    func waitForAuthorization(
        at url: String,
        deadline: ContinuousClock.Instant,
        challengeType: ACMEChallenge.ChallengeType?
    ) async throws -> ACMEAuthorization {
        try await self.poll(
            step: .waitForAuthorization, url: url, deadline: deadline,
            fetch: { try await self.authorization(at: url) },
            retryAfter: { $0.retryAfter },
            status: { $0.status.rawValue },
            isDone: { authorization in
                switch authorization.status {
                case .valid:
                    return true
                case .invalid, .deactivated, .expired, .revoked:
                    // The challenge that carries an error is the one that failed; else the one
                    // the client answered.
                    let failed = authorization.challenges.first { $0.error != nil }
                        ?? authorization.challenges.first { $0.type == challengeType }
                    var message = "authorization for \(authorization.orderIdentifier) is \(authorization.status)"
                    if let failed { message += "; the \(failed.type) challenge is \(failed.status)" }
                    throw ACMEError(
                        code: .authorizationFailed, step: .waitForAuthorization, url: url,
                        message: message, problem: failed?.error,
                        identifier: authorization.orderIdentifier, challengeType: failed?.type ?? challengeType
                    )
                default:
                    return false
                }
            }
        )
    }

    func waitForOrder(at url: String, toBecome target: ACMEStatus, deadline: ContinuousClock.Instant) async throws -> ACMEOrder {
        let accepted: Set<ACMEStatus> = target == .ready ? [.ready, .processing, .valid] : [target]
        return try await self.poll(
            step: .waitForOrder, url: url, deadline: deadline,
            fetch: { try await self.order(at: url) },
            retryAfter: { $0.retryAfter },
            status: { $0.status.rawValue },
            isDone: { order in
                if accepted.contains(order.status) { return true }
                if order.status == .invalid || order.status == .deactivated || order.status == .expired {
                    throw Self.orderFailure(order, step: .waitForOrder)
                }
                if target == .valid, order.status == .ready {
                    throw ACMEError(
                        code: .orderFailed, step: .waitForOrder, url: url,
                        message: "order for \(order.identifierList) is ready again: the CA did not accept the finalization"
                    )
                }
                return false
            }
        )
    }

    /// The error for an order that can no longer lead to a certificate.
    static func orderFailure(_ order: ACMEOrder, step: ACMEError.Step) -> ACMEError {
        // A compound problem names the identifier in its subproblems; a single-name order
        // names it here.
        ACMEError(
            code: .orderFailed, step: step, url: order.url,
            message: "order for \(order.identifierList) is \(order.status)",
            problem: order.error,
            identifier: order.identifiers.count == 1 ? order.identifiers[0] : nil
        )
    }

    /// Sends the CSR (RFC 8555 §7.4). The returned order is usually `processing` or `valid`;
    /// wait with ``waitForOrder(at:toBecome:timeout:)`` for `.valid`.
    ///
    /// - Parameter csr: DER of the CSR, e.g. from ``ACMEPrivateKey/makeCSR(for:)``.
    public func finalize(_ order: ACMEOrder, csr: [UInt8]) async throws -> ACMEOrder {
        let body = try self.encode(FinalizePayload(csr: Base64URL.encode(csr)), step: .finalize, url: order.finalize)
        let response = try await self.post(order.finalize, payload: body, step: .finalize)
        var finalized: ACMEOrder = try self.decode(response, step: .finalize, url: order.finalize)
        finalized.url = response.headers["Location"].map { LinkHeader.resolve($0, base: order.finalize) } ?? order.url
        finalized.retryAfter = self.retryAfter(of: response)
        return finalized
    }

    /// Fetches, checks and waits until `deadline`: the shared loop of the waits above.
    /// The CA's `Retry-After` is honoured (clamped by the policy); without one the policy's
    /// growing interval is used.
    func poll<Value>(
        step: ACMEError.Step,
        url: String,
        deadline: ContinuousClock.Instant,
        fetch: () async throws -> Value,
        retryAfter: (Value) -> Duration?,
        status: (Value) -> String,
        isDone: (Value) throws -> Bool
    ) async throws -> Value {
        let started = self.clock.now()
        var interval = self.polling.initialInterval
        while true {
            let value = try await fetch()
            if try isDone(value) { return value }
            let now = self.clock.now()
            guard now < deadline else {
                throw ACMEError(
                    code: .timeout, step: step, url: url,
                    message: "still \(status(value)) after \(started.duration(to: now).formattedSeconds)"
                )
            }
            var wait: Duration
            if let requested = retryAfter(value) {
                wait = self.polling.clamp(retryAfter: requested)
            } else {
                wait = interval
                interval = self.polling.next(after: interval)
            }
            let remaining = now.duration(to: deadline)
            if wait > remaining { wait = remaining }
            try await self.clock.sleep(for: wait)
        }
    }
}
