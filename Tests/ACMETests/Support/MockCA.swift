import Crypto
import Foundation
import SwiftASN1
import Synchronization
import X509
@testable import ACME

/// An in-memory ACME CA behind the ``ACMETransport`` protocol: no sockets. It checks what a
/// real CA checks (nonce freshness, JWS signature with the `jwk` or the account's key, `url`
/// header), keeps orders, authorizations and challenges, issues real certificates from the
/// CSR, and records every request so tests can look at them.
///
/// Its answers follow RFC 8555; the ARI and profile parts follow RFC 9773 and Let's Encrypt's
/// documented formats (`meta.profiles` as name → description, `profile` echoed on the order).
final class MockCA: ACMETransport {
    static let base = "https://ca.test"
    static let directoryURL = base + "/directory"

    /// How the CA behaves; set before the client talks to it.
    struct Options: Sendable {
        var profiles: [String: String]? = nil
        var renewalInfo = false
        var externalAccountRequired = false
        /// Identifiers (`example.com`, `*.example.com`) whose authorization starts valid.
        var preValid: Set<String> = []
        /// Identifiers whose validation fails, with this problem JSON on the challenge.
        var failing: [String: String] = [:]
        /// Challenge types offered per authorization.
        var offered: [String] = ["http-01", "dns-01", "tls-alpn-01"]
        /// Polls of a responded authorization that still say "pending".
        var pendingPolls = 1
        /// Polls of a finalized order that still say "processing".
        var processingPolls = 1
        /// `Retry-After` on pending authorizations and processing orders.
        var retryAfter: String? = nil
        /// The next POSTs to refuse with badNonce (even with a good nonce).
        var rejectNonces = 0
        /// Serve an alternate chain ending at "Mock Alt Root X2".
        var alternateChain = true
        /// Scripted renewalInfo body and Retry-After.
        var renewalInfoBody = #"{"suggestedWindow":{"start":"2026-01-01T00:00:00Z","end":"2026-01-03T00:00:00Z"}}"#
        var renewalInfoRetryAfter: String? = "21600"
        /// A newOrder refusal, served as is (status 400).
        var newOrderProblem: String? = nil
    }

    /// One request as the CA saw it.
    struct Seen: @unchecked Sendable {
        let request: ACMEHTTPRequest
        let jws: DecodedJWS?
        let status: Int
        var path: String { String(self.request.url.dropFirst(MockCA.base.count)) }
    }

    struct Challenge {
        var type: String
        var token: String
        var status = "pending"
        var error: String? = nil
    }

    struct Authorization {
        var identifier: String
        var wildcard: Bool
        var status: String
        var challenges: [Challenge]
        var pollsLeft: Int
        var responded = false
    }

    struct Order {
        var identifiers: [String]
        var authorizations: [Int]
        var status = "pending"
        var profile: String?
        var replaces: String?
        var certificate: Int?
        var pollsLeft: Int
        var payload: [String: String] = [:]
    }

    private struct State {
        var options: Options
        var nonceCounter = 0
        var validNonces: Set<String> = []
        var accounts: [String: [String: String]] = [:]
        var orders: [Order] = []
        var authorizations: [Authorization] = []
        var certificates: [(default: String, alternate: String)] = []
        var seen: [Seen] = []
        var issuedNonces: [String] = []
    }

    private let state: Mutex<State>
    let issuer: MockIssuer

    init(options: Options = Options()) throws {
        self.state = Mutex(State(options: options))
        self.issuer = try MockIssuer()
    }

    func update(_ body: (inout Options) -> Void) {
        self.state.withLock { body(&$0.options) }
    }

    var seen: [Seen] { self.state.withLock { $0.seen } }
    var accountCount: Int { self.state.withLock { $0.accounts.count } }
    func accountKey(_ url: String) -> [String: String]? { self.state.withLock { $0.accounts[url] } }
    func order(_ index: Int) -> Order { self.state.withLock { $0.orders[index] } }
    var orderCount: Int { self.state.withLock { $0.orders.count } }

    /// The POSTs to a path prefix, in order.
    func posts(to prefix: String) -> [Seen] {
        self.seen.filter { $0.request.method == .post && $0.path.hasPrefix(prefix) }
    }

    /// Makes an order invalid (e.g. expired while the client was away).
    func invalidateOrder(_ index: Int) {
        self.state.withLock { $0.orders[index].status = "invalid" }
    }

    // MARK: - Transport

    func send(_ request: ACMEHTTPRequest) async throws -> ACMEHTTPResponse {
        self.state.withLock { state in
            var jws: DecodedJWS?
            let response: ACMEHTTPResponse
            if request.method == .post, let body = request.body {
                jws = try? DecodedJWS(body: body)
            }
            response = Self.handle(request, jws: jws, state: &state, issuer: self.issuer)
            state.seen.append(Seen(request: request, jws: jws, status: response.status))
            return response
        }
    }

    private static func handle(_ request: ACMEHTTPRequest, jws: DecodedJWS?, state: inout State, issuer: MockIssuer) -> ACMEHTTPResponse {
        let path = request.url.hasPrefix(base) ? String(request.url.dropFirst(base.count)) : request.url
        func nonce() -> String {
            state.nonceCounter += 1
            let value = "nonce-\(state.nonceCounter)"
            state.validNonces.insert(value)
            state.issuedNonces.append(value)
            return value
        }
        func json(_ status: Int, _ body: String, headers: ACMEHTTPHeaders = [:]) -> ACMEHTTPResponse {
            var headers = headers
            headers.add(name: "Content-Type", value: "application/json")
            if request.method == .post { headers.add(name: "Replay-Nonce", value: nonce()) }
            return ACMEHTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        }
        func problem(_ status: Int, _ type: String, _ detail: String) -> ACMEHTTPResponse {
            var headers: ACMEHTTPHeaders = ["Content-Type": "application/problem+json"]
            headers.add(name: "Replay-Nonce", value: nonce())
            let body = #"{"type":"urn:ietf:params:acme:error:\#(type)","detail":"\#(detail)","status":\#(status)}"#
            return ACMEHTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        }

        switch (request.method, path) {
        case (.get, "/directory"):
            var entries = [
                #""newNonce":"\#(base)/new-nonce""#, #""newAccount":"\#(base)/new-account""#,
                #""newOrder":"\#(base)/new-order""#, #""revokeCert":"\#(base)/revoke-cert""#,
                #""keyChange":"\#(base)/key-change""#,
            ]
            if state.options.renewalInfo { entries.append(#""renewalInfo":"\#(base)/renewal-info/""#) }
            var meta = [#""termsOfService":"\#(base)/terms""#]
            if state.options.externalAccountRequired { meta.append(#""externalAccountRequired":true"#) }
            if let profiles = state.options.profiles {
                let list = profiles.sorted { $0.key < $1.key }.map { #""\#($0.key)":"\#($0.value)""# }
                meta.append(#""profiles":{\#(list.joined(separator: ","))}"#)
            }
            entries.append(#""meta":{\#(meta.joined(separator: ","))}"#)
            return json(200, "{\(entries.joined(separator: ","))}")
        case (.head, "/new-nonce"), (.get, "/new-nonce"):
            return ACMEHTTPResponse(status: 200, headers: ["Replay-Nonce": nonce(), "Cache-Control": "no-store"])
        case (.get, _) where path.hasPrefix("/renewal-info/"):
            var headers: ACMEHTTPHeaders = [:]
            if let retryAfter = state.options.renewalInfoRetryAfter { headers.add(name: "Retry-After", value: retryAfter) }
            return json(200, state.options.renewalInfoBody, headers: headers)
        case (.post, _):
            break
        default:
            return problem(404, "malformed", "no such resource")
        }

        // Every POST: a JWS with a fresh nonce, a matching url and a good signature.
        guard let jws else { return problem(400, "malformed", "body is not a flattened JWS") }
        guard request.headers["Content-Type"] == "application/jose+json" else {
            return problem(415, "malformed", "wrong content type")
        }
        guard let usedNonce = jws.nonce, state.validNonces.remove(usedNonce) != nil else {
            return problem(400, "badNonce", "nonce is unknown or used")
        }
        if state.options.rejectNonces > 0 {
            state.options.rejectNonces -= 1
            return problem(400, "badNonce", "nonce rejected on purpose")
        }
        guard jws.url == request.url else { return problem(401, "unauthorized", "url header does not match") }
        let key: [String: String]
        let accountURL: String?
        if let jwk = jws.jwk {
            guard jws.kid == nil else { return problem(400, "malformed", "jwk and kid together") }
            key = jwk
            accountURL = state.accounts.first { $0.value == jwk }?.key
        } else if let kid = jws.kid, let accountKey = state.accounts[kid] {
            key = accountKey
            accountURL = kid
        } else {
            return problem(400, "accountDoesNotExist", "no account for kid")
        }
        guard (try? jws.verify(with: key)) == true else { return problem(400, "malformed", "signature does not verify") }
        let payload = (try? jws.payloadObject()) ?? nil

        switch path {
        case "/new-account":
            if let existing = accountURL {
                return json(200, #"{"status":"valid"}"#, headers: ["Location": existing])
            }
            if payload?["onlyReturnExisting"] as? Bool == true {
                return problem(400, "accountDoesNotExist", "no account for this key")
            }
            if state.options.externalAccountRequired, payload?["externalAccountBinding"] == nil {
                return problem(400, "externalAccountRequired", "an external account binding is required")
            }
            let url = "\(base)/acct/\(state.accounts.count + 1)"
            state.accounts[url] = key
            let contact = (payload?["contact"] as? [String]).map { #","contact":["\#($0.joined(separator: #"",""#))"]"# } ?? ""
            return json(201, #"{"status":"valid"\#(contact),"orders":"\#(url)/orders"}"#, headers: ["Location": url])
        case "/key-change":
            guard let accountURL, let inner = payload.flatMap({ try? JSONSerialization.data(withJSONObject: $0) }),
                  let innerJWS = try? DecodedJWS(body: inner), let newKey = innerJWS.jwk,
                  (try? innerJWS.verify(with: newKey)) == true,
                  let innerPayload = try? innerJWS.payloadObject(),
                  innerPayload["account"] as? String == accountURL,
                  innerPayload["oldKey"] as? [String: String] == key,
                  innerJWS.url == request.url, innerJWS.nonce == nil
            else { return problem(400, "malformed", "bad key change") }
            state.accounts[accountURL] = newKey
            return json(200, #"{"status":"valid"}"#)
        case "/revoke-cert":
            return ACMEHTTPResponse(status: 200, headers: ["Replay-Nonce": nonce()])
        default:
            break
        }
        guard let accountURL, jws.kid == accountURL else {
            return problem(401, "unauthorized", "this request needs the account's kid")
        }

        if request.url == accountURL {
            let status = payload?["status"] as? String ?? "valid"
            return json(200, #"{"status":"\#(status)"}"#)
        }
        if path == "/new-order" {
            if let refusal = state.options.newOrderProblem {
                var headers: ACMEHTTPHeaders = ["Content-Type": "application/problem+json"]
                headers.add(name: "Replay-Nonce", value: nonce())
                return ACMEHTTPResponse(status: 400, headers: headers, body: Data(refusal.utf8))
            }
            let identifiers = (payload?["identifiers"] as? [[String: String]] ?? []).compactMap { $0["value"] }
            let profile = payload?["profile"] as? String
            if let profile, state.options.profiles?[profile] == nil {
                return problem(400, "invalidProfile", "profile \(profile) is not offered")
            }
            var authorizationIndexes: [Int] = []
            for identifier in identifiers {
                let wildcard = identifier.hasPrefix("*.")
                let valid = state.options.preValid.contains(identifier)
                let token = DecodedJWS.base64URLEncode((0..<16).map { _ in UInt8.random(in: 0...255) })
                let types = wildcard ? ["dns-01"] : state.options.offered
                authorizationIndexes.append(state.authorizations.count)
                state.authorizations.append(Authorization(
                    identifier: wildcard ? String(identifier.dropFirst(2)) : identifier,
                    wildcard: wildcard,
                    status: valid ? "valid" : "pending",
                    challenges: types.map { Challenge(type: $0, token: token, status: valid ? "valid" : "pending") },
                    pollsLeft: state.options.pendingPolls
                ))
            }
            var stored: [String: String] = [:]
            for (name, value) in payload ?? [:] where value is String { stored[name] = value as? String }
            state.orders.append(Order(
                identifiers: identifiers, authorizations: authorizationIndexes, profile: profile,
                replaces: payload?["replaces"] as? String, pollsLeft: state.options.processingPolls, payload: stored
            ))
            let index = state.orders.count - 1
            Self.refresh(order: index, state: &state)
            return json(201, Self.orderJSON(index, state: state), headers: ["Location": "\(base)/order/\(index)"])
        }
        if path.hasPrefix("/order/"), let index = Int(path.dropFirst(7)), index < state.orders.count {
            if state.orders[index].status == "processing" {
                state.orders[index].pollsLeft -= 1
                if state.orders[index].pollsLeft < 0 { state.orders[index].status = "valid" }
            }
            Self.refresh(order: index, state: &state)
            var headers: ACMEHTTPHeaders = [:]
            if state.orders[index].status == "processing", let retryAfter = state.options.retryAfter {
                headers.add(name: "Retry-After", value: retryAfter)
            }
            return json(200, Self.orderJSON(index, state: state), headers: headers)
        }
        if path.hasPrefix("/authz/"), let index = Int(path.dropFirst(7)), index < state.authorizations.count {
            var authorization = state.authorizations[index]
            if authorization.responded, authorization.status == "pending" {
                authorization.pollsLeft -= 1
                if authorization.pollsLeft < 0 {
                    let name = authorization.wildcard ? "*." + authorization.identifier : authorization.identifier
                    let failure = state.options.failing[name]
                    authorization.status = failure == nil ? "valid" : "invalid"
                    for position in authorization.challenges.indices where authorization.challenges[position].status == "processing" {
                        authorization.challenges[position].status = failure == nil ? "valid" : "invalid"
                        authorization.challenges[position].error = failure
                    }
                }
            }
            state.authorizations[index] = authorization
            var headers: ACMEHTTPHeaders = [:]
            if authorization.status == "pending", let retryAfter = state.options.retryAfter {
                headers.add(name: "Retry-After", value: retryAfter)
            }
            return json(200, Self.authorizationJSON(index, state: state), headers: headers)
        }
        if path.hasPrefix("/chall/") {
            let parts = path.dropFirst(7).split(separator: "/")
            guard parts.count == 2, let index = Int(parts[0]), let position = Int(parts[1]),
                  index < state.authorizations.count, position < state.authorizations[index].challenges.count
            else { return problem(404, "malformed", "no such challenge") }
            if payload != nil, state.authorizations[index].challenges[position].status == "pending" {
                state.authorizations[index].challenges[position].status = "processing"
                state.authorizations[index].responded = true
            }
            return json(200, Self.challengeJSON(index, position, state: state))
        }
        if path.hasPrefix("/finalize/"), let index = Int(path.dropFirst(10)), index < state.orders.count {
            Self.refresh(order: index, state: &state)
            guard state.orders[index].status == "ready" else {
                return problem(403, "orderNotReady", "order is \(state.orders[index].status)")
            }
            guard let csrText = payload?["csr"] as? String, let csrDER = DecodedJWS.base64URL(csrText),
                  let csr = try? CertificateSigningRequest(derEncoded: Array(csrDER)),
                  csr.publicKey.isValidSignature(csr.signature, for: csr)
            else { return problem(400, "badCSR", "CSR does not parse or verify") }
            let names = (try? csr.attributes.extensionRequest?.extensions.subjectAlternativeNames)?.compactMap { name -> String? in
                if case .dnsName(let value) = name { return value }
                return nil
            } ?? []
            guard Set(names) == Set(state.orders[index].identifiers) else {
                return problem(400, "badCSR", "CSR names \(names.sorted()) differ from the order")
            }
            guard let chains = try? issuer.issue(csr: csr, names: names) else {
                return problem(500, "serverInternal", "issuing failed")
            }
            state.certificates.append(chains)
            state.orders[index].certificate = state.certificates.count - 1
            state.orders[index].status = "processing"
            var headers: ACMEHTTPHeaders = ["Location": "\(base)/order/\(index)"]
            if let retryAfter = state.options.retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
            return json(200, Self.orderJSON(index, state: state), headers: headers)
        }
        if path.hasPrefix("/cert/") {
            let parts = path.dropFirst(6).split(separator: "/")
            guard let index = parts.first.flatMap({ Int($0) }), index < state.certificates.count else {
                return problem(404, "malformed", "no such certificate")
            }
            var headers: ACMEHTTPHeaders = ["Content-Type": "application/pem-certificate-chain"]
            headers.add(name: "Replay-Nonce", value: nonce())
            if parts.count == 1 {
                if state.options.alternateChain {
                    headers.add(name: "Link", value: #"<\#(base)/cert/\#(index)/1>;rel="alternate""#)
                }
                headers.add(name: "Link", value: #"<\#(base)/directory>;rel="index""#)
                return ACMEHTTPResponse(status: 200, headers: headers, body: Data(state.certificates[index].default.utf8))
            }
            return ACMEHTTPResponse(status: 200, headers: headers, body: Data(state.certificates[index].alternate.utf8))
        }
        return problem(404, "malformed", "no such resource \(path)")
    }

    private static func refresh(order index: Int, state: inout State) {
        let order = state.orders[index]
        guard order.status == "pending" else { return }
        let statuses = order.authorizations.map { state.authorizations[$0].status }
        if statuses.contains("invalid") {
            state.orders[index].status = "invalid"
        } else if statuses.allSatisfy({ $0 == "valid" }) {
            state.orders[index].status = "ready"
        }
    }

    private static func orderJSON(_ index: Int, state: State) -> String {
        let order = state.orders[index]
        var members = [
            #""status":"\#(order.status)""#,
            #""expires":"2030-01-01T00:00:00Z""#,
            #""identifiers":[\#(order.identifiers.map { #"{"type":"dns","value":"\#($0)"}"# }.joined(separator: ","))]"#,
            #""authorizations":[\#(order.authorizations.map { #""\#(base)/authz/\#($0)""# }.joined(separator: ","))]"#,
            #""finalize":"\#(base)/finalize/\#(index)""#,
        ]
        if order.status == "valid", let certificate = order.certificate {
            members.append(#""certificate":"\#(base)/cert/\#(certificate)""#)
        }
        if let profile = order.profile { members.append(#""profile":"\#(profile)""#) }
        if let replaces = order.replaces { members.append(#""replaces":"\#(replaces)""#) }
        if order.status == "invalid" {
            members.append(#""error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"an authorization failed"}"#)
        }
        return "{\(members.joined(separator: ","))}"
    }

    private static func challengeJSON(_ index: Int, _ position: Int, state: State) -> String {
        let challenge = state.authorizations[index].challenges[position]
        var text = #"{"type":"\#(challenge.type)","url":"\#(base)/chall/\#(index)/\#(position)","token":"\#(challenge.token)","status":"\#(challenge.status)""#
        if let error = challenge.error { text += #","error":\#(error)"# }
        return text + "}"
    }

    private static func authorizationJSON(_ index: Int, state: State) -> String {
        let authorization = state.authorizations[index]
        let challenges = authorization.challenges.indices.map { challengeJSON(index, $0, state: state) }
        var text = #"{"identifier":{"type":"dns","value":"\#(authorization.identifier)"},"status":"\#(authorization.status)","expires":"2030-01-01T00:00:00Z","challenges":[\#(challenges.joined(separator: ","))]"#
        if authorization.wildcard { text += #","wildcard":true"# }
        return text + "}"
    }
}
