import Foundation
import NIOCore
import Storage

/// The body of `POST /api/v1/certificates`: `{"names": ["a.example.com", "www.example.com"],
/// "resolver": "le"}`. Names are DNS names (a wildcard one label deep allowed), main name first.
struct IssueRequest {
    /// The names, normalized (lowercase, no trailing dot, duplicates dropped), main name first.
    var names: [String]
    /// The certificate resolver to order from.
    var resolver: String

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
    }
}
