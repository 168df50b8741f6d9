import Foundation
import Logging

/// An RFC 8555 ACME client bound to one CA (its directory URL) and one account key.
///
/// It speaks the protocol only: directory, nonces, JWS, accounts, orders, authorizations,
/// challenges, finalization, certificate download, revocation, key rollover and ARI. Where
/// challenge answers are published, and where keys and certificates are stored, is the
/// caller's business (see ``ACMEChallengeSolver`` and ``issueCertificate(_:solver:onEvent:)``).
///
/// Every request goes through an ``ACMETransport``. Nonces come from `Replay-Nonce` headers
/// and, when none is left, from newNonce (HEAD). A request refused with `badNonce` is sent
/// again with the nonce from the refusal, ``badNonceRetries`` times (three by default), then
/// the refusal is thrown.
///
/// Account-bound calls (`kid` requests) need ``accountURL``: set it with
/// ``createAccount(contact:termsOfServiceAgreed:externalAccountBinding:)``,
/// ``findAccount()``, or ``useAccount(url:)`` for a stored account.
public actor ACMEClient {
    /// The CA's directory URL.
    public nonisolated let directoryURL: String
    /// How the client waits for the CA.
    public nonisolated let polling: ACMEPollingPolicy
    /// How often one request refused with `badNonce` is sent again before the refusal is
    /// thrown.
    public nonisolated let badNonceRetries: Int
    nonisolated let transport: any ACMETransport
    nonisolated let logger: Logger
    nonisolated let clock: any ACMEClock

    /// The key that signs account requests. Replaced by ``changeAccountKey(to:)``.
    public private(set) var accountKey: ACMEPrivateKey
    /// The account URL (the `kid`), once known.
    public private(set) var accountURL: String?

    private var cachedDirectory: ACMEDirectory?
    private var nonces: [String] = []
    private static let maximumStoredNonces = 32

    /// - Parameters:
    ///   - directoryURL: the CA's directory, e.g. `https://acme-v02.api.letsencrypt.org/directory`.
    ///   - accountKey: the account key (ES256 by default, see ``ACMEPrivateKey``).
    ///   - accountURL: the account URL when already known (stored from an earlier run).
    ///   - transport: how requests reach the CA; ``ACMEHTTPClientTransport`` in production.
    ///   - polling: how to wait for the CA; ``ACMEPollingPolicy/default`` unless given.
    ///   - badNonceRetries: how often a request refused with `badNonce` is sent again
    ///     (RFC 8555 §6.5). Default: 3. A CA that rejects a nonce only when it is stale needs
    ///     one; pebble rejects 5 % of valid nonces on purpose (`PEBBLE_WFE_NONCEREJECT`), and
    ///     with one retry a revocation or an order step still failed about once in 400 requests.
    ///   - logger: receives debug lines per request (method, URL, status; never bodies).
    public init(
        directoryURL: String,
        accountKey: ACMEPrivateKey,
        accountURL: String? = nil,
        transport: any ACMETransport,
        polling: ACMEPollingPolicy = .default,
        badNonceRetries: Int = 3,
        logger: Logger = Logger(label: "gatehouse.acme")
    ) {
        self.init(
            directoryURL: directoryURL, accountKey: accountKey, accountURL: accountURL, transport: transport,
            polling: polling, badNonceRetries: badNonceRetries, logger: logger, clock: SystemACMEClock()
        )
    }

    init(
        directoryURL: String,
        accountKey: ACMEPrivateKey,
        accountURL: String?,
        transport: any ACMETransport,
        polling: ACMEPollingPolicy,
        badNonceRetries: Int = 3,
        logger: Logger,
        clock: any ACMEClock
    ) {
        self.directoryURL = directoryURL
        self.accountKey = accountKey
        self.accountURL = accountURL
        self.transport = transport
        self.polling = polling
        self.badNonceRetries = max(0, badNonceRetries)
        var logger = logger
        logger[metadataKey: "acme.directory"] = .string(directoryURL)
        self.logger = logger
        self.clock = clock
    }

    /// Uses an account whose URL is already known, without asking the CA.
    public func useAccount(url: String) {
        self.accountURL = url
    }

    /// The thumbprint of the current account key (the end of every key authorization).
    public var accountKeyThumbprint: String { self.accountKey.thumbprint }

    func setAccount(url: String) {
        self.accountURL = url
    }

    func replaceAccountKey(_ key: ACMEPrivateKey) {
        self.accountKey = key
    }

    // MARK: - Directory

    /// The CA's directory, fetched once and then cached.
    public func directory() async throws -> ACMEDirectory {
        if let cachedDirectory { return cachedDirectory }
        let url = self.directoryURL
        let response = try await self.send(ACMEHTTPRequest(method: .get, url: url), step: .directory)
        guard response.isSuccess else { throw self.error(for: response, step: .directory, url: url) }
        let directory: ACMEDirectory = try self.decode(response, step: .directory, url: url)
        guard directory.newNonce != nil, directory.newAccount != nil, directory.newOrder != nil else {
            throw ACMEError(
                code: .unexpectedResponse, step: .directory, url: url,
                message: "the directory lacks newNonce, newAccount or newOrder"
            )
        }
        self.cachedDirectory = directory
        return directory
    }

    /// A directory URL by its role, or an ``ACMEError/Code/unsupportedByServer`` error.
    func directoryURL(_ keyPath: KeyPath<ACMEDirectory, String?>, name: String, step: ACMEError.Step) async throws -> String {
        let directory = try await self.directory()
        guard let url = directory[keyPath: keyPath] else {
            throw ACMEError(
                code: .unsupportedByServer, step: step, url: self.directoryURL,
                message: "the CA's directory has no \(name) resource"
            )
        }
        return url
    }

    // MARK: - Requests

    /// Who signs a request and how the header names the key.
    enum Signer {
        /// The account key, named by the account URL (`kid`).
        case account
        /// This key, named by its JWK (newAccount, revocation by certificate key).
        case jwk(ACMEPrivateKey)
    }

    /// Sends one request through the transport and keeps any `Replay-Nonce`.
    func send(_ request: ACMEHTTPRequest, step: ACMEError.Step) async throws -> ACMEHTTPResponse {
        let response: ACMEHTTPResponse
        do {
            response = try await self.transport.send(request)
        } catch let error as ACMEError {
            throw error
        } catch {
            throw ACMEError(
                code: .transport, step: step, url: request.url,
                message: "\(request.method.rawValue) request got no response: \(error)", underlying: error
            )
        }
        self.logger.debug("ACME \(request.method.rawValue) \(request.url) -> \(response.status)", metadata: [
            "acme.step": .string(step.name),
        ])
        if let nonce = response.headers["Replay-Nonce"], Self.isValidNonce(nonce) {
            self.nonces.append(nonce)
            if self.nonces.count > Self.maximumStoredNonces {
                self.nonces.removeFirst(self.nonces.count - Self.maximumStoredNonces)
            }
        }
        return response
    }

    /// A fresh nonce: the latest one received, else one from newNonce.
    func nextNonce(step: ACMEError.Step) async throws -> String {
        if let nonce = self.nonces.popLast() { return nonce }
        let url = try await self.directoryURL(\.newNonce, name: "newNonce", step: .newNonce)
        let response = try await self.send(ACMEHTTPRequest(method: .head, url: url), step: .newNonce)
        guard response.isSuccess else { throw self.error(for: response, step: .newNonce, url: url) }
        guard let nonce = self.nonces.popLast() else {
            throw ACMEError(
                code: .unexpectedResponse, step: .newNonce, url: url,
                message: "the newNonce response has no usable Replay-Nonce header", httpStatus: response.status
            )
        }
        return nonce
    }

    /// Signs and POSTs `payload` (nil: POST-as-GET) to `url`. A `badNonce` refusal is retried
    /// ``badNonceRetries`` times with the nonce that came with it; any other error response
    /// throws.
    func post(
        _ url: String,
        payload: Data?,
        step: ACMEError.Step,
        signer: Signer = .account,
        accept: String? = nil
    ) async throws -> ACMEHTTPResponse {
        var badNonceRetriesLeft = self.badNonceRetries
        while true {
            let nonce = try await self.nextNonce(step: step)
            let key: ACMEPrivateKey
            let reference: FlattenedJWS.KeyReference
            switch signer {
            case .account:
                guard let accountURL = self.accountURL else {
                    throw ACMEError(
                        code: .noAccount, step: step, url: url,
                        message: "no account URL: create or find the account first, or set it with useAccount(url:)"
                    )
                }
                key = self.accountKey
                reference = .kid(accountURL)
            case .jwk(let signingKey):
                key = signingKey
                reference = .jwk(signingKey.jwk)
            }
            let body: Data
            do {
                body = try FlattenedJWS.sign(payload: payload, url: url, nonce: nonce, key: key, keyReference: reference)
                    .serialized()
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: step, url: url,
                    message: "signing the request with the \(key.jwsAlgorithm) key failed: \(error)", underlying: error
                )
            }
            var headers: ACMEHTTPHeaders = ["Content-Type": "application/jose+json"]
            if let accept { headers.add(name: "Accept", value: accept) }
            let response = try await self.send(
                ACMEHTTPRequest(method: .post, url: url, headers: headers, body: body), step: step
            )
            if response.isSuccess { return response }
            let error = self.error(for: response, step: step, url: url)
            if error.hasProblemType(.badNonce), badNonceRetriesLeft > 0 {
                badNonceRetriesLeft -= 1
                self.logger.debug("ACME badNonce, retrying", metadata: [
                    "acme.step": .string(step.name), "acme.url": .string(url),
                ])
                continue
            }
            throw error
        }
    }

    /// POST-as-GET (RFC 8555 §6.3).
    func postAsGet(_ url: String, step: ACMEError.Step, accept: String? = nil) async throws -> ACMEHTTPResponse {
        try await self.post(url, payload: nil, step: step, accept: accept)
    }

    /// Encodes a payload, turning a failure into a typed error.
    func encode<Payload: Encodable>(_ payload: Payload, step: ACMEError.Step, url: String?) throws -> Data {
        do {
            return try ACMEJSON.encode(payload)
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: step, url: url, message: "the request payload does not encode: \(error)",
                underlying: error
            )
        }
    }

    /// Decodes a JSON body, turning a failure into a typed error naming step and URL.
    func decode<Value: Decodable>(_ response: ACMEHTTPResponse, step: ACMEError.Step, url: String) throws -> Value {
        do {
            return try ACMEJSON.decoder().decode(Value.self, from: response.body)
        } catch {
            throw ACMEError(
                code: .unexpectedResponse, step: step, url: url,
                message: "the response is not a valid \(Value.self) object: \(Self.describe(decodingError: error))",
                httpStatus: response.status, underlying: error
            )
        }
    }

    /// The `Retry-After` of a response as a delay from now.
    func retryAfter(of response: ACMEHTTPResponse) -> Duration? {
        RetryAfter.delay(response.headers["Retry-After"], now: self.clock.wallClockNow())
    }

    /// The typed error for an error response: its problem document when it has one.
    func error(for response: ACMEHTTPResponse, step: ACMEError.Step, url: String) -> ACMEError {
        let retryAfter = self.retryAfter(of: response)
        let contentType = response.headers["Content-Type"]?.lowercased() ?? ""
        if contentType.contains("json") || response.body.first == UInt8(ascii: "{"),
           let problem = try? ACMEJSON.decoder().decode(ACMEProblem.self, from: response.body),
           problem.type.rawValue != "about:blank" || problem.detail != nil {
            return ACMEError(
                code: .server, step: step, url: url,
                message: "the server refused with HTTP \(response.status)",
                problem: problem, httpStatus: response.status, retryAfter: retryAfter
            )
        }
        var message = "HTTP \(response.status)"
        if !contentType.isEmpty { message += " (\(contentType))" }
        if let text = String(data: response.body.prefix(200), encoding: .utf8), !text.isEmpty {
            message += ": " + text.replacingOccurrences(of: "\n", with: " ")
        }
        return ACMEError(
            code: .unexpectedResponse, step: step, url: url, message: message,
            httpStatus: response.status, retryAfter: retryAfter
        )
    }

    /// The `Location` header, required on created resources.
    func location(of response: ACMEHTTPResponse, step: ACMEError.Step, url: String) throws -> String {
        guard let location = response.headers["Location"], !location.isEmpty else {
            throw ACMEError(
                code: .unexpectedResponse, step: step, url: url,
                message: "the response has no Location header", httpStatus: response.status
            )
        }
        return LinkHeader.resolve(location, base: url)
    }

    private static func isValidNonce(_ nonce: String) -> Bool {
        !nonce.isEmpty && nonce.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_"
        }
    }

    private static func describe(decodingError error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "top level" : path
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "null at \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
