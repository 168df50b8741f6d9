import ACME
import DNSProviders
import Foundation
import Logging
import Storage
import TLS
import X509

/// Obtains, stores, serves, renews and revokes the certificates routers ask for.
///
/// The manager reconciles three things about once a second, and at once when woken:
/// - the demands (``setDemands(_:)``): sets of names per resolver, from the routers;
/// - the stored records (``Storage/CertificateStorage``), also changed by `gatehouse certs`
///   commands and, in a cluster, by other nodes;
/// - what is served: every valid certificate is published through `publish`, and one that is
///   revoked or expired is taken out at once.
///
/// A demanded set with no usable certificate gets an ACME order; a valid certificate is
/// renewed inside the CA's ARI window or when a third of its lifetime remains. Orders run one
/// per set of names (an in-process set and a storage lock with expiry), persist their key and
/// order URL before anything is asked of the CA (a restart continues the same order with the
/// same key), and back off exponentially on failure while an older certificate keeps serving.
/// Every transition is stored with its reason and every ACME event is audited.
public actor CertificateManager {
    /// What the manager needs beyond the resolvers.
    public struct Options: Sendable {
        /// This node's identity in locks and audit events.
        public var nodeID: String
        /// Renewal timing and back-off.
        public var policy: RenewalPolicy
        /// How often stored records are re-read. Default 1 s.
        public var syncInterval: Duration
        /// Called when an order ends, with whether a certificate was stored (for metrics).
        /// Default none.
        public var onOrderFinished: (@Sendable (_ succeeded: Bool) -> Void)?
        /// Makes the DNS-01 provider of a stored DNS credential (its id or name), with the
        /// credential's propagation tuning, for a record whose
        /// ``Storage/CertificateRecord/dnsCredential`` names one; throws when the credential
        /// cannot be read or made (the error must not hold a credential's value). Default none:
        /// such a record's orders fail, naming the credential.
        public var dnsProviderForCredential: (@Sendable (_ credential: String) async throws -> CredentialDNSProvider)?

        /// - Parameters: see the properties.
        public init(
            nodeID: String = ProcessInfo.processInfo.hostName, policy: RenewalPolicy = RenewalPolicy(), syncInterval: Duration = .seconds(1),
            onOrderFinished: (@Sendable (_ succeeded: Bool) -> Void)? = nil,
            dnsProviderForCredential: (@Sendable (_ credential: String) async throws -> CredentialDNSProvider)? = nil
        ) {
            self.nodeID = nodeID
            self.policy = policy
            self.syncInterval = syncInterval
            self.onOrderFinished = onOrderFinished
            self.dnsProviderForCredential = dnsProviderForCredential
        }
    }

    private let resolvers: [String: ResolverSettings]
    private let storage: any CertificateStorage
    private let answers: ChallengeAnswers
    private let publish: @Sendable ([ServerCertificate]) -> Void
    private let options: Options
    private let logger: Logger

    private var demands: [CertificateDemand] = []
    private var inFlight: [String: Task<Void, Never>] = [:]
    private var ariChecks: [String: Task<Void, Never>] = [:]
    private var clients: [String: ACMEClient] = [:]
    private var transports: [String: ACMEHTTPClientTransport] = [:]
    private var published: [String: (serial: String, certificate: ServerCertificate)] = [:]
    private var wake: AsyncStream<Void>.Continuation?
    private var imported = false

    /// - Parameters:
    ///   - resolvers: the configured resolvers, by name.
    ///   - storage: where accounts, certificates, keys and the audit log live.
    ///   - answers: the challenge answers the data plane serves.
    ///   - publish: called with every servable certificate whenever that set changes.
    public init(
        resolvers: [ResolverSettings], storage: any CertificateStorage, answers: ChallengeAnswers,
        options: Options = Options(), logger: Logger, publish: @escaping @Sendable ([ServerCertificate]) -> Void
    ) {
        self.resolvers = Dictionary(resolvers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.storage = storage
        self.answers = answers
        self.options = options
        self.logger = logger
        self.publish = publish
    }

    /// Replaces the demanded sets of names (from the routers) and reconciles at once.
    /// Demands naming an unknown resolver are logged and ignored.
    public func setDemands(_ demands: [CertificateDemand]) {
        var kept: [CertificateDemand] = []
        for demand in demands {
            guard resolvers[demand.resolver] != nil else {
                logger.error("router names an unknown certificate resolver; it gets the default certificate", metadata: [
                    "resolver": "\(demand.resolver)", "routers": "\(demand.routers.joined(separator: ","))",
                ])
                continue
            }
            kept.append(demand)
        }
        self.demands = kept
        wake?.yield()
    }

    /// Reconciles at once instead of at the next tick: after an operator changed a stored record
    /// (a revocation leaves serving now, a renewal request starts now).
    public func reconcileSoon() {
        wake?.yield()
    }

    /// Runs until the task is cancelled: imports `acme.json` files once, publishes stored
    /// certificates, then reconciles every ``Options/syncInterval`` or when woken.
    public func run() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wake = continuation
        await importACMEJSONFiles()
        let interval = options.syncInterval
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // A ticker that wakes the loop; ends with the task.
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield()
                }
            }
            for await _ in stream {
                if Task.isCancelled { break }
                await self.reconcile()
            }
            group.cancelAll()
        }
        await shutdown()
    }

    /// Stops orders in flight and the CA connections.
    private func shutdown() async {
        for task in inFlight.values { task.cancel() }
        for task in ariChecks.values { task.cancel() }
        for task in inFlight.values { await task.value }
        for task in ariChecks.values { await task.value }
        inFlight = [:]
        ariChecks = [:]
        for transport in transports.values { try? await transport.shutdown() }
        transports = [:]
        wake?.finish()
    }

    // MARK: Reconciliation

    /// One pass: bring records in line with the demands, publish what is servable, start due orders.
    func reconcile() async {
        do {
            let now = Date()
            var records = try await storage.certificates(resolver: nil)
            // Each record's (resolver, set of names), computed once per pass.
            var idsByNames: [String: String] = [:]
            for record in records {
                if let key = try? NameSet(record.names).key { idsByNames[record.resolver + "|" + key] = record.id }
            }
            var demandedIDs = Set<String>()
            for demand in demands {
                guard let nameSet = try? NameSet(demand.names) else {
                    logger.error("invalid names in certificate demand", metadata: ["names": "\(demand.names)"])
                    continue
                }
                if let id = idsByNames[demand.resolver + "|" + nameSet.key] {
                    demandedIDs.insert(id)
                    continue
                }
                if let covering = records.first(where: { Self.isServing($0, at: now) && Self.covers($0.names, nameSet.names) }) {
                    // A valid certificate already covers these names (imported, or a superset): reuse it.
                    demandedIDs.insert(covering.id)
                    continue
                }
                let record = CertificateRecord(resolver: demand.resolver, names: nameSet.names, status: .pending,
                                               statusReason: "demanded by router \(demand.routers.joined(separator: ", "))",
                                               challenge: demand.challenge, dnsCredential: demand.dnsCredential)
                do {
                    let stored = try await storage.insertCertificate(record)
                    records.append(stored)
                    idsByNames[demand.resolver + "|" + nameSet.key] = stored.id
                    demandedIDs.insert(stored.id)
                    logger.info("certificate demanded", metadata: ["names": "\(stored.names.joined(separator: ","))", "resolver": "\(demand.resolver)"])
                } catch let error as StorageError where error.code == .duplicateCertificate {
                    // Another node inserted it first; the next pass sees it.
                    continue
                }
            }
            // Certificates asked for through the admin API are demanded until revoked.
            for record in records where record.source == .adminAPI && record.status != .revoked {
                demandedIDs.insert(record.id)
            }
            for index in records.indices {
                records[index] = try await updateUsage(records[index], demanded: demandedIDs.contains(records[index].id), now: now)
            }
            publishServable(records, now: now)
            for record in records where demandedIDs.contains(record.id) && record.status == .valid && record.ariCertificateID != nil
                && (record.nextCheckTime ?? .distantPast) <= now && ariChecks[record.id] == nil && inFlight[record.id] == nil {
                guard let settings = resolvers[record.resolver] else { continue }
                let id = record.id
                ariChecks[id] = Task { [self] in
                    await self.refreshRenewalInfo(recordID: id, settings: settings)
                    self.ariCheckFinished(id)
                }
            }
            for record in records where demandedIDs.contains(record.id) && isDue(record, now: now) && inFlight[record.id] == nil {
                guard let settings = resolvers[record.resolver] else { continue }
                let id = record.id
                inFlight[id] = Task { [self] in
                    await self.order(recordID: id, settings: settings)
                    self.orderFinished(id)
                }
            }
        } catch {
            logger.error("certificate reconciliation failed", metadata: ["error": "\(error)"])
        }
    }

    private func ariCheckFinished(_ id: String) {
        ariChecks[id] = nil
    }

    /// Asks the CA again for a valid certificate's renewal window (RFC 9773 §4.3: the window
    /// may move, e.g. before a mass revocation), at the CA's Retry-After or every 6 hours,
    /// jittered; a renewal time inside the new window is kept, one outside is drawn anew.
    private func refreshRenewalInfo(recordID: String, settings: ResolverSettings) async {
        guard var record = try? await storage.certificate(id: recordID), let leaf = try? record.leafCertificate() else { return }
        let defaultInterval: TimeInterval = 6 * 3600
        var next = defaultInterval
        do {
            let client = try await client(for: settings)
            if let info = try await client.renewalInfo(for: leaf) {
                let window = RenewalWindow(start: info.suggestedWindow.start, end: info.suggestedWindow.end)
                if record.ariWindow != window {
                    record.ariWindow = window
                    if let current = record.renewalTime, current >= window.start, current <= window.end {
                        // Still inside: keep the time already chosen.
                    } else {
                        record.renewalTime = info.randomRenewalTime()
                    }
                    logger.info("CA moved the renewal window", metadata: [
                        "names": "\(record.names.joined(separator: ","))", "start": "\(window.start)", "end": "\(window.end)",
                    ])
                    try? await audit(.renewalInfoFetched, record, "suggested window \(window.start) – \(window.end)")
                }
                if let retry = info.retryAfter { next = Double(retry.components.seconds) }
            }
        } catch {
            logger.warning("renewal information not fetched; the current renewal time stands", metadata: [
                "names": "\(record.names.joined(separator: ","))", "error": "\(error)",
            ])
            next = 3600
        }
        // Only the renewal fields change: re-read so an operator's change made meanwhile stands.
        guard var fresh = try? await storage.certificate(id: recordID), fresh.serialNumber == record.serialNumber else { return }
        fresh.ariWindow = record.ariWindow
        if fresh.status == .valid, let current = fresh.renewalTime {
            fresh.renewalTime = min(current, record.renewalTime ?? current)
        }
        fresh.nextCheckTime = Date().addingTimeInterval(next * Double.random(in: 0.9...1.1))
        _ = try? await storage.updateCertificate(fresh)
    }

    private func orderFinished(_ id: String) {
        inFlight[id] = nil
        wake?.yield()
    }

    /// Marks records no router uses (they are not renewed) and expired ones.
    private func updateUsage(_ record: CertificateRecord, demanded: Bool, now: Date) async throws -> CertificateRecord {
        var record = record
        var changed = false
        if demanded, record.unusedSince != nil {
            record.unusedSince = nil
            changed = true
        } else if !demanded, record.unusedSince == nil {
            record.unusedSince = now
            changed = true
            logger.info("certificate no longer used by any router; it will not be renewed", metadata: ["names": "\(record.names.joined(separator: ","))"])
        }
        if record.status.isServable, let notAfter = record.notAfter, notAfter <= now {
            let before = AuditState.certificate(record)
            record.status = .expired
            record.statusReason = "expired at \(ISO8601DateFormatter().string(from: notAfter))"
            changed = true
            try await audit(.certificateExpired, record, "expired", before: before)
        }
        return changed ? try await storage.updateCertificate(record) : record
    }

    /// Whether an order should start for `record` now.
    func isDue(_ record: CertificateRecord, now: Date) -> Bool {
        let retryReached = (record.nextRetryTime ?? .distantPast) <= now
        switch record.status {
        case .pending, .issuing, .renewing, .failed, .revoked, .expired:
            return retryReached
        case .valid:
            return (record.renewalTime ?? .distantFuture) <= now
        }
    }

    /// Whether `record` has a certificate that can be served at `now`: issued, not revoked, not
    /// expired.
    static func isServing(_ record: CertificateRecord, at now: Date) -> Bool {
        record.status.isServable && record.chainPEM != nil && (record.notAfter ?? .distantPast) > now
    }

    /// Whether `names` (of a certificate) cover every one of `wanted`, wildcards one label deep.
    static func covers(_ names: [String], _ wanted: [String]) -> Bool {
        let have = Set(names.map { $0.lowercased() })
        return wanted.allSatisfy { name in
            let name = name.lowercased()
            if have.contains(name) { return true }
            guard !name.hasPrefix("*."), let dot = name.firstIndex(of: ".") else { return false }
            return have.contains("*" + name[dot...])
        }
    }

    /// Publishes the servable certificates when that set changed.
    private func publishServable(_ records: [CertificateRecord], now: Date) {
        var next: [String: (serial: String, certificate: ServerCertificate)] = [:]
        for record in records where Self.isServing(record, at: now) {
            guard let chain = record.chainPEM, let key = record.privateKey, let serial = record.serialNumber else { continue }
            if let current = published[record.id], current.serial == serial {
                next[record.id] = current
                continue
            }
            do {
                let certificate = try ServerCertificate.load(certificatePEM: Array(chain.utf8), keyPEM: key.bytes)
                next[record.id] = (serial, certificate)
                logger.info("serving certificate", metadata: [
                    "names": "\(record.names.joined(separator: ","))", "serial": "\(serial)",
                    "notAfter": "\(record.notAfter.map { ISO8601DateFormatter().string(from: $0) } ?? "?")",
                ])
            } catch {
                logger.error("stored certificate cannot be served", metadata: ["names": "\(record.names.joined(separator: ","))", "error": "\(error)"])
            }
        }
        let changed = next.count != published.count || next.contains { published[$0.key]?.serial != $0.value.serial }
        for (id, entry) in published where next[id] == nil {
            let names = records.first { $0.id == id }.map { "\($0.names.joined(separator: ",")) (\($0.status))" } ?? id
            logger.info("certificate no longer served", metadata: ["certificate": "\(names)", "serial": "\(entry.serial)"])
        }
        published = next
        if changed {
            publish(published.values.map(\.certificate))
        }
    }

    // MARK: Orders

    private func order(recordID: String, settings: ResolverSettings) async {
        let lockName = "order:\(recordID)"
        do {
            guard try await storage.tryLock(name: lockName, owner: options.nodeID, ttl: .seconds(600)) else {
                logger.debug("order skipped: another node holds its lock", metadata: ["certificate": "\(recordID)"])
                return
            }
        } catch {
            logger.error("order lock failed", metadata: ["error": "\(error)"])
            return
        }
        await orderHoldingLock(recordID: recordID, settings: settings)
        try? await storage.unlock(name: lockName, owner: options.nodeID)
    }

    /// The order itself, while this node holds the certificate's order lock.
    private func orderHoldingLock(recordID: String, settings: ResolverSettings) async {
        // Re-check under the lock: another node (or an earlier run) may have finished it.
        guard var record = try? await storage.certificate(id: recordID), isDue(record, now: Date()) else { return }
        var orderLogger = logger
        orderLogger[metadataKey: "names"] = "\(record.names.joined(separator: ","))"
        orderLogger[metadataKey: "resolver"] = "\(settings.name)"
        let hadServable = Self.isServing(record, at: Date())
        var transientRetries = 0
        while true {
            do {
                record = try await attempt(record, settings: settings, renewing: hadServable, logger: orderLogger)
                options.onOrderFinished?(true)
                publishServable(try await storage.certificates(resolver: nil), now: Date())
                return
            } catch let error as ACMEError where error.problem?.type == .badNonce && transientRetries < 20 && !Task.isCancelled {
                // The client already retried once; a CA that keeps refusing nonces is flaky, not broken.
                transientRetries += 1
                orderLogger.info("CA refused a nonce again; continuing the order", metadata: ["attempt": "\(transientRetries)"])
                record = (try? await storage.certificate(id: recordID)) ?? record
                try? await Task.sleep(for: .milliseconds(50))
            } catch {
                options.onOrderFinished?(false)
                await recordFailure(recordID: recordID, renewing: hadServable, error: error, logger: orderLogger)
                return
            }
        }
    }

    /// One order attempt: reserve the key, order, store, audit. The order offers the record's
    /// own challenge and DNS credential when it names them (see ``ResolverSettings/forOrder(of:dnsProviderForCredential:)``).
    private func attempt(_ record: CertificateRecord, settings resolverSettings: ResolverSettings, renewing: Bool,
                         logger: Logger) async throws -> CertificateRecord {
        let before = AuditState.certificate(record)
        var record = record
        let settings = try await resolverSettings.forOrder(of: record, dnsProviderForCredential: options.dnsProviderForCredential)
        let key: ACMEPrivateKey
        if let pending = record.pendingOrder {
            do {
                key = try ACMEPrivateKey(pemRepresentation: String(decoding: pending.privateKey.bytes, as: UTF8.self))
            } catch {
                throw CertificateManagerError.storedKeyUnreadable("key reserved for the order of \(record.names.joined(separator: ","))")
            }
        } else {
            key = try ACMEPrivateKey.generate(settings.keyType)
            record.pendingOrder = PendingOrder(privateKey: SecretBytes(utf8: key.pemRepresentation), keyType: settings.keyType.description)
        }
        let status: CertificateStatus = renewing ? .renewing : .issuing
        if record.status != status {
            record.status = status
            record.statusReason = renewing ? "renewal started" : "order started"
        }
        record = try await storage.updateCertificate(record)
        logger.info(renewing ? "renewing certificate" : "ordering certificate", metadata: [
            "keyType": "\(settings.keyType)", "resume": "\(record.pendingOrder?.orderURL != nil)",
        ])

        let client = try await client(for: settings)
        let directory = try await client.directory()
        var replaces: ACMECertificateIdentifier?
        if renewing, directory.renewalInfo != nil, let id = record.ariCertificateID {
            replaces = ACMECertificateIdentifier(rawValue: id)
        }
        let request = ACMEIssuanceRequest(
            identifiers: record.names.map { .dns($0) },
            certificateKey: key,
            challengeTypes: settings.challengeTypes,
            profile: record.profile ?? settings.profile,
            replaces: replaces,
            preferredChain: settings.preferredChain,
            resumeOrderURL: record.pendingOrder?.orderURL
        )
        let solver = ChallengeSolver(settings: settings, answers: answers, storage: storage, logger: logger)
        let recordID = record.id
        let names = record.names
        let issued = try await client.issueCertificate(request, solver: solver) { [self] event in
            await self.handle(event, recordID: recordID, names: names, resolver: settings.name, logger: logger)
        }

        // Store it.
        let leaf = issued.chain.leaf
        var ariID: String?
        var window: RenewalWindow?
        var ariTime: Date?
        if directory.renewalInfo != nil {
            ariID = (try? ACMECertificateIdentifier(certificate: leaf))?.rawValue
            if let info = try? await client.renewalInfo(for: leaf) {
                window = RenewalWindow(start: info.suggestedWindow.start, end: info.suggestedWindow.end)
                ariTime = info.randomRenewalTime()
                try? await audit(.renewalInfoFetched, record, "suggested window \(info.suggestedWindow.start) – \(info.suggestedWindow.end)")
            }
        }
        guard let stored = try await storage.certificate(id: recordID) else { throw CertificateManagerError.noCertificate(name: names[0]) }
        record = stored
        record.chainPEM = issued.chain.pem
        record.privateKey = SecretBytes(utf8: key.pemRepresentation)
        record.keyType = settings.keyType.description
        record.issuer = leaf.issuer.description
        record.serialNumber = leaf.serialNumber.bytes.map { String(format: "%02x", $0) }.joined()
        record.notBefore = leaf.notValidBefore
        record.notAfter = leaf.notValidAfter
        record.ariCertificateID = ariID
        record.ariWindow = window
        record.nextCheckTime = ariID == nil ? nil : Date().addingTimeInterval(6 * 3600 * Double.random(in: 0.9...1.1))
        record.renewalTime = options.policy.renewalTime(notBefore: leaf.notValidBefore, notAfter: leaf.notValidAfter, ariTime: ariTime)
        record.profile = issued.profile ?? record.profile
        record.pendingOrder = nil
        record.failureCount = 0
        record.nextRetryTime = nil
        record.lastError = nil
        record.status = .valid
        record.statusReason = renewing ? "renewed" : "issued"
        record = try await storage.updateCertificate(record)
        try await audit(renewing ? .certificateRenewed : .certificateIssued, record,
                        "serial \(record.serialNumber ?? "?") issued by \(record.issuer ?? "?"), valid until \(ISO8601DateFormatter().string(from: leaf.notValidAfter))",
                        before: before)
        logger.info("certificate stored", metadata: [
            "serial": "\(record.serialNumber ?? "?")", "notAfter": "\(ISO8601DateFormatter().string(from: leaf.notValidAfter))",
            "renewAt": "\(record.renewalTime.map { ISO8601DateFormatter().string(from: $0) } ?? "?")",
        ])
        return record
    }

    /// Logs an order step at info, audits it, and persists the order URL as soon as it exists.
    private func handle(_ event: ACMEIssuanceEvent, recordID: String, names: [String], resolver: String, logger: Logger) async {
        logger.info("\(event)")
        func audit(_ kind: AuditEventKind, _ detail: String) async {
            try? await self.audit(kind, resolver: resolver, names: names, certificateID: recordID, detail)
        }
        switch event {
        case .orderCreated(let url, _), .orderResumed(let url, _):
            if case .orderCreated = event {
                await audit(.orderCreated, "order \(url)")
            }
            if var stored = try? await storage.certificate(id: recordID), stored.pendingOrder?.orderURL != url {
                stored.pendingOrder?.orderURL = url
                _ = try? await storage.updateCertificate(stored)
            }
        case .challengePresented(let identifier, let type):
            await audit(.challengePresented, "\(type) for \(identifier)")
        case .authorizationValid(let identifier):
            await audit(.challengeValidated, "\(identifier) validated")
        case .challengeCleanedUp(let identifier, let type):
            await audit(.challengeCleanedUp, "\(type) for \(identifier)")
        default:
            break
        }
    }

    private func recordFailure(recordID: String, renewing: Bool, error: any Error, logger: Logger) async {
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if let acme = error as? ACMEError {
            if let identifier = acme.identifier { metadata["identifier"] = "\(identifier)" }
            if let type = acme.challengeType { metadata["challenge"] = "\(type)" }
            if let problem = acme.problem { metadata["problem"] = "\(problem)" }
        }
        guard var record = try? await storage.certificate(id: recordID) else { return }
        let before = AuditState.certificate(record)
        record.failureCount += 1
        let wait = options.policy.backoff(afterFailures: record.failureCount)
        record.nextRetryTime = Date().addingTimeInterval(wait)
        record.lastError = "\(error)"
        if renewing {
            record.status = .renewing
            record.statusReason = "renewal failed \(record.failureCount) time(s); the current certificate keeps serving"
        } else {
            record.status = .failed
            record.statusReason = "order failed \(record.failureCount) time(s)"
        }
        if let acme = error as? ACMEError, acme.code == .orderFailed || acme.code == .authorizationFailed {
            // That order is dead: the next attempt orders anew (with the same reserved key).
            record.pendingOrder?.orderURL = nil
        }
        metadata["retryIn"] = "\(Int(wait.rounded()))s"
        logger.error(renewing ? "certificate renewal failed" : "certificate order failed", metadata: metadata)
        _ = try? await storage.updateCertificate(record)
        try? await audit(.certificateFailed, record, "\(error)", before: before,
                         after: AuditState.certificate(record).adding(["failures": .int(record.failureCount)]))
    }

    // MARK: Accounts

    private func client(for settings: ResolverSettings) async throws -> ACMEClient {
        if let client = clients[settings.name] { return client }
        let transport = try transports[settings.name] ?? AccountClients.transport(for: settings)
        transports[settings.name] = transport
        let client = try await AccountClients.client(for: settings, storage: storage, transport: transport, register: true,
                                                     nodeID: options.nodeID, logger: logger)
        clients[settings.name] = client
        return client
    }

    // MARK: Import

    private func importACMEJSONFiles() async {
        guard !imported else { return }
        imported = true
        for settings in resolvers.values.sorted(by: { $0.name < $1.name }) {
            guard let path = settings.acmeJSONPath else { continue }
            do {
                let result = try await storage.importTraefikACMEJSON(path: path, resolver: settings.name, directoryURL: settings.directoryURL,
                                                                     nodeID: options.nodeID)
                logger.info("acme.json import", metadata: ["file": "\(path)", "resolver": "\(settings.name)", "result": "\(result)"])
            } catch {
                logger.error("acme.json not imported", metadata: ["file": "\(path)", "resolver": "\(settings.name)", "error": "\(error)"])
            }
        }
    }

    /// Audits an event of `record`. A status change records `before` and the record's state
    /// after (`after`, or `record`'s own); the gateway acts on its own, so there is no actor.
    private func audit(_ kind: AuditEventKind, _ record: CertificateRecord, _ detail: String, before: AuditState? = nil,
                       after: AuditState? = nil) async throws {
        try await audit(kind, resolver: record.resolver, names: record.names, certificateID: record.id, detail,
                        before: before, after: before == nil ? after : (after ?? AuditState.certificate(record)))
    }

    private func audit(_ kind: AuditEventKind, resolver: String, names: [String], certificateID: String, _ detail: String,
                       before: AuditState? = nil, after: AuditState? = nil) async throws {
        let failed = kind == .certificateFailed || kind == .challengeFailed
        try await storage.appendAuditEvent(AuditEvent(kind: kind, resolver: resolver, names: names, certificateID: certificateID,
                                                      detail: detail, nodeID: options.nodeID, target: certificateID,
                                                      result: failed ? "failed" : "succeeded", before: before?.json, after: after?.json))
    }
}
