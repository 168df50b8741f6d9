import Foundation
import NIOCore
import Storage

/// The body of `POST /api/v1/certificates`: `{"names": ["a.example.com", "www.example.com"],
/// "resolver": "le"}`. Names are DNS names (a wildcard one label deep allowed), main name first.
/// Optional `challenge` (`http-01`, `tls-alpn-01`, `dns-01`) and, with `dns-01`, `dns_credential`
/// (a stored DNS credential) choose how this certificate is validated.
struct IssueRequest {
    /// The names, normalized (lowercase, no trailing dot, duplicates dropped), main name first.
    var names: [String]
    /// The certificate resolver to order from.
    var resolver: String
    /// The only challenge type to offer (`http-01`, `tls-alpn-01`, `dns-01`); `nil`: the resolver's.
    var challenge: String?
    /// A stored DNS credential (id or name) for DNS-01, with `challenge` `dns-01` only.
    var dnsCredential: String?

    /// A request body that cannot be used, with the field at fault.
    struct Invalid: Error, CustomStringConvertible {
        /// The field (`names`, `resolver`), or `body`.
        let field: String
        /// What is wrong with it.
        let reason: String
        /// `names: …`.
        var description: String { "\(field): \(reason)" }
    }

    private struct Body: Decodable {
        var names: [String]?
        var resolver: String?
        var challenge: String?
        var dnsCredential: String?

        enum CodingKeys: String, CodingKey {
            case names, resolver, challenge
            case dnsCredential = "dns_credential"
        }
    }

    /// The request in `body`, its resolver one of `resolvers`.
    init(body: ByteBuffer, resolvers: [String]) throws(Invalid) {
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(buffer: body))
        } catch {
            throw Invalid(field: "body", reason: "expected a JSON object with names (an array of strings) and resolver (a string)")
        }
        guard let names = decoded.names, !names.isEmpty else {
            throw Invalid(field: "names", reason: "at least one DNS name is required")
        }
        do {
            self.names = try NameSet(names).names
        } catch {
            throw Invalid(field: "names", reason: "\(error)")
        }
        guard let resolver = decoded.resolver, !resolver.isEmpty else {
            throw Invalid(field: "resolver", reason: "a certificate resolver is required (one of: \(resolvers.sorted().joined(separator: ", ")))")
        }
        guard resolvers.contains(resolver) else {
            throw Invalid(field: "resolver", reason: "unknown resolver \"\(resolver)\" (one of: \(resolvers.sorted().joined(separator: ", ")))")
        }
        self.resolver = resolver
        if let challenge = decoded.challenge {
            let known = ["http-01", "tls-alpn-01", "dns-01"]
            guard known.contains(challenge.lowercased()) else {
                throw Invalid(field: "challenge", reason: "must be one of \(known.joined(separator: ", "))")
            }
            self.challenge = challenge.lowercased()
        }
        if let dnsCredential = decoded.dnsCredential {
            guard !dnsCredential.isEmpty else { throw Invalid(field: "dns_credential", reason: "must not be empty") }
            guard self.challenge == "dns-01" else {
                throw Invalid(field: "dns_credential", reason: "a DNS credential is used by the dns-01 challenge only")
            }
            self.dnsCredential = dnsCredential
        }
    }
}
