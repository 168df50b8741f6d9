import Foundation

/// What a token may do. A route names the scope it needs; a token carries one or more.
///
/// `admin` implies every scope; `ingress.manage` implies `ingress.read` (whoever may change
/// routes may see them).
public enum Scope: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Read routes, services, middlewares, entry points (Traefik's read-only API).
    case ingressRead = "ingress.read"
    /// Expose and remove services, approve changes.
    case ingressManage = "ingress.manage"
    /// Issue, renew and revoke certificates; manage DNS credentials.
    case acmeManage = "acme.manage"
    /// Everything, including tokens.
    case admin

    /// The scope's name, e.g. `ingress.read`.
    public var description: String { rawValue }

    /// Whether a token holding `granted` (scope names as stored) has this scope.
    public func isGranted(by granted: [String]) -> Bool {
        granted.contains { name in
            guard let scope = Scope(rawValue: name) else { return false }
            return scope.implies(self)
        }
    }

    /// Whether holding this scope gives `other`.
    public func implies(_ other: Scope) -> Bool {
        switch (self, other) {
        case (.admin, _): true
        case (.ingressManage, .ingressRead): true
        default: self == other
        }
    }

    /// Parses a comma-separated list (`ingress.read,acme.manage`); spaces around names are
    /// ignored, duplicates are dropped, order is kept.
    ///
    /// - Throws: ``ScopeListError`` naming the first unknown scope, or when the list is empty.
    public static func parseList(_ text: String) throws(ScopeListError) -> [Scope] {
        var scopes: [Scope] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let scope = Scope(rawValue: name) else {
                throw ScopeListError(list: text, unknown: name)
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }
}

/// A scope list named a scope that does not exist (or was empty).
public struct ScopeListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The list as given.
    public let list: String
    /// The name that is not a scope (empty when the list or one of its items is empty).
    public let unknown: String

    /// An error for `unknown` in `list`.
    public init(list: String, unknown: String) {
        self.list = list
        self.unknown = unknown
    }

    /// `unknown scope "x" in "…" (scopes: ingress.read, …)`.
    public var description: String {
        let known = Scope.allCases.map(\.rawValue).joined(separator: ", ")
        if unknown.isEmpty {
            return "empty scope in \"\(list)\" (scopes: \(known))"
        }
        return "unknown scope \"\(unknown)\" in \"\(list)\" (scopes: \(known))"
    }
}

