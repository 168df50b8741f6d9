import Foundation
import SQLiteNIO

extension SQLiteCertificateStorage {
    /// See ``CertificateStorage/hasImported(path:resolver:)``.
    public func hasImported(path: String, resolver: String) async throws -> Bool {
        try await run("read the import mark") {
            try await !query(
                "SELECT 1 AS found FROM imports WHERE path = ?1 AND resolver = ?2",
                [.text(path), .text(resolver)]
            ).isEmpty
        }
    }

    /// See ``CertificateStorage/importOnce(_:)``. One `BEGIN IMMEDIATE` transaction: of two
    /// processes importing at once, the second sees the first's mark and writes nothing.
    public func importOnce(_ batch: ImportBatch) async throws -> ImportOutcome {
        try await transaction("import \(batch.sourcePath)") {
            let marked = try await query(
                "SELECT 1 AS found FROM imports WHERE path = ?1 AND resolver = ?2",
                [.text(batch.sourcePath), .text(batch.resolver)]
            )
            if !marked.isEmpty {
                return ImportOutcome(alreadyImported: true)
            }
            var outcome = ImportOutcome(alreadyImported: false)
            if let account = batch.account {
                let existing = try await query(
                    "SELECT 1 AS found FROM accounts WHERE resolver = ?1 AND directory_url = ?2",
                    [.text(account.resolver), .text(account.directoryURL)]
                )
                if existing.isEmpty {
                    try await upsertAccountRow(account)
                    outcome.accountStored = true
                    try await appendAuditRow(AuditEvent(
                        time: now,
                        kind: .accountImported,
                        resolver: account.resolver,
                        detail: "imported the account \(account.accountURL ?? "(no URL)") from \(batch.sourcePath)",
                        nodeID: batch.nodeID,
                        target: account.accountURL,
                        result: "succeeded"
                    ))
                }
            }
            for certificate in batch.certificates {
                let nameSet = try NameSet(certificate.names)
                if try await certificateID(resolver: certificate.resolver, namesKey: nameSet.key) != nil {
                    outcome.skippedCertificateNames.append(nameSet.names)
                    continue
                }
                let stored = try await insertCertificateRows(certificate, reason: "imported from \(batch.sourcePath)")
                outcome.storedCertificateIDs.append(stored.id)
                try await appendAuditRow(AuditEvent(
                    time: now,
                    kind: .certificateImported,
                    resolver: stored.resolver,
                    names: stored.names,
                    certificateID: stored.id,
                    detail: "imported from \(batch.sourcePath) with status \(stored.status)"
                        + (stored.serialNumber.map { ", serial \($0)" } ?? ""),
                    nodeID: batch.nodeID,
                    target: stored.id,
                    result: "succeeded",
                    after: AuditState.certificate(stored).adding(["source": .string(batch.sourcePath)]).json
                ))
            }
            try await query(
                "INSERT INTO imports (path, resolver, imported_at) VALUES (?1, ?2, ?3)",
                [.text(batch.sourcePath), .text(batch.resolver), SQLiteValues.time(now)]
            )
            return outcome
        }
    }
}
