import Foundation
import NIOCore
import Storage

/// The body of `POST /api/v1/dns-credentials`: `{"name": "zone-a", "provider": "rfc2136",
/// "entries": {"RFC2136_NAMESERVER": "…", "RFC2136_TSIG_SECRET": "…"}}`, checked against the
/// provider's variables: unknown names are refused with the list of accepted ones, missing
/// required ones are named.
struct DNSCredentialRequest {
    /// The credential's name.
    var name: String
    /// The provider.
    var provider: String
    /// lego's variable names and the values.
    var entries: [String: String]

    /// A request body that cannot be used, with the field at fault. Never holds a value.
    struct Invalid: Error, CustomStringConvertible {
        /// The field (`name`, `provider`, `entries`), or `body`.
        let field: String
        /// What is wrong with it.
        let reason: String
        /// `entries: …`.
        var description: String { "\(field): \(reason)" }
    }

    private struct Body: Decodable {
        var name: String?
        var provider: String?
        var entries: [String: String]?
    }

    /// The request in `body` for one of `providers`.
    init(body: ByteBuffer, providers: [DNSCredentialProvider]) throws(Invalid) {
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(buffer: body))
        } catch {
            throw Invalid(field: "body", reason: "expected a JSON object with name (a string), provider (a string) and entries (an object of strings)")
        }
        guard let name = decoded.name, TokenSecret.isValidName(name) else {
            throw Invalid(field: "name", reason: "use 1 to 64 letters, digits, \".\", \"_\" or \"-\"")
        }
        let known = providers.map(\.name).sorted().joined(separator: ", ")
        guard let providerName = decoded.provider, !providerName.isEmpty else {
            throw Invalid(field: "provider", reason: "a provider is required (one of: \(known))")
        }
        guard let provider = providers.first(where: { $0.name == providerName.lowercased() }) else {
            throw Invalid(field: "provider", reason: "unknown provider \"\(providerName)\" (one of: \(known))")
        }
        let entries = (decoded.entries ?? [:]).filter { !$0.value.isEmpty }
        let accepted = provider.acceptedNames
        let unknown = entries.keys.filter { !accepted.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw Invalid(field: "entries", reason: "\(provider.name) does not read \(unknown.joined(separator: ", ")) (it reads: \(accepted.joined(separator: ", ")))")
        }
        let missing = provider.variables.filter { variable in
            variable.isRequired && !([variable.name] + variable.aliases).contains { entries[$0] != nil }
        }
        if !missing.isEmpty {
            let names = missing.map { ([$0.name] + $0.aliases).joined(separator: " or ") }
            throw Invalid(field: "entries", reason: "\(provider.name) needs \(names.joined(separator: ", "))")
        }
        self.name = name
        self.provider = provider.name
        self.entries = entries
    }
}

/// The body of `POST /api/v1/dns-credentials/{id}/test`: `{"domain": "example.com"}`.
struct DNSCredentialTestRequest {
    /// The domain to make the probe record for, normalized.
    var domain: String

    /// The request in `body`.
    init(body: ByteBuffer) throws(DNSCredentialRequest.Invalid) {
        struct Body: Decodable { var domain: String? }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(buffer: body))
        } catch {
            throw .init(field: "body", reason: "expected a JSON object with domain (a string)")
        }
        guard let domain = decoded.domain, !domain.isEmpty else {
            throw .init(field: "domain", reason: "a domain is required")
        }
        guard !domain.hasPrefix("*.") else {
            throw .init(field: "domain", reason: "give the domain without \"*.\": the probe record is made at _acme-challenge.<domain>")
        }
        do {
            self.domain = try NameSet([domain]).names[0]
        } catch {
            throw .init(field: "domain", reason: "\(error)")
        }
    }
}
