#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL

/// An immutable map from server name (SNI) to the certificate, TLS options and ready-made TLS
/// context to serve. Build a new one when certificates or options change and publish it through
/// ``CertificateStore``.
///
/// Certificate selection for a server name, compared case-insensitively with a trailing dot
/// ignored:
/// 1. a certificate naming it exactly;
/// 2. a certificate with the wildcard for its parent: `*.example.com` covers `a.example.com`,
///    but neither `a.b.example.com` nor `example.com` (RFC 6125 §6.4.3, one label only);
/// 3. otherwise, or when the client sent no SNI: the configured default certificate
///    (Traefik's `tls.stores.default.defaultCertificate`), else the generated one
///    (``DefaultCertificate/shared`` unless another is given) — unless the connection's options
///    are `sniStrict`, in which case the connection is refused.
///
/// TLS options come from a ``TLSOptionsSelection`` (by entry point and server name, else the
/// default options). A name whose options are ``TLSOptionsSelection/Choice/refuse`` is refused.
///
/// When several certificates cover the same name, the one with the latest `notAfter` wins
/// (the newest renewal replaces the old one without the old one being removed first); on equal
/// `notAfter` the earlier one in the input wins.
///
/// Contexts are made when the index is built (about 9 µs each), never per connection: one per
/// certificate with the default options' settings, and one per (certificate, options) pair a
/// mapped server name can reach. A certificate whose default context BoringSSL refuses is left
/// out and listed in ``rejected``.
public struct CertificateIndex: Sendable {
    /// A certificate left out of the index (or out of one options set), and why.
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
        /// Position in ``certificates``; -1 for the fallback.
        let id: Int
        let certificate: ServerCertificate
        /// The context with ``settings``.
        let context: NIOSSLContext
    }

    /// A certificate (by ``Entry/id``) with one options set (by position in `optionSets`).
    private struct Slot: Hashable, Sendable {
        let certificate: Int
        let options: Int
    }

    private static let refused = -1

    private let exact: [String: Entry]
    private let wildcard: [String: Entry]
    private let fallback: Entry
    /// The distinct options connections can get; `defaultOptionsID` indexes the default's.
    private let optionSets: [TLSOptions]
    /// Position of the default options in `optionSets`, or `refused`.
    private let defaultOptionsID: Int
    /// Entry point → normalised name → position in `optionSets`, or `refused`.
    private let namedOptions: [String: [String: Int]]
    /// Contexts for options other than the default's.
    private let extraContexts: [Slot: NIOSSLContext]

    /// The certificates in the index (those that made a context), in input order.
    public let certificates: [ServerCertificate]
    /// The certificate served without SNI or without a match: the configured default if it
    /// was usable, else the generated one.
    public var defaultCertificate: ServerCertificate { self.fallback.certificate }
    /// Certificates (including a configured default) left out because no TLS context could be
    /// made from them, and (certificate, options) pairs whose context failed (connections that
    /// would need them are refused).
    public let rejected: [Rejection]
    /// The settings of the default options (the built-in profile when the default is refused):
    /// what ``sslContext(forServerName:)`` contexts are made with.
    public let settings: TLSServerSettings
    /// Which options each connection gets.
    public let selection: TLSOptionsSelection

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
                selection: TLSOptionsSelection()
            )
        } catch {
            // Default settings with a certificate this process generated itself.
            fatalError("cannot make a TLS context for the generated default certificate: \(error)")
        }
    }

    /// Builds an index whose contexts all use `settings`.
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
        try self.init(
            certificates: certificates,
            defaultCertificate: defaultCertificate,
            generatedDefault: generatedDefault,
            selection: TLSOptionsSelection(defaultChoice: .options(TLSOptions(settings: settings)))
        )
    }

    /// Builds an index whose connections get TLS options by `selection`.
    ///
    /// - Throws: only when no context can be made for `generatedDefault` with the default
    ///   options' settings (in practice: settings that BoringSSL refuses). Unusable
    ///   certificates, and (certificate, options) pairs that make no context, are listed in
    ///   ``rejected`` instead.
    public init(
        certificates: [ServerCertificate],
        defaultCertificate: ServerCertificate? = nil,
        generatedDefault: ServerCertificate = DefaultCertificate.shared,
        selection: TLSOptionsSelection
    ) throws {
        let settings: TLSServerSettings
        if case .options(let options) = selection.defaultChoice {
            settings = options.settings
        } else {
            settings = TLSOptions.builtInDefault.settings
        }
        var exact: [String: Entry] = [:]
        var wildcard: [String: Entry] = [:]
        var usable: [ServerCertificate] = []
        var rejected: [Rejection] = []

        func makeEntry(_ certificate: ServerCertificate, id: Int) -> Entry? {
            do {
                return Entry(id: id, certificate: certificate, context: try settings.makeContext(for: certificate))
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
            guard let entry = makeEntry(certificate, id: usable.count) else { continue }
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
        if let defaultCertificate, let entry = makeEntry(defaultCertificate, id: -1) {
            fallback = entry
        } else {
            fallback = Entry(id: -1, certificate: generatedDefault, context: try settings.makeContext(for: generatedDefault))
        }

        // Options: number the distinct sets, then make the contexts mapped names can reach.
        let optionSets = selection.distinctOptions
        func id(of choice: TLSOptionsSelection.Choice) -> Int {
            guard case .options(let options) = choice else { return Self.refused }
            return optionSets.firstIndex(of: options) ?? Self.refused
        }
        let defaultOptionsID = id(of: selection.defaultChoice)
        var namedOptions: [String: [String: Int]] = [:]
        var extraContexts: [Slot: NIOSSLContext] = [:]
        for (entryPoint, names) in selection.byEntryPoint {
            for (name, choice) in names {
                let optionsID = id(of: choice)
                namedOptions[entryPoint, default: [:]][name] = optionsID
                guard optionsID != Self.refused, optionsID != defaultOptionsID else { continue }
                let options = optionSets[optionsID]
                let entry = Self.match(name, exact: exact, wildcard: wildcard)
                if entry == nil, options.sniStrict { continue }
                let target = entry ?? fallback
                let slot = Slot(certificate: target.id, options: optionsID)
                guard extraContexts[slot] == nil else { continue }
                do {
                    extraContexts[slot] = try options.settings.makeContext(for: target.certificate)
                } catch {
                    rejected.append(Rejection(certificate: target.certificate, reason: "with the TLS options for \(name): \(error)"))
                }
            }
        }

        self.exact = exact
        self.wildcard = wildcard
        self.fallback = fallback
        self.certificates = usable
        self.rejected = rejected
        self.settings = settings
        self.selection = selection
        self.optionSets = optionSets
        self.defaultOptionsID = defaultOptionsID
        self.namedOptions = namedOptions
        self.extraContexts = extraContexts
    }

    /// The certificate to serve for `serverName` (the SNI; `nil` when the client sent none).
    public func certificate(forServerName serverName: String?) -> ServerCertificate {
        self.entry(forServerName: serverName).certificate
    }

    /// The shared TLS context, with the default options' settings, for a connection whose
    /// ClientHello named `serverName`. Ignores ``selection``; connections use
    /// ``serverHandler(forServerName:entryPoint:)``.
    public func sslContext(forServerName serverName: String?) -> NIOSSLContext {
        self.entry(forServerName: serverName).context
    }

    /// The shared TLS context for a connection to `entryPoint` whose ClientHello named
    /// `serverName`, with the options ``selection`` gives it; `nil` when the connection must be
    /// refused (`sniStrict` without a matching certificate, or options that are refused).
    public func sslContext(forServerName serverName: String?, entryPoint: String) -> NIOSSLContext? {
        self.connection(forServerName: serverName, entryPoint: entryPoint)?.context
    }

    /// The TLS handler for a new connection to `entryPoint` whose ClientHello named
    /// `serverName`, or `nil` to refuse it (close without a handshake). For options that accept
    /// client certificates without verifying them (`RequestClientCert`, `RequireAnyClientCert`)
    /// the handler carries a verification callback that accepts every certificate.
    public func serverHandler(forServerName serverName: String?, entryPoint: String) -> NIOSSLServerHandler? {
        guard let connection = self.connection(forServerName: serverName, entryPoint: entryPoint) else { return nil }
        if connection.acceptsAnyClientCertificate {
            return NIOSSLServerHandler(context: connection.context) { _, promise in
                promise.succeed(.certificateVerified)
            }
        }
        return NIOSSLServerHandler(context: connection.context)
    }

    /// The TLS options a connection to `entryPoint` naming `serverName` is handshaken with, or
    /// `nil` when it is refused.
    public func options(forServerName serverName: String?, entryPoint: String) -> TLSOptions? {
        let name = serverName.map(ServerName.normalize) ?? ""
        let id = self.optionsID(name, entryPoint: entryPoint)
        return id == Self.refused ? nil : self.optionSets[id]
    }

    /// The certificate covering `serverName` by exact or wildcard match, or `nil` when only
    /// a default would be served.
    public func matchingCertificate(forServerName serverName: String) -> ServerCertificate? {
        Self.match(ServerName.normalize(serverName), exact: self.exact, wildcard: self.wildcard)?.certificate
    }

    private func optionsID(_ normalizedName: String, entryPoint: String) -> Int {
        guard !normalizedName.isEmpty, let id = self.namedOptions[entryPoint]?[normalizedName] else {
            return self.defaultOptionsID
        }
        return id
    }

    private func connection(forServerName serverName: String?, entryPoint: String) -> (context: NIOSSLContext, acceptsAnyClientCertificate: Bool)? {
        let name = serverName.map(ServerName.normalize) ?? ""
        let optionsID = self.optionsID(name, entryPoint: entryPoint)
        guard optionsID != Self.refused else { return nil }
        let options = self.optionSets[optionsID]
        let matched = name.isEmpty ? nil : Self.match(name, exact: self.exact, wildcard: self.wildcard)
        if matched == nil, options.sniStrict { return nil }
        let entry = matched ?? self.fallback
        let context: NIOSSLContext
        if optionsID == self.defaultOptionsID {
            context = entry.context
        } else {
            guard let extra = self.extraContexts[Slot(certificate: entry.id, options: optionsID)] else { return nil }
            context = extra
        }
        return (context, options.settings.clientAuthentication.acceptsUnverifiedCertificates)
    }

    private func entry(forServerName serverName: String?) -> Entry {
        guard let serverName, let entry = Self.match(ServerName.normalize(serverName), exact: self.exact, wildcard: self.wildcard) else {
            return self.fallback
        }
        return entry
    }

    private static func match(_ name: String, exact: [String: Entry], wildcard: [String: Entry]) -> Entry? {
        guard !name.isEmpty else { return nil }
        if let entry = exact[name] {
            return entry
        }
        guard let parent = ServerName.wildcardParent(of: name) else { return nil }
        return wildcard[String(parent)]
    }
}
