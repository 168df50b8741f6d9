import Foundation

/// Where the certificate manager keeps its state: ACME accounts, certificate records with their
/// status history, the audit log, challenge answers, and locks.
///
/// ``SQLiteCertificateStorage`` is the embedded backend (one host, one or more processes); a
/// PostgreSQL backend shares the same contract between the nodes of a cluster.
///
/// ## Concurrency rules
///
/// - Every method may be called from any task, any process and, for a shared backend, any node.
///   Each call is atomic: a reader sees a record before or after a write, never half of it.
///   There are no transactions spanning calls.
/// - Exclusive work (ordering a certificate, registering an account) is guarded by a lock:
///   ``tryLock(name:owner:ttl:)`` takes a named lock for `ttl` and returns whether the caller
///   got it; exactly one of several concurrent callers does. Locks **expire**: a holder that
///   dies leaves a lock that another owner can take once `ttl` has passed, so a holder doing
///   long work calls ``refreshLock(name:owner:ttl:)`` well before the expiry and stops working
///   when a refresh returns `false`. Lock owners are strings unique per node and task.
/// - Because locks expire, the work behind one must be idempotent, and **re-checked after the
///   lock is taken**: reload the record and skip the order if another node finished it in the
///   meantime (certmagic's rule). Records carry what is needed to resume after a crash
///   (``CertificateRecord/pendingOrder`` holds the order URL and the key reserved for it).
/// - Challenge answers are visible to every node as soon as the put returns, so whichever node
///   the CA reaches can answer. Expired answers are never returned.
/// - Expiry is judged by the clock of the process doing the call (the SQLite backend) or of the
///   database server (a shared backend): keep clocks synchronized and TTLs well above skew.
/// - The audit log is append-only: there is no method to change or delete an event.
/// - Private keys in records are encrypted at rest and decrypted on read; a wrong key fails the
///   read with ``StorageError/Code/wrongSecretKey``.
public protocol CertificateStorage: Sendable {
    // MARK: Accounts

    /// The account for `resolver` at the CA with `directoryURL`, if stored.
    func account(resolver: String, directoryURL: String) async throws -> AccountRecord?

    /// Stores `account`, replacing the one for the same resolver and directory URL.
    func saveAccount(_ account: AccountRecord) async throws

    // MARK: Certificates

    /// Stores a new record (names normalized, ``CertificateRecord/updatedAt`` set to now) and its
    /// first status transition, and returns the record as stored.
    ///
    /// - Throws: ``StorageError/Code/duplicateCertificate`` when the resolver already has a
    ///   record for the same set of names; ``StorageError/Code/invalidName``.
    @discardableResult
    func insertCertificate(_ record: CertificateRecord) async throws -> CertificateRecord

    /// Replaces the record with the same id (names normalized, ``CertificateRecord/updatedAt``
    /// set to now) and returns the record as stored. A change of status is appended to the
    /// status history with the record's status reason.
    ///
    /// - Throws: ``StorageError/Code/certificateNotFound``; ``StorageError/Code/duplicateCertificate``
    ///   when the new names collide with another record's.
    @discardableResult
    func updateCertificate(_ record: CertificateRecord) async throws -> CertificateRecord

    /// Deletes the record with `id` (its status history and audit events stay). No error if absent.
    func deleteCertificate(id: String) async throws

    /// The record with `id`.
    func certificate(id: String) async throws -> CertificateRecord?

    /// The record of `resolver` for this set of names, whatever their order and case.
    func certificate(resolver: String, names: [String]) async throws -> CertificateRecord?

    /// All records, or those of `resolver`, ordered by main name.
    func certificates(resolver: String?) async throws -> [CertificateRecord]

    /// The servable (valid or renewing, inside notBefore…notAfter now) certificate that covers
    /// `name`: by the name itself or by a wildcard one label up (`*.example.com` covers
    /// `a.example.com`, not `b.a.example.com` nor `example.com`). An exact name wins over a
    /// wildcard, then the latest notAfter.
    ///
    /// - Throws: ``StorageError/Code/invalidName`` when `name` cannot be a DNS name.
    func validCertificate(covering name: String) async throws -> CertificateRecord?

    /// The status changes of a certificate, oldest first.
    func statusHistory(certificateID: String) async throws -> [StatusTransition]

    // MARK: Audit log

    /// Appends `event` and returns it with its ``AuditEvent/sequence``.
    ///
    /// - Throws: ``StorageError/Code/secretInAuditDetail`` when the detail, before or after holds a
    ///   PEM private key; ``StorageError/Code/invalidAuditState`` when before or after is not a JSON
    ///   object.
    @discardableResult
    func appendAuditEvent(_ event: AuditEvent) async throws -> AuditEvent

    /// The events that match `query`.
    func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent]

    // MARK: Challenge answers

    /// Publishes the HTTP-01 key authorization for `token` until `expiresAt`.
    func putHTTPChallenge(token: String, keyAuthorization: String, expiresAt: Date) async throws
    /// The key authorization for `token`, unless absent or expired.
    func httpChallenge(token: String) async throws -> String?
    /// Removes the answer for `token`.
    func removeHTTPChallenge(token: String) async throws

    /// Adds `value` to the TXT values of the DNS-01 record `recordName` (e.g.
    /// `_acme-challenge.example.com`) until `expiresAt`. One name can hold several values (a
    /// wildcard and its apex are validated on the same name).
    func addDNSChallenge(recordName: String, value: String, expiresAt: Date) async throws
    /// The unexpired TXT values of `recordName`, sorted.
    func dnsChallengeValues(recordName: String) async throws -> [String]
    /// Removes one TXT value of `recordName`.
    func removeDNSChallenge(recordName: String, value: String) async throws

    /// Publishes a TLS-ALPN-01 answer, replacing any for the same identifier.
    func putTLSALPNChallenge(_ answer: TLSALPNChallengeAnswer) async throws
    /// The answer for `identifier`, unless absent or expired.
    func tlsALPNChallenge(identifier: String) async throws -> TLSALPNChallengeAnswer?
    /// Removes the answer for `identifier`.
    func removeTLSALPNChallenge(identifier: String) async throws

    // MARK: Locks

    /// Takes the lock `name` for `owner` until now + `ttl`, if it is free, expired, or already
    /// held by `owner` (then its expiry is extended). Returns whether `owner` holds it now.
    func tryLock(name: String, owner: String, ttl: Duration) async throws -> Bool

    /// Extends a lock `owner` holds, unexpired, to now + `ttl`. Returns `false` when the lock
    /// expired or belongs to someone else: the caller must stop its work.
    func refreshLock(name: String, owner: String, ttl: Duration) async throws -> Bool

    /// Releases the lock `name` held by `owner`.
    ///
    /// - Throws: ``StorageError/Code/lockNotHeld`` when `owner` does not hold it.
    func unlock(name: String, owner: String) async throws

    // MARK: One-time import

    /// Whether the file at `path` was imported for `resolver`.
    func hasImported(path: String, resolver: String) async throws -> Bool

    /// Stores `batch` and marks its source imported, atomically, unless it was imported before
    /// (then nothing is written). Existing accounts and certificates are kept, not replaced.
    /// Writes an audit event for each stored account and certificate.
    func importOnce(_ batch: ImportBatch) async throws -> ImportOutcome
}
