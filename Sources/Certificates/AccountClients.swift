import ACME
import Foundation
import Logging
import Storage

/// ACME clients bound to a resolver's stored account.
enum AccountClients {
    /// A transport trusting the resolver's extra roots besides the system's.
    static func transport(for settings: ResolverSettings) throws -> ACMEHTTPClientTransport {
        try ACMEHTTPClientTransport(configuration: .init(
            trustRoots: settings.trustRoots.isEmpty ? .system : .systemAnd(settings.trustRoots),
            requestTimeout: .seconds(30), connectTimeout: .seconds(5)
        ))
    }

    /// A client for the resolver's account: the stored one, or (with `register`) a new key,
    /// stored before the CA is asked, then registered with the contact address and EAB.
    static func client(
        for settings: ResolverSettings, storage: any CertificateStorage, transport: ACMEHTTPClientTransport,
        register: Bool, nodeID: String, logger: Logger
    ) async throws -> ACMEClient {
        var stored = try await storage.account(resolver: settings.name, directoryURL: settings.directoryURL)
        let accountKey: ACMEPrivateKey
        if let stored {
            do {
                accountKey = try ACMEPrivateKey(pemRepresentation: String(decoding: stored.privateKey.bytes, as: UTF8.self))
            } catch {
                do {
                    accountKey = try ACMEPrivateKey(derRepresentation: stored.privateKey.bytes)
                } catch {
                    throw CertificateManagerError.storedKeyUnreadable("account key of resolver \(settings.name)")
                }
            }
        } else if register {
            accountKey = try ACMEPrivateKey.generate(.ec256)
            let record = AccountRecord(resolver: settings.name, directoryURL: settings.directoryURL, email: settings.email,
                                       privateKey: SecretBytes(utf8: accountKey.pemRepresentation), keyType: "EC256")
            try await storage.saveAccount(record)
            stored = record
        } else {
            throw CertificateManagerError.noAccount(resolver: settings.name)
        }
        let client = ACMEClient(directoryURL: settings.directoryURL, accountKey: accountKey, accountURL: stored?.accountURL,
                                transport: transport, logger: logger)
        guard stored?.accountURL == nil, var record = stored else { return client }
        if !register {
            throw CertificateManagerError.noAccount(resolver: settings.name)
        }
        let eab = try settings.externalAccountBinding.map { try ExternalAccountBinding(keyID: $0.keyID, macKey: $0.macKey) }
        let account = try await client.createAccount(contact: settings.email.map { [$0] } ?? [], termsOfServiceAgreed: true,
                                                     externalAccountBinding: eab)
        record.accountURL = account.url
        try await storage.saveAccount(record)
        try await storage.appendAuditEvent(AuditEvent(kind: .accountRegistered, resolver: settings.name,
                                                      detail: "account \(account.url) at \(settings.directoryURL)", nodeID: nodeID,
                                                      target: account.url, result: "succeeded"))
        logger.info("ACME account registered", metadata: ["resolver": "\(settings.name)", "account": "\(account.url)"])
        return client
    }
}
