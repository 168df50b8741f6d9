import DNS
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Tests a provider and its credentials for a domain before any issuance depends on them
/// (`gatehouse dns test`, `POST /api/v1/dns-credentials/{id}/test`).
///
/// Steps, each timed and reported in a ``DNSPreflightReport``:
/// 1. **zone**: the SOA lookup (``DNS/ZoneFinder``) when the provider
///    ``DNSChallengeProvider/needsZone``, at the provider's ``DNSChallengeProvider/zoneServers``
///    when it names any, else at the resolvers;
/// 2. **present**: a probe TXT record with a random value at `_acme-challenge.<domain>`;
/// 3. **propagation**: the value visible where ``Options/policy`` says, within
///    ``Options/propagationTimeout`` (skipped when turned off or the provider's records are
///    visible at once);
/// 4. **cleanup**: the probe removed, always tried after a successful present, even when
///    propagation failed;
/// 5. **gone**: the value no longer visible where it was seen.
public struct DNSPreflight: Sendable {
    /// How the pre-flight checks.
    public struct Options: Sendable {
        /// Resolvers for the zone lookup and the propagation check; empty for the system's.
        public var resolvers: [DNSAddress]
        /// Where the record must be visible. Default: the zone's authoritative servers.
        public var policy: PropagationPolicy
        /// How long propagation (and, after clean-up, disappearance) may take. Default 60 s.
        public var propagationTimeout: Duration
        /// Timeouts, attempts and the poll interval of DNS lookups. Default: 2 s per attempt,
        /// 2 attempts, polls every 2 s (lego's RFC2136_POLLING_INTERVAL default).
        public var lookup: DNSTXTLookup.Configuration
        /// The probe record's TTL, in seconds. Default 120.
        public var ttl: Int

        /// - Parameters: see the properties.
        public init(
            resolvers: [DNSAddress] = [],
            policy: PropagationPolicy = .authoritativeServers,
            propagationTimeout: Duration = .seconds(60),
            lookup: DNSTXTLookup.Configuration = .init(attemptTimeout: .seconds(2), attempts: 2, pollInterval: .seconds(2)),
            ttl: Int = 120
        ) {
            self.resolvers = resolvers
            self.policy = policy
            self.propagationTimeout = propagationTimeout
            self.lookup = lookup
            self.ttl = ttl
        }
    }

    /// The options in use.
    public let options: Options
    private let group: any EventLoopGroup
    private let logger: Logger

    /// - Parameters: see ``Options``; the group runs DNS sockets, the logger gets debug lines.
    public init(
        options: Options = Options(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.dns.preflight", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.options = options
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Runs the steps for `domain` through `provider`; never throws: every failure is in the
    /// report.
    /// - Parameter value: the probe value; default 43 random base64url characters, the shape
    ///   of a real DNS-01 value.
    public func run(provider: any DNSChallengeProvider, domain: String, value: String = DNSPreflight.randomValue()) async -> DNSPreflightReport {
        let clock = ContinuousClock()
        var steps: [DNSPreflightReport.Step] = []
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        func finish(_ zone: DomainName?, record: String) -> DNSPreflightReport {
            for name in DNSPreflightReport.StepName.allCases where !steps.contains(where: { $0.name == name }) {
                steps.append(.init(name: name, status: .skipped, detail: "an earlier step failed"))
            }
            return DNSPreflightReport(provider: provider.name, domain: domain, recordName: record, zone: zone?.description, steps: steps)
        }

        let recordName: DomainName
        do {
            recordName = try DomainName.acmeChallenge(for: domain)
        } catch {
            steps.append(.init(name: .zone, status: .failed, kind: .configuration, detail: "\"\(domain)\" is not a domain name: \(error)"))
            return finish(nil, record: "_acme-challenge.\(domain)")
        }
        let record = recordName.description

        // 1. zone
        let zoneFinder = ZoneFinder(
            resolvers: provider.zoneServers.isEmpty ? self.options.resolvers : provider.zoneServers,
            configuration: self.options.lookup, eventLoopGroup: self.group, logger: self.logger
        )
        var zone = recordName.parent ?? .root
        var zoneFound = false
        if provider.needsZone {
            let started = clock.now
            do throws(ZoneLookupError) {
                zone = try await zoneFinder.zone(of: recordName)
                zoneFound = true
                steps.append(.init(name: .zone, status: .ok, durationSeconds: seconds(clock.now - started), detail: zone.description))
            } catch {
                steps.append(.init(name: .zone, status: .failed, durationSeconds: seconds(clock.now - started), kind: Self.kind(of: error), detail: error.description))
                return finish(nil, record: record)
            }
        } else {
            steps.append(.init(name: .zone, status: .skipped, detail: "\(provider.name) does not need the zone"))
        }

        // 2. present
        let challenge = ChallengeRecord(name: recordName, value: value, zone: zone, ttl: self.options.ttl)
        var started = clock.now
        do {
            try await provider.present(challenge)
            steps.append(.init(name: .present, status: .ok, durationSeconds: seconds(clock.now - started)))
        } catch {
            let (kind, detail) = Self.classify(error)
            steps.append(.init(name: .present, status: .failed, durationSeconds: seconds(clock.now - started), kind: kind, detail: detail))
            return finish(zone, record: record)
        }

        // 3. propagation
        var seenAt: [DNSAddress] = []
        started = clock.now
        if provider.isImmediatelyVisible {
            steps.append(.init(name: .propagation, status: .skipped, detail: "\(provider.name) serves records at once"))
        } else if self.options.policy == .none {
            steps.append(.init(name: .propagation, status: .skipped, detail: "propagation check turned off"))
        } else {
            do throws(DNSProviderError) {
                if self.options.policy.checkAuthoritativeServers, provider.zoneServers.isEmpty, !zoneFound {
                    do throws(ZoneLookupError) {
                        zone = try await zoneFinder.zone(of: recordName)
                    } catch {
                        throw DNSProviderError(.propagation, provider: provider.name, "cannot find the zone's authoritative servers: \(error)")
                    }
                }
                let propagation = ZoneFinder(resolvers: self.options.resolvers, configuration: self.options.lookup, eventLoopGroup: self.group, logger: self.logger)
                do throws(DNSPropagationError) {
                    seenAt = try await propagation.waitForTXT(
                        name: recordName, value: value, zone: zone, policy: self.options.policy,
                        authoritativeServers: provider.zoneServers.isEmpty ? nil : provider.zoneServers,
                        timeout: self.options.propagationTimeout
                    )
                } catch {
                    throw DNSProviderError(.propagation, provider: provider.name, error.description)
                }
                steps.append(
                    .init(
                        name: .propagation, status: .ok, durationSeconds: seconds(clock.now - started),
                        detail: "visible at " + seenAt.map(\.description).joined(separator: ", ")
                    )
                )
            } catch {
                steps.append(.init(name: .propagation, status: .failed, durationSeconds: seconds(clock.now - started), kind: error.kind, detail: error.detail))
            }
        }

        // 4. cleanup: always, once present worked.
        started = clock.now
        var cleanedUp = false
        do {
            try await provider.cleanUp(challenge)
            cleanedUp = true
            steps.append(.init(name: .cleanup, status: .ok, durationSeconds: seconds(clock.now - started)))
        } catch {
            let (kind, detail) = Self.classify(error)
            steps.append(.init(name: .cleanup, status: .failed, durationSeconds: seconds(clock.now - started), kind: kind, detail: detail))
        }

        // 5. gone: where it was seen.
        if !cleanedUp {
            steps.append(.init(name: .gone, status: .skipped, detail: "clean-up failed"))
        } else if seenAt.isEmpty {
            steps.append(.init(name: .gone, status: .skipped, detail: "the record was not checked for"))
        } else {
            started = clock.now
            let remaining = await self.waitUntilGone(recordName, value: value, at: seenAt, authoritative: self.options.policy.checkAuthoritativeServers)
            if remaining.isEmpty {
                steps.append(.init(name: .gone, status: .ok, durationSeconds: seconds(clock.now - started)))
            } else {
                steps.append(
                    .init(
                        name: .gone, status: .failed, durationSeconds: seconds(clock.now - started), kind: .propagation,
                        detail: "TXT \"\(value)\" at \(recordName) still visible after \(self.options.propagationTimeout) at "
                            + remaining.map(\.description).joined(separator: ", ")
                    )
                )
            }
        }
        return finish(zone, record: record)
    }

    /// 43 random base64url characters (the length of a DNS-01 value).
    public static func randomValue() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Polls `servers` until none shows `value`; returns those still showing it at the timeout.
    private func waitUntilGone(_ name: DomainName, value: String, at servers: [DNSAddress], authoritative: Bool) async -> [DNSAddress] {
        let lookup = DNSTXTLookup(configuration: self.options.lookup, eventLoopGroup: self.group, logger: self.logger)
        let clock = ContinuousClock()
        let deadline = clock.now + self.options.propagationTimeout
        var remaining = servers
        while true {
            var still: [DNSAddress] = []
            for server in remaining {
                let values = (try? await lookup.lookupTXT(name, at: server, recursionDesired: !authoritative)) ?? [value]
                if values.contains(value) { still.append(server) }
            }
            remaining = still
            if remaining.isEmpty || clock.now + self.options.lookup.pollInterval > deadline || Task.isCancelled {
                return remaining
            }
            try? await Task.sleep(for: self.options.lookup.pollInterval)
        }
    }

    /// The kind a zone lookup failure is reported as.
    static func kind(of error: ZoneLookupError) -> DNSProviderError.Kind {
        switch error.code {
        case .timedOut, .network, .cancelled: .network
        case .invalidResolver: .configuration
        default: .zoneNotFound
        }
    }

    /// A provider's error as kind and detail; other errors are `rejected` with their text.
    static func classify(_ error: any Error) -> (DNSProviderError.Kind, String) {
        if let error = error as? DNSProviderError {
            return (error.kind, error.detail + (error.status.map { " (status \($0))" } ?? ""))
        }
        return (.rejected, "\(error)")
    }
}
