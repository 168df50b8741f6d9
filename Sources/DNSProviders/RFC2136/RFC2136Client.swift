import DNS
import Logging
import NIOCore
import NIOPosix

/// Sends RFC 2136 UPDATEs to one server, signed with TSIG when a key is given, and turns the
/// answers into ``DNSProviderError``s.
///
/// | answer | kind |
/// |---|---|
/// | NOTAUTH, or a TSIG error (BADSIG, BADKEY, BADTIME) | ``DNSProviderError/Kind/authentication`` |
/// | REFUSED | ``DNSProviderError/Kind/permission`` |
/// | NOTZONE, NXDOMAIN | ``DNSProviderError/Kind/zoneNotFound`` |
/// | no answer in time, socket errors | ``DNSProviderError/Kind/network`` |
/// | another error code | ``DNSProviderError/Kind/rejected`` |
/// | a signed request answered unsigned, or with a MAC that does not verify | ``DNSProviderError/Kind/invalidResponse`` |
public struct RFC2136Client: Sendable, CustomStringConvertible {
    /// The server updates go to (the zone's primary).
    public let server: DNSAddress
    /// The key updates are signed with; `nil` sends them unsigned.
    public let signer: TSIGSigner?
    /// How long to wait for each answer (lego's RFC2136_DNS_TIMEOUT). Default 10 seconds.
    public var timeout: Duration
    /// UDP (TCP again when truncated), or TCP only. Default UDP.
    public var transport: DNSTransport
    /// The provider name put into errors.
    public var provider: String
    private let client: DNSClient
    private let logger: Logger

    /// - Parameters: see the properties.
    public init(
        server: DNSAddress,
        key: TSIGKey?,
        timeout: Duration = .seconds(10),
        transport: DNSTransport = .udp,
        provider: String = "rfc2136",
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "gatehouse.dns.rfc2136", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.server = server
        self.signer = key.map { TSIGSigner(key: $0) }
        self.timeout = timeout
        self.transport = transport
        self.provider = provider
        self.client = DNSClient(configuration: .init(attemptTimeout: timeout, attempts: 1), eventLoopGroup: eventLoopGroup, logger: logger)
        self.logger = logger
    }

    /// `RFC2136Client(127.0.0.1:53, TSIGKey(name., hmac-sha256))`: never the secret.
    public var description: String {
        "RFC2136Client(\(self.server), \(self.signer.map { "\($0.key)" } ?? "unsigned"))"
    }

    /// Sends `update` once and checks the answer.
    /// - Throws: ``DNSProviderError`` as the table above says, its detail naming the server,
    ///   the zone and the response code (never the key's secret).
    public func send(_ update: DynamicUpdate) async throws(DNSProviderError) {
        let message = update.message(id: .random(in: 0...UInt16.max))
        let signed = self.signer.map { $0.sign(message) }
        let response: DNSResponse
        do {
            response = try await self.client.exchange(message, wire: signed?.wire, with: self.server, transport: self.transport, timeout: self.timeout)
        } catch {
            let what = error.code == .timedOut ? "no answer from \(self.server) in \(self.timeout)" : "\(error)"
            throw DNSProviderError(error.code == .invalidResolver ? .configuration : .network, provider: self.provider, "UPDATE of zone \(update.zone): \(what)")
        }
        let code = response.message.responseCode
        let zone = "UPDATE of zone \(update.zone) at \(self.server)"
        let status = Int(code.rawValue)
        var tsigStatus = TSIGSigner.ResponseStatus.unsigned
        if let signer = self.signer, let signed {
            do throws(TSIGSigner.VerificationError) {
                tsigStatus = try signer.verify(response, requestMAC: signed.mac)
            } catch {
                throw DNSProviderError(.invalidResponse, provider: self.provider, "\(zone): \(code): \(error)", status: status)
            }
        }
        if case .rejected(let tsigError) = tsigStatus {
            let hint = tsigError == .badTime ? " (the clocks differ by more than the fudge)" : " (wrong key name, secret or algorithm?)"
            throw DNSProviderError(.authentication, provider: self.provider, "\(zone): \(code), TSIG \(tsigError)\(hint)", status: status)
        }
        switch code {
        case .noError:
            if self.signer != nil, tsigStatus != .verified {
                throw DNSProviderError(.invalidResponse, provider: self.provider, "\(zone): the answer to a signed UPDATE is not signed", status: status)
            }
            self.logger.debug("UPDATE applied", metadata: ["zone": "\(update.zone)", "server": "\(self.server)"])
        case .notAuthoritative:
            let why = self.signer == nil ? "the update is unsigned and the server wants a key, or it is not authoritative for the zone" : "the server did not accept the key, or is not authoritative for the zone"
            throw DNSProviderError(.authentication, provider: self.provider, "\(zone): NOTAUTH (\(why))", status: status)
        case .refused:
            throw DNSProviderError(.permission, provider: self.provider, "\(zone): REFUSED (the server's update policy does not allow this change\(self.signer.map { " with key \($0.key.name)" } ?? " without a key"))", status: status)
        case .notInZone, .nameError:
            throw DNSProviderError(.zoneNotFound, provider: self.provider, "\(zone): \(code) (the server has no zone \(update.zone) holding the names)", status: status)
        default:
            throw DNSProviderError(.rejected, provider: self.provider, "\(zone): \(code)", status: status)
        }
    }
}
