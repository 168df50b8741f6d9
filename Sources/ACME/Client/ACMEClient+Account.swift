import Foundation

extension ACMEClient {
    private struct NewAccountPayload: Encodable {
        var contact: [String]?
        var termsOfServiceAgreed: Bool?
        var onlyReturnExisting: Bool?
        var externalAccountBinding: FlattenedJWS?
    }

    private struct AccountUpdatePayload: Encodable {
        var contact: [String]?
        var status: ACMEStatus?
    }

    /// Creates the account for the account key, or returns the existing one (RFC 8555 §7.3).
    /// Sets ``accountURL``.
    ///
    /// - Parameters:
    ///   - contact: e-mail addresses, with or without `mailto:`; each is checked first (see
    ///     ``ContactAddress/mailtoURIs(_:)``).
    ///   - termsOfServiceAgreed: whether the operator agreed to the CA's terms
    ///     (``ACMEDirectory/Meta/termsOfService``).
    ///   - externalAccountBinding: required by CAs whose directory says
    ///     `externalAccountRequired`.
    /// - Returns: the account; ``ACMEAccount/wasCreated`` tells whether it is new.
    /// - Throws: ``ACMEError``: ``ACMEError/Code/invalidContact`` for a malformed address (the
    ///   request is not sent), ``ACMEError/Code/invalidArgument`` when the CA requires an
    ///   external account binding and none is given, ``ACMEError/Code/server`` for refusals.
    @discardableResult
    public func createAccount(
        contact: [String] = [],
        termsOfServiceAgreed: Bool = false,
        externalAccountBinding: ExternalAccountBinding? = nil
    ) async throws -> ACMEAccount {
        let contacts = try ContactAddress.mailtoURIs(contact)
        let directory = try await self.directory()
        let url = try await self.directoryURL(\.newAccount, name: "newAccount", step: .newAccount)
        if directory.meta?.externalAccountRequired == true, externalAccountBinding == nil {
            throw ACMEError(
                code: .invalidArgument, step: .newAccount, url: url,
                message: "the CA requires an external account binding (directory meta.externalAccountRequired)"
            )
        }
        let key = self.accountKey
        var payload = NewAccountPayload(
            contact: contacts.isEmpty ? nil : contacts,
            termsOfServiceAgreed: termsOfServiceAgreed ? true : nil
        )
        if let externalAccountBinding {
            do {
                payload.externalAccountBinding = try externalAccountBinding.jws(accountKey: key.jwk, newAccountURL: url)
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: .newAccount, url: url,
                    message: "the external account binding for \(externalAccountBinding.keyID) could not be signed",
                    underlying: error
                )
            }
        }
        let body = try self.encode(payload, step: .newAccount, url: url)
        let response = try await self.post(url, payload: body, step: .newAccount, signer: .jwk(key))
        return try self.account(from: response, step: .newAccount, url: url)
    }

    /// Looks up the account of the account key without creating one (`onlyReturnExisting`).
    /// Sets ``accountURL`` when found.
    ///
    /// - Returns: the account, or nil when the CA has none for this key.
    public func findAccount() async throws -> ACMEAccount? {
        let url = try await self.directoryURL(\.newAccount, name: "newAccount", step: .findAccount)
        let body = try self.encode(NewAccountPayload(onlyReturnExisting: true), step: .findAccount, url: url)
        do {
            let response = try await self.post(url, payload: body, step: .findAccount, signer: .jwk(self.accountKey))
            return try self.account(from: response, step: .findAccount, url: url)
        } catch let error as ACMEError where error.hasProblemType(.accountDoesNotExist) {
            return nil
        }
    }

    /// The account object as the CA has it now (POST-as-GET to ``accountURL``).
    public func fetchAccount() async throws -> ACMEAccount {
        let url = try self.requireAccountURL(step: .fetchAccount)
        let response = try await self.postAsGet(url, step: .fetchAccount)
        var account: ACMEAccount = try self.decode(response, step: .fetchAccount, url: url)
        account.url = url
        return account
    }

    /// Replaces the account's contact addresses (RFC 8555 §7.3.2).
    @discardableResult
    public func updateAccount(contact: [String]) async throws -> ACMEAccount {
        let contacts = try ContactAddress.mailtoURIs(contact)
        let url = try self.requireAccountURL(step: .updateAccount)
        let body = try self.encode(AccountUpdatePayload(contact: contacts), step: .updateAccount, url: url)
        let response = try await self.post(url, payload: body, step: .updateAccount)
        var account: ACMEAccount = try self.decode(response, step: .updateAccount, url: url)
        account.url = url
        return account
    }

    /// Deactivates the account (RFC 8555 §7.3.6). The CA refuses every later request of it.
    @discardableResult
    public func deactivateAccount() async throws -> ACMEAccount {
        let url = try self.requireAccountURL(step: .deactivateAccount)
        let body = try self.encode(AccountUpdatePayload(status: .deactivated), step: .deactivateAccount, url: url)
        let response = try await self.post(url, payload: body, step: .deactivateAccount)
        var account: ACMEAccount = try self.decode(response, step: .deactivateAccount, url: url)
        account.url = url
        return account
    }

    func requireAccountURL(step: ACMEError.Step) throws -> String {
        guard let accountURL else {
            throw ACMEError(
                code: .noAccount, step: step, url: nil,
                message: "no account URL: create or find the account first, or set it with useAccount(url:)"
            )
        }
        return accountURL
    }

    private func account(from response: ACMEHTTPResponse, step: ACMEError.Step, url: String) throws -> ACMEAccount {
        let accountURL = try self.location(of: response, step: step, url: url)
        var account: ACMEAccount = try self.decode(response, step: step, url: url)
        account.url = accountURL
        account.wasCreated = response.status == 201
        self.setAccount(url: accountURL)
        return account
    }
}
