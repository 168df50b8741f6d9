import DNS
import Foundation
import Logging
import NIOCore

/// `dnsChallenge.provider: rfc2136`: publishes records by RFC 2136 dynamic UPDATE to the zone's
/// primary server, signed with TSIG (RFC 8945) when a key is configured.
///
/// Reads lego's variables: RFC2136_NAMESERVER (`host` or `host:port`, port 53 by default),
/// RFC2136_TSIG_KEY, RFC2136_TSIG_SECRET (base64), RFC2136_TSIG_ALGORITHM (`hmac-sha256` or
/// `hmac-sha256.`; lego's default `hmac-sha1`), or RFC2136_TSIG_FILE (a BIND `key` statement
/// as `tsig-keygen` writes it) instead of the three; RFC2136_DNS_TIMEOUT (seconds per answer,
/// default 10); RFC2136_TTL, RFC2136_PROPAGATION_TIMEOUT, RFC2136_POLLING_INTERVAL.
///
/// Unlike lego, which deletes every TXT record at the name before adding its own, ``present(_:)``
/// only adds: the apex's and the wildcard's values share one name and must both stay.
public struct RFC2136Provider: DNSChallengeProvider, CustomStringConvertible {
    /// The UPDATE client (server, key, timeout).
    public let client: RFC2136Client

    /// - Parameter client: where and how updates are sent.
    public init(client: RFC2136Client) {
        self.client = client
    }

    /// `rfc2136`.
    public var name: String { "rfc2136" }
    /// The client's description: server and key name, never the secret.
    public var description: String { "RFC2136Provider(\(self.client))" }
    /// The zone is found at the server (see ``zoneServers``) before an update is built.
    public var needsZone: Bool { true }
    /// RFC2136_NAMESERVER: the zone is found there, as lego does, and it is authoritative.
    public var zoneServers: [DNSAddress] { [self.client.server] }

    /// Adds the TXT value at the record's name in its zone.
    public func present(_ record: ChallengeRecord) async throws {
        try await self.client.send(
            DynamicUpdate(zone: record.zone, changes: [.addTXT(name: record.name, value: record.value, ttl: UInt32(clamping: record.ttl))])
        )
    }

    /// Deletes that one TXT value, leaving others at the name.
    public func cleanUp(_ record: ChallengeRecord) async throws {
        try await self.client.send(DynamicUpdate(zone: record.zone, changes: [.deleteTXT(name: record.name, value: record.value)]))
    }

    /// The registry entry.
    public static let kind = DNSProviderKind(
        name: "rfc2136",
        environmentPrefix: "RFC2136",
        variables: [
            .init("RFC2136_NAMESERVER", required: true, "the primary server: host or host:port (port 53 by default)"),
            .init("RFC2136_TSIG_KEY", "TSIG key name as the server knows it; unset for unsigned updates"),
            .init("RFC2136_TSIG_SECRET", secret: true, "TSIG secret, base64"),
            .init("RFC2136_TSIG_ALGORITHM", "hmac-md5, hmac-sha1 (default), hmac-sha256, hmac-sha384 or hmac-sha512, with or without the trailing dot"),
            .init("RFC2136_TSIG_FILE", "a file holding a BIND key statement (tsig-keygen output), instead of the three TSIG variables"),
            .init("RFC2136_DNS_TIMEOUT", "seconds to wait for each answer (default 10)"),
            .init("RFC2136_TTL", "TTL of the TXT records in seconds (default 120)"),
        ] + DNSProviderKind.Variable.propagation("RFC2136", defaults: (60, 2)),
        make: { credentials, context throws(DNSProviderError) in
            try RFC2136Provider(credentials: credentials, logger: context.logger)
        }
    )

    /// Reads the provider's variables.
    /// - Throws: ``DNSProviderError/Kind/configuration`` naming the variable that is missing or
    ///   malformed (never its value when it is a secret).
    public init(credentials: DNSCredentials, logger: Logger = Logger(label: "gatehouse.dns.rfc2136")) throws(DNSProviderError) {
        let provider = "rfc2136"
        let server = try Self.nameserver(try credentials.required("RFC2136_NAMESERVER", provider: provider))
        let timeout = try credentials.seconds("RFC2136_DNS_TIMEOUT", provider: provider) ?? 10
        var keyName = try credentials.value("RFC2136_TSIG_KEY", provider: provider)
        var secret = try credentials.value("RFC2136_TSIG_SECRET", provider: provider)
        var algorithmText = try credentials.value("RFC2136_TSIG_ALGORITHM", provider: provider)
        // RFC2136_TSIG_FILE reads, through DNSCredentials' _FILE rule, as the value of RFC2136_TSIG.
        if let statement = try credentials.value("RFC2136_TSIG", provider: provider) {
            guard let parsed = BINDKeyStatement(statement) else {
                throw DNSProviderError(.configuration, provider: provider, "RFC2136_TSIG_FILE: not a BIND key statement (key \"name\" { algorithm …; secret \"…\"; };)")
            }
            keyName = parsed.name
            secret = parsed.secret
            algorithmText = parsed.algorithm
        }
        var key: TSIGKey? = nil
        switch (keyName, secret) {
        case (nil, nil):
            break
        case (.some, nil):
            throw DNSProviderError(.configuration, provider: provider, "RFC2136_TSIG_KEY is set but RFC2136_TSIG_SECRET is not")
        case (nil, .some):
            throw DNSProviderError(.configuration, provider: provider, "RFC2136_TSIG_SECRET is set but RFC2136_TSIG_KEY is not")
        case (.some(let keyName), .some(let secret)):
            let algorithmText = algorithmText ?? TSIGAlgorithm.hmacSHA1.shortName
            guard let algorithm = TSIGAlgorithm(algorithmText) else {
                throw DNSProviderError(
                    .configuration, provider: provider,
                    "RFC2136_TSIG_ALGORITHM \"\(algorithmText)\" is not one of \(TSIGAlgorithm.all.map(\.shortName).joined(separator: ", "))"
                )
            }
            let name: DomainName
            do {
                name = try DomainName(keyName)
            } catch {
                throw DNSProviderError(.configuration, provider: provider, "RFC2136_TSIG_KEY \"\(keyName)\" is not a valid key name: \(error)")
            }
            guard let made = TSIGKey(name: name, algorithm: algorithm, base64Secret: secret) else {
                throw DNSProviderError(.configuration, provider: provider, "RFC2136_TSIG_SECRET is not base64")
            }
            key = made
        }
        self.init(client: RFC2136Client(server: server, key: key, timeout: .seconds(timeout), logger: logger))
    }

    /// `host` or `host:port`; a host name is resolved now.
    static func nameserver(_ text: String) throws(DNSProviderError) -> DNSAddress {
        if let address = try? DNSAddress(parsing: text, defaultPort: 53), address.host != nil {
            return address
        }
        var host = text.trimmingCharacters(in: .whitespaces)
        var port = 53
        if let colon = host.lastIndex(of: ":"), !host.contains("]") {
            guard let number = Int(host[host.index(after: colon)...]), (1...65_535).contains(number) else {
                throw DNSProviderError(.configuration, provider: "rfc2136", "RFC2136_NAMESERVER \"\(text)\": bad port")
            }
            port = number
            host = String(host[..<colon])
        }
        do {
            let resolved = try SocketAddress.makeAddressResolvingHost(host, port: port)
            guard let ip = resolved.ipAddress else { throw DNSProviderError(.configuration, provider: "rfc2136", "no address") }
            return DNSAddress(host: ip, port: port)
        } catch {
            throw DNSProviderError(.configuration, provider: "rfc2136", "RFC2136_NAMESERVER \"\(text)\": cannot resolve \(host)")
        }
    }
}
