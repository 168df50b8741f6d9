import Foundation

extension CertificateStorage {
    /// Imports a resolver's account and certificates from the Traefik `acme.json` file named by
    /// the resolver's `storage` option, once: the import is recorded by (absolute path, resolver)
    /// and never repeated or duplicated, even by several processes starting together. The file is
    /// only read, never written.
    ///
    /// - The account is stored for (`resolver`, `directoryURL`) unless one exists. Traefik does
    ///   not record which CA an account belongs to, so the caller passes the resolver's CA
    ///   directory URL. The account key (PKCS#1 DER in the file) is stored as PEM
    ///   (`RSA PRIVATE KEY`), with its key type read from the key (e.g. `RSA4096`).
    /// - Each certificate becomes a record with source ``CertificateSource/traefikACMEJSON``,
    ///   names `main` then `sans`, the PEM chain and key as in the file, and the leaf's serial
    ///   number, issuer, notBefore and notAfter read from its DER by this module (no
    ///   swift-certificates needed). Status is ``CertificateStatus/valid`` before notAfter, else
    ///   ``CertificateStatus/expired``. The ARI certificate id is left for the manager to fill.
    ///   A record that already exists for the same resolver and names is kept.
    /// - Entries Traefik itself would drop (no certificate or no key) are skipped with a note.
    ///
    /// A missing or empty file imports nothing, without error.
    ///
    /// - Throws: ``StorageError/Code/invalidACMEJSON`` naming the file and what is wrong (not
    ///   JSON, wrong shape, bad base64, a certificate or key that cannot be read); nothing is
    ///   imported then.
    public func importTraefikACMEJSON(
        path: String,
        resolver: String,
        directoryURL: String,
        nodeID: String? = nil
    ) async throws -> TraefikImportResult {
        let absolutePath = URL(fileURLWithPath: path).standardizedFileURL.path
        if try await hasImported(path: absolutePath, resolver: resolver) {
            return TraefikImportResult(status: .alreadyImported)
        }
        let bytes: [UInt8]
        do {
            guard let contents = try PrivateFiles.contents(of: absolutePath) else {
                return TraefikImportResult(status: .fileMissing)
            }
            bytes = contents
        } catch let error as StorageError {
            throw StorageError.unreadableACMEJSON(path: absolutePath, error.description)
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            return TraefikImportResult(status: .fileEmpty)
        }

        let file: TraefikACMEJSON
        do {
            file = try TraefikACMEJSON(bytes: bytes)
        } catch let error as TraefikACMEJSON.FormatError {
            throw StorageError.invalidACMEJSON(path: absolutePath, error.reason)
        }
        guard let data = file.resolvers[resolver] else {
            return TraefikImportResult(
                status: .resolverMissing,
                notes: ["the file has no resolver \"\(resolver)\" (it has: \(file.resolvers.keys.sorted().joined(separator: ", ")))"]
            )
        }

        let now = Date()
        var notes = data.skipped
        var account: AccountRecord?
        if let fileAccount = data.account {
            if let der = fileAccount.privateKeyDER, !der.isEmpty {
                let kind: PrivateKeyKind
                do {
                    kind = try PrivateKeyKind(der: der)
                } catch {
                    throw StorageError.invalidACMEJSON(
                        path: absolutePath, "resolver \"\(resolver)\": Account.PrivateKey is not a private key (\(error))"
                    )
                }
                account = AccountRecord(
                    resolver: resolver,
                    directoryURL: directoryURL,
                    email: fileAccount.email.flatMap { $0.isEmpty ? nil : $0 },
                    accountURL: fileAccount.registrationURL.flatMap { $0.isEmpty ? nil : $0 },
                    privateKey: SecretBytes(utf8: PEMDocument.encode(label: kind.pemLabel, der: der)),
                    keyType: kind.keyType ?? "unknown",
                    createdAt: now
                )
            } else {
                notes.append("Account: no private key; not imported")
            }
        }

        var certificates: [CertificateRecord] = []
        for entry in data.certificates {
            let place = "resolver \"\(resolver)\": \(entry.location)"
            let nameSet: NameSet
            let summary: CertificateSummary
            let keyKind: PrivateKeyKind
            do {
                nameSet = try NameSet(entry.names)
                guard let leaf = try PEMDocument.parseAll(entry.certificatePEM).first(where: { $0.label == "CERTIFICATE" }) else {
                    throw DERReader.ParseError(description: "the certificate holds no CERTIFICATE block")
                }
                summary = try CertificateSummary(der: leaf.der)
                keyKind = try PrivateKeyKind(pem: entry.keyPEM)
            } catch let error as StorageError {
                throw StorageError.invalidACMEJSON(path: absolutePath, "\(place): \(error.description)")
            } catch {
                throw StorageError.invalidACMEJSON(path: absolutePath, "\(place): \(error)")
            }
            certificates.append(CertificateRecord(
                resolver: resolver,
                names: nameSet.names,
                status: summary.notAfter > now ? .valid : .expired,
                statusReason: "imported from \(absolutePath)",
                chainPEM: entry.certificatePEM,
                privateKey: SecretBytes(utf8: entry.keyPEM),
                keyType: keyKind.keyType ?? Self.traefikKeyType(data.account?.keyType),
                issuer: summary.issuer,
                serialNumber: summary.serialNumber,
                notBefore: summary.notBefore,
                notAfter: summary.notAfter,
                source: .traefikACMEJSON,
                createdAt: now,
                updatedAt: now
            ))
        }

        let outcome = try await importOnce(ImportBatch(
            sourcePath: absolutePath,
            resolver: resolver,
            account: account,
            certificates: certificates,
            nodeID: nodeID
        ))
        if outcome.alreadyImported {
            return TraefikImportResult(status: .alreadyImported)
        }
        if account != nil, !outcome.accountStored {
            notes.append("Account: an account for this resolver and CA is already stored; kept it")
        }
        for names in outcome.skippedCertificateNames {
            notes.append("certificate for \(names.joined(separator: ", ")): already stored; kept it")
        }
        return TraefikImportResult(
            status: .imported,
            accountStored: outcome.accountStored,
            certificateIDs: outcome.storedCertificateIDs,
            notes: notes
        )
    }

    /// Gatehouse's name for a lego key type as Traefik stores it (`P256`, `4096` …).
    private static func traefikKeyType(_ value: String?) -> String? {
        switch value {
        case "P256", "EC256": "EC256"
        case "P384", "EC384": "EC384"
        case "2048", "RSA2048": "RSA2048"
        case "3072", "RSA3072": "RSA3072"
        case "4096", "RSA4096": "RSA4096"
        case "8192", "RSA8192": "RSA8192"
        default: nil
        }
    }
}
