import DNS
import DNSProviders
import Logging
import Synchronization

/// Publishes the DNS-01 records of one order and waits until they can be seen, in this order:
///
/// 1. the record's provider (by suffix, when the resolver has several);
/// 2. the zone holding the name, by SOA lookup through the resolvers (or the provider's
///    ``DNSProviders/DNSChallengeProvider/zoneServers``), when the provider
///    ``DNSProviders/DNSChallengeProvider/needsZone``;
/// 3. the provider publishes the value;
/// 4. unless the provider's records are visible at once or `propagation.disableChecks` is set:
///    `delayBeforeChecks`, then checks every `interval` until the zone's authoritative servers
///    (the provider's `zoneServers` when it names them) all show the value (unless
///    `disableANSChecks`) and one resolver does (every one with
///    `requireAllRNS`), or `timeout` passes.
///
/// A record whose check fails is removed again before the error is thrown (the ACME client only
/// cleans up answers that were presented successfully). Two values on one name (an apex and its
/// wildcard) are two records; removing one leaves the other.
final class DNSChallengePublisher: Sendable {
    private struct Key: Hashable {
        let name: DomainName
        let value: String
    }

    private struct Published: Sendable {
        let record: ChallengeRecord
        let provider: any DNSChallengeProvider
    }

    let provider: any DNSChallengeProvider
    let propagation: PropagationSettings
    let lookup: any DNSChallengeLookup
    let logger: Logger
    private let published = Mutex<[Key: Published]>([:])

    init(provider: any DNSChallengeProvider, propagation: PropagationSettings, lookup: any DNSChallengeLookup, logger: Logger) {
        self.provider = provider
        self.propagation = propagation
        self.lookup = lookup
        self.logger = logger
    }

    /// Publishes `value` at `name` (`_acme-challenge.<domain>`) and waits until it is visible.
    /// - Throws: ``DNSChallengeError`` naming the step.
    func present(name: DomainName, value: String) async throws {
        let target: DNSProviderRouter.Target
        if let router = provider as? DNSProviderRouter {
            do {
                target = try router.target(for: name)
            } catch {
                throw DNSChallengeError.publish(name, provider: router.name, detail: error.description)
            }
        } else {
            target = DNSProviderRouter.Target(suffix: nil, provider: provider)
        }
        let chosen = target.provider
        let resolvers = try resolverAddresses()
        var record = DNSProviderRouter.adjusted(ChallengeRecord(name: name, value: value, zone: name.parent ?? name), for: target)
        // A provider that names its zone's servers (rfc2136: its nameserver) is asked there,
        // as lego does: a zone served only there (an internal one) is found too.
        let zoneResolvers = chosen.zoneServers.isEmpty ? resolvers : chosen.zoneServers
        var zoneKnown = false
        if chosen.needsZone {
            record.zone = try await zone(of: name, resolvers: zoneResolvers)
            zoneKnown = true
        }
        let metadata: Logger.Metadata = ["record": "\(name)", "zone": "\(record.zone)", "provider": "\(chosen.name)"]
        logger.debug("publishing DNS-01 record", metadata: metadata)
        do {
            try await chosen.present(record)
        } catch {
            throw DNSChallengeError.publish(name, provider: chosen.name, detail: "\(error)")
        }
        let key = Key(name: name, value: value)
        published.withLock { $0[key] = Published(record: record, provider: chosen) }
        do {
            try await waitUntilVisible(record, zoneKnown: zoneKnown, provider: chosen, resolvers: resolvers, zoneResolvers: zoneResolvers)
        } catch {
            published.withLock { _ = $0.removeValue(forKey: key) }
            // In a task of its own: when the order was cancelled, the removal must still run.
            let removal = Task { [logger] in
                do {
                    try await chosen.cleanUp(record)
                } catch let cleanUpError {
                    logger.warning("DNS-01 record not removed", metadata: metadata.merging(["error": "\(cleanUpError)"]) { $1 })
                }
            }
            await removal.value
            throw error
        }
    }

    /// Removes `value` at `name` through the provider that published it.
    func cleanUp(name: DomainName, value: String) async throws {
        let key = Key(name: name, value: value)
        if let entry = published.withLock({ $0.removeValue(forKey: key) }) {
            try await entry.provider.cleanUp(entry.record)
            return
        }
        // Not published by this order (a resumed order): remove through the provider anyway.
        try await provider.cleanUp(ChallengeRecord(name: name, value: value, zone: name.parent ?? name))
    }

    // MARK: - Steps

    private func resolverAddresses() throws -> [DNSAddress] {
        try propagation.resolvers.map { text in
            do {
                return try DNSAddress(parsing: text)
            } catch {
                throw DNSChallengeError.invalidResolver(text, detail: "\(error)")
            }
        }
    }

    private func zone(of name: DomainName, resolvers: [DNSAddress]) async throws -> DomainName {
        do {
            return try await lookup.zone(of: name, resolvers: resolvers)
        } catch {
            throw DNSChallengeError.zoneNotFound(name, resolvers: resolvers.map(\.description), detail: "\(error)")
        }
    }

    private func waitUntilVisible(
        _ record: ChallengeRecord, zoneKnown: Bool, provider: any DNSChallengeProvider, resolvers: [DNSAddress],
        zoneResolvers: [DNSAddress]
    ) async throws {
        if provider.isImmediatelyVisible || propagation.disableChecks {
            if propagation.delayBeforeChecks > .zero { try await Task.sleep(for: propagation.delayBeforeChecks) }
            return
        }
        var authoritative: [DNSAddress] = []
        if !propagation.disableAuthoritativeChecks {
            if !provider.zoneServers.isEmpty {
                // The provider's own servers are authoritative for its zones.
                authoritative = provider.zoneServers
            } else {
                let zone = zoneKnown ? record.zone : try await self.zone(of: record.name, resolvers: zoneResolvers)
                do {
                    authoritative = try await lookup.authoritativeServers(of: zone, resolvers: zoneResolvers)
                } catch {
                    throw DNSChallengeError.authoritativeServers(zone, resolvers: propagation.resolvers, detail: "\(error)")
                }
                if authoritative.isEmpty {
                    throw DNSChallengeError.authoritativeServers(zone, resolvers: propagation.resolvers, detail: "no NS records")
                }
            }
        }
        var recursive = resolvers
        if recursive.isEmpty && propagation.disableAuthoritativeChecks { recursive = lookup.systemResolvers() }

        if propagation.delayBeforeChecks > .zero { try await Task.sleep(for: propagation.delayBeforeChecks) }
        logger.info("waiting for DNS", metadata: [
            "record": "\(record.name)", "provider": "\(provider.name)",
            "authoritative": "\(authoritative.map(\.description))", "resolvers": "\(recursive.map(\.description))",
            "timeout": "\(propagation.timeout)", "interval": "\(propagation.interval)",
        ])
        let clock = ContinuousClock()
        let started = clock.now
        var pendingAuthoritative = authoritative
        var pendingRecursive = recursive
        var recursiveSeen = 0
        var lastSeen: [DNSAddress: String] = [:]
        while true {
            let results = await check(record, authoritative: pendingAuthoritative, recursive: pendingRecursive)
            for (server, result) in results { lastSeen[server] = result.shown }
            pendingAuthoritative.removeAll { results[$0]?.visible == true }
            let seenNow = pendingRecursive.filter { results[$0]?.visible == true }
            recursiveSeen += seenNow.count
            pendingRecursive.removeAll { results[$0]?.visible == true }
            let recursiveDone = recursive.isEmpty || (propagation.requireAllResolvers ? pendingRecursive.isEmpty : recursiveSeen > 0)
            if pendingAuthoritative.isEmpty && recursiveDone { return }
            let elapsed = clock.now - started
            if elapsed + propagation.interval > propagation.timeout {
                let waiting = pendingAuthoritative.map { "NS \($0): \(lastSeen[$0] ?? "not asked")" }
                    + (recursiveDone ? [] : pendingRecursive.map { "resolver \($0): \(lastSeen[$0] ?? "not asked")" })
                throw DNSChallengeError.notVisible(record.name, value: record.value, pending: waiting, waited: elapsed)
            }
            try await Task.sleep(for: propagation.interval)
        }
    }

    private struct CheckResult: Sendable {
        let visible: Bool
        let shown: String
    }

    /// Asks every server at once whether it shows the record's value.
    private func check(
        _ record: ChallengeRecord, authoritative: [DNSAddress], recursive: [DNSAddress]
    ) async -> [DNSAddress: CheckResult] {
        await withTaskGroup(of: (DNSAddress, CheckResult).self) { group in
            for (server, isAuthoritative) in authoritative.map({ ($0, true) }) + recursive.map({ ($0, false) }) {
                group.addTask { [lookup] in
                    do {
                        let values = try await lookup.txtValues(at: record.name, server: server, authoritative: isAuthoritative)
                        let shown = values.isEmpty ? "no TXT record" : "saw \(values.map { "\"\($0)\"" }.joined(separator: ", "))"
                        return (server, CheckResult(visible: values.contains(record.value), shown: shown))
                    } catch {
                        return (server, CheckResult(visible: false, shown: "\(error)"))
                    }
                }
            }
            var results: [DNSAddress: CheckResult] = [:]
            for await (server, result) in group { results[server] = result }
            return results
        }
    }
}
