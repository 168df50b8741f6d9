#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL

/// An immutable map from server name (SNI) to the certificate, and ready-made TLS context, to
/// serve. Build a new one when certificates change and publish it through ``CertificateStore``.
///
/// Selection for a server name, compared case-insensitively with a trailing dot ignored:
/// 1. a certificate naming it exactly;
/// 2. a certificate with the wildcard for its parent: `*.example.com` covers `a.example.com`,
///    but neither `a.b.example.com` nor `example.com` (RFC 6125 §6.4.3, one label only);
/// 3. otherwise, or when the client sent no SNI: the configured default certificate
///    (Traefik's `tls.stores.default.defaultCertificate`), else the generated one
///    (``DefaultCertificate/shared`` unless another is given).
///
/// When several certificates cover the same name, the one with the latest `notAfter` wins
/// (the newest renewal replaces the old one without the old one being removed first); on equal
/// `notAfter` the earlier one in the input wins.
///
/// One `NIOSSLContext` is made per certificate when the index is built (about 9 µs each), and
/// connections share them. A certificate whose context BoringSSL refuses is left out and listed
/// in ``rejected``.
public struct CertificateIndex: Sendable {
    /// A certificate left out of the index, and why.
    public struct Rejection: Sendable, CustomStringConvertible {
        /// The certificate that could not be used.
        public let certificate: ServerCertificate
        /// What BoringSSL said, without key material.
        public let reason: String

        public var description: String {
            "certificate for \(self.certificate.names) rejected: \(self.reason)"
        }
    }

    private struct Entry: Sendable {
        let certificate: ServerCertificate
        let context: NIOSSLContext
    }

    private let exact: [String: Entry]
    private let wildcard: [String: Entry]
    private let fallback: Entry

    /// The certificates in the index (those that made a context), in input order.
    public let certificates: [ServerCertificate]
    /// The certificate served without SNI or without a match: the configured default if it
    /// was usable, else the generated one.
    public var defaultCertificate: ServerCertificate { self.fallback.certificate }
    /// Certificates (including a configured default) left out because no TLS context could be
    /// made from them.
    public let rejected: [Rejection]
    /// The settings every context in this index was made with.
    public let settings: TLSServerSettings

    /// Builds an index with the default ``TLSServerSettings``.
    ///
    /// - Parameters:
    ///   - certificates: the certificates to serve by name.
    ///   - defaultCertificate: the configured default (`tls.stores.default.defaultCertificate`).
    ///   - generatedDefault: the last fallback; normally the process-wide generated certificate.
    public init(
        certificates: [ServerCertificate],
        defaultCertificate: ServerCertificate? = nil,
        generatedDefault: ServerCertificate = DefaultCertificate.shared
    ) {
        do {
            try self.init(
                certificates: certificates,
                defaultCertificate: defaultCertificate,
                generatedDefault: generatedDefault,
                settings: TLSServerSettings()
            )
        } catch {
            // Default settings with a certificate this process generated itself.
            fatalError("cannot make a TLS context for the generated default certificate: \(error)")
        }
    }

    /// Builds an index whose contexts use `settings`.
    ///
    /// - Throws: only when no context can be made for `generatedDefault` with `settings`
    ///   (in practice: `settings` that BoringSSL refuses). Unusable `certificates` and
    ///   `defaultCertificate` are listed in ``rejected`` instead.
    public init(
        certificates: [ServerCertificate],
        defaultCertificate: ServerCertificate? = nil,
        generatedDefault: ServerCertificate = DefaultCertificate.shared,
        settings: TLSServerSettings
    ) throws {
        var exact: [String: Entry] = [:]
        var wildcard: [String: Entry] = [:]
        var usable: [ServerCertificate] = []
        var rejected: [Rejection] = []

        func makeEntry(_ certificate: ServerCertificate) -> Entry? {
            do {
                return Entry(certificate: certificate, context: try settings.makeContext(for: certificate))
            } catch {
                rejected.append(Rejection(certificate: certificate, reason: "\(error)"))
                return nil
            }
        }

        func insert(_ entry: Entry, under name: String, into table: inout [String: Entry]) {
            if let existing = table[name], existing.certificate.notAfter >= entry.certificate.notAfter {
                return
            }
            table[name] = entry
        }

        for certificate in certificates {
            guard let entry = makeEntry(certificate) else { continue }
            usable.append(certificate)
            for name in certificate.names {
                if name.hasPrefix("*.") {
                    let parent = String(name.dropFirst(2))
                    if !parent.isEmpty {
                        insert(entry, under: parent, into: &wildcard)
                    }
                } else {
                    insert(entry, under: name, into: &exact)
                }
            }
        }

        let fallback: Entry
        if let defaultCertificate, let entry = makeEntry(defaultCertificate) {
            fallback = entry
        } else {
            fallback = Entry(certificate: generatedDefault, context: try settings.makeContext(for: generatedDefault))
        }

        self.exact = exact
        self.wildcard = wildcard
        self.fallback = fallback
        self.certificates = usable
        self.rejected = rejected
        self.settings = settings
    }

    /// The certificate to serve for `serverName` (the SNI; `nil` when the client sent none).
    public func certificate(forServerName serverName: String?) -> ServerCertificate {
        self.entry(forServerName: serverName).certificate
    }

    /// The shared TLS context to use for a connection whose ClientHello named `serverName`.
    public func sslContext(forServerName serverName: String?) -> NIOSSLContext {
        self.entry(forServerName: serverName).context
    }

    /// The certificate covering `serverName` by exact or wildcard match, or `nil` when only
    /// a default would be served.
    public func matchingCertificate(forServerName serverName: String) -> ServerCertificate? {
        self.match(serverName)?.certificate
    }

    private func entry(forServerName serverName: String?) -> Entry {
        guard let serverName, let entry = self.match(serverName) else {
            return self.fallback
        }
        return entry
    }

    private func match(_ serverName: String) -> Entry? {
        let name = ServerName.normalize(serverName)
        guard !name.isEmpty else { return nil }
        if let entry = self.exact[name] {
            return entry
        }
        guard let parent = ServerName.wildcardParent(of: name) else { return nil }
        return self.wildcard[String(parent)]
    }
}
