import Foundation

extension ACMEClient {
    /// Obtains a certificate: places (or resumes) an order, proves control of each identifier
    /// through `solver`, finalizes with a CSR signed by the request's key, and downloads the
    /// chain, choosing the preferred one.
    ///
    /// - Authorizations the CA already holds as valid are accepted as they are.
    /// - Per pending authorization the first of ``ACMEIssuanceRequest/challengeTypes`` that
    ///   the CA offers and the solver can answer is used; a wildcard only ever with DNS-01.
    /// - All answers are published before the CA is told to validate any, so a wildcard and
    ///   its apex can share one `_acme-challenge` name.
    /// - Every presented answer is cleaned up, also when a later step fails or the calling
    ///   task is cancelled (cancellation then throws `CancellationError`).
    /// - All waiting is bounded by the polling policy's ``ACMEPollingPolicy/timeout``.
    ///
    /// - Parameters:
    ///   - request: what to obtain.
    ///   - solver: publishes and removes challenge answers.
    ///   - onEvent: awaited for each step (see ``ACMEIssuanceEvent``); persist the order URL
    ///     when it reports ``ACMEIssuanceEvent/orderCreated(orderURL:identifiers:)``.
    /// - Throws: ``ACMEError``: ``ACMEError/Code/authorizationFailed`` naming the identifier,
    ///   the challenge type and the CA's problem; ``ACMEError/Code/orderFailed``;
    ///   ``ACMEError/Code/noUsableChallenge``; ``ACMEError/Code/solverFailed``;
    ///   ``ACMEError/Code/timeout``; ``ACMEError/Code/server`` for refusals (problem document
    ///   with subproblems); ``ACMEError/Code/transport`` when the CA cannot be reached.
    public func issueCertificate(
        _ request: ACMEIssuanceRequest,
        solver: some ACMEChallengeSolver,
        onEvent: @escaping @Sendable (ACMEIssuanceEvent) async -> Void = { _ in }
    ) async throws -> ACMEIssuedCertificate {
        let started = self.clock.now()
        let deadline = started + self.polling.timeout
        guard !request.identifiers.isEmpty else {
            throw ACMEError(
                code: .invalidArgument, step: .newOrder, url: nil, message: "an order needs at least one identifier"
            )
        }
        let emit: @Sendable (ACMEIssuanceEvent) async -> Void = { [logger] event in
            logger.debug("ACME \(event)")
            await onEvent(event)
        }

        var order: ACMEOrder
        if let resumeURL = request.resumeOrderURL, let resumed = await self.resumableOrder(at: resumeURL, for: request, emit: emit) {
            order = resumed
            await emit(.orderResumed(orderURL: resumed.url, status: resumed.status))
        } else {
            order = try await self.newOrder(
                identifiers: request.identifiers, notBefore: request.notBefore, notAfter: request.notAfter,
                profile: request.profile, replaces: request.replaces
            )
            await emit(.orderCreated(orderURL: order.url, identifiers: order.identifiers))
        }

        var challengesUsed: [ACMEIdentifier: ACMEChallenge.ChallengeType] = [:]
        if [.ready, .processing, .valid].contains(order.status) {
            // Past pending, every authorization of the order is valid (RFC 8555 §7.1.6), e.g.
            // because the CA reused the account's earlier authorizations.
            for identifier in order.identifiers {
                await emit(.authorizationAlreadyValid(identifier: identifier))
            }
        }
        if order.status == .pending {
            challengesUsed = try await self.authorize(order, request: request, solver: solver, deadline: deadline, emit: emit)
            order = try await self.waitForOrder(at: order.url, toBecome: .ready, deadline: deadline)
        }
        if order.status == .invalid {
            throw Self.orderFailure(order, step: .waitForOrder)
        }
        if order.status == .ready {
            await emit(.finalizing(orderURL: order.url))
            let csr = try request.certificateKey.makeCSR(for: request.identifiers)
            let orderURL = order.url
            order = try await self.finalize(order, csr: csr)
            order.url = orderURL
            // A Retry-After on the finalize response says when the certificate will be there.
            if order.status == .processing, let requested = order.retryAfter {
                let remaining = self.clock.now().duration(to: deadline)
                try await self.clock.sleep(for: min(self.polling.clamp(retryAfter: requested), max(remaining, .zero)))
            }
        }
        if order.status != .valid || order.certificate == nil {
            order = try await self.waitForOrder(at: order.url, toBecome: .valid, deadline: deadline)
        }
        guard let certificateURL = order.certificate else {
            throw ACMEError(
                code: .orderFailed, step: .downloadCertificate, url: order.url,
                message: "the order is valid but names no certificate URL"
            )
        }
        let download = try await self.downloadChains(at: certificateURL, preferredChain: request.preferredChain)
        await emit(.certificateDownloaded(
            certificateURL: certificateURL, serialNumber: download.selected.leaf.serialNumber.hexString
        ))
        self.logger.debug("ACME certificate issued", metadata: [
            "acme.identifiers": .string(request.identifiers.map(\.value).joined(separator: ",")),
            "acme.order": .string(order.url),
            "acme.elapsed": .string(started.duration(to: self.clock.now()).formattedSeconds),
        ])
        return ACMEIssuedCertificate(
            chain: download.selected,
            consideredChains: download.considered,
            alternateChainURLs: download.alternateURLs,
            orderURL: order.url,
            order: order,
            profile: order.profile ?? request.profile,
            challengesUsed: challengesUsed
        )
    }

    /// The order at `url` when it can be continued for `request`; nil (and a
    /// ``ACMEIssuanceEvent/resumeDeclined(orderURL:reason:)`` event) otherwise.
    private func resumableOrder(
        at url: String,
        for request: ACMEIssuanceRequest,
        emit: @Sendable (ACMEIssuanceEvent) async -> Void
    ) async -> ACMEOrder? {
        let order: ACMEOrder
        do {
            order = try await self.order(at: url)
        } catch {
            await emit(.resumeDeclined(orderURL: url, reason: "it cannot be fetched: \(error)"))
            return nil
        }
        guard [.pending, .ready, .processing, .valid].contains(order.status) else {
            await emit(.resumeDeclined(orderURL: url, reason: "it is \(order.status)"))
            return nil
        }
        func names(_ identifiers: [ACMEIdentifier]) -> Set<String> {
            Set(identifiers.map { "\($0.type.rawValue.lowercased()):\($0.value.lowercased())" })
        }
        guard names(order.identifiers) == names(request.identifiers) else {
            await emit(.resumeDeclined(orderURL: url, reason: "it is for other identifiers"))
            return nil
        }
        if let wanted = request.profile, let actual = order.profile, wanted != actual {
            await emit(.resumeDeclined(orderURL: url, reason: "it has profile \(actual), not \(wanted)"))
            return nil
        }
        return order
    }

    /// One pending authorization and how it will be proven.
    private struct PlannedChallenge: Sendable {
        let authorization: ACMEAuthorization
        let challenge: ACMEChallenge
        let answer: ACMEChallengeAnswer

        var identifier: ACMEIdentifier { self.authorization.orderIdentifier }
    }

    /// Proves control of every identifier of a pending order; returns the challenge type used
    /// per identifier.
    private func authorize(
        _ order: ACMEOrder,
        request: ACMEIssuanceRequest,
        solver: some ACMEChallengeSolver,
        deadline: ContinuousClock.Instant,
        emit: @escaping @Sendable (ACMEIssuanceEvent) async -> Void
    ) async throws -> [ACMEIdentifier: ACMEChallenge.ChallengeType] {
        var planned: [PlannedChallenge] = []
        for authorization in try await self.authorizations(for: order) {
            switch authorization.status {
            case .valid:
                await emit(.authorizationAlreadyValid(identifier: authorization.orderIdentifier))
            case .pending:
                let challenge = try Self.chooseChallenge(for: authorization, preference: request.challengeTypes, solver: solver)
                planned.append(PlannedChallenge(
                    authorization: authorization, challenge: challenge,
                    answer: try self.answer(for: challenge, of: authorization)
                ))
                await emit(.challengeChosen(identifier: authorization.orderIdentifier, type: challenge.type))
            default:
                let failed = authorization.challenges.first { $0.error != nil }
                throw ACMEError(
                    code: .authorizationFailed, step: .fetchAuthorization, url: authorization.url,
                    message: "authorization for \(authorization.orderIdentifier) is \(authorization.status)",
                    problem: failed?.error, identifier: authorization.orderIdentifier, challengeType: failed?.type
                )
            }
        }

        var presented: [PlannedChallenge] = []
        do {
            for plan in planned {
                do {
                    try await solver.present(plan.answer)
                } catch {
                    throw ACMEError(
                        code: .solverFailed, step: .presentChallenge, url: plan.challenge.url,
                        message: "the solver could not publish the \(plan.challenge.type) answer: \(error)",
                        underlying: error, identifier: plan.identifier, challengeType: plan.challenge.type
                    )
                }
                presented.append(plan)
                await emit(.challengePresented(identifier: plan.identifier, type: plan.challenge.type))
            }
            for plan in planned {
                // A resumed order may hold a challenge the CA is already validating.
                if plan.challenge.status == .pending {
                    try await self.respond(to: plan.challenge, identifier: plan.identifier)
                }
                await emit(.validating(identifier: plan.identifier, type: plan.challenge.type))
            }
            try await withThrowingTaskGroup(of: ACMEIdentifier.self) { group in
                for plan in planned {
                    group.addTask {
                        _ = try await self.waitForAuthorization(
                            at: plan.authorization.url, deadline: deadline, challengeType: plan.challenge.type
                        )
                        return plan.identifier
                    }
                }
                for try await identifier in group {
                    await emit(.authorizationValid(identifier: identifier))
                }
            }
        } catch {
            // In a task of its own: when the caller cancelled issuance, clean-up must still run
            // (a cancelled task would make the solver's own network calls fail at once).
            let toClean = presented
            let cleanUp = Task { await self.cleanUp(toClean, solver: solver, emit: emit) }
            await cleanUp.value
            throw error
        }
        await self.cleanUp(presented, solver: solver, emit: emit)
        return Dictionary(planned.map { ($0.identifier, $0.challenge.type) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first challenge in `preference` order that the authorization offers and the solver
    /// can answer; a wildcard authorization only considers DNS-01 (RFC 8555 §7.1.3).
    static func chooseChallenge(
        for authorization: ACMEAuthorization,
        preference: [ACMEChallenge.ChallengeType],
        solver: some ACMEChallengeSolver
    ) throws -> ACMEChallenge {
        let identifier = authorization.orderIdentifier
        let isWildcard = authorization.wildcard == true || identifier.isWildcard
        let allowed = isWildcard ? preference.filter { $0 == .dns01 } : preference
        for type in allowed where solver.canSolve(type, for: identifier) {
            if let challenge = authorization.challenge(ofType: type) { return challenge }
        }
        let offered = authorization.challenges.map(\.type.rawValue).joined(separator: ", ")
        let solvable = preference.filter { solver.canSolve($0, for: identifier) }.map(\.rawValue).joined(separator: ", ")
        var message = "no usable challenge for \(identifier): the CA offers [\(offered)], the solver answers [\(solvable)]"
        if isWildcard { message += "; a wildcard can only be validated with dns-01" }
        throw ACMEError(
            code: .noUsableChallenge, step: .presentChallenge, url: authorization.url, message: message,
            identifier: identifier
        )
    }

    /// Tells the CA to validate, with the identifier in any error.
    private func respond(to challenge: ACMEChallenge, identifier: ACMEIdentifier) async throws {
        do {
            try await self.respond(to: challenge)
        } catch let error as ACMEError {
            throw ACMEError(
                code: error.code, step: error.step, url: error.url, message: error.message, problem: error.problem,
                httpStatus: error.httpStatus, retryAfter: error.retryAfter, underlying: error.underlying,
                identifier: identifier, challengeType: challenge.type
            )
        }
    }

    private func cleanUp(
        _ plans: [PlannedChallenge],
        solver: some ACMEChallengeSolver,
        emit: @Sendable (ACMEIssuanceEvent) async -> Void
    ) async {
        for plan in plans {
            do {
                try await solver.cleanUp(plan.answer)
            } catch {
                self.logger.warning("ACME challenge clean-up failed", metadata: [
                    "acme.identifier": .string(plan.identifier.description),
                    "acme.challenge": .string(plan.challenge.type.rawValue),
                    "acme.error": .string("\(error)"),
                ])
            }
            await emit(.challengeCleanedUp(identifier: plan.identifier, type: plan.challenge.type))
        }
    }
}
