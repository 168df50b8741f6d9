import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import SwiftASN1
import X509

/// The production ``ACMETransport``: HTTPS over AsyncHTTPClient.
///
/// Every call carries an explicit deadline (``Configuration/requestTimeout``): a TLS failure
/// is otherwise retried by the connection pool until the deadline passes. Redirects are not
/// followed (ACME has none, and a followed POST would replay a signed request).
///
/// Ownership of the `HTTPClient`:
/// - ``init(configuration:logger:)`` creates one and owns it: call ``shutdown()`` once when
///   done, or use ``withTransport(configuration:logger:_:)``, which does.
/// - ``init(borrowing:configuration:logger:)`` uses the caller's client: its TLS settings
///   apply (``Configuration/trustRoots`` and ``Configuration/connectTimeout`` are ignored),
///   ``shutdown()`` does nothing, and the caller shuts the client down after the last request.
public final class ACMEHTTPClientTransport: ACMETransport {
    /// Which certificate authorities the transport trusts for the ACME server's certificate.
    public struct TrustRoots: Sendable {
        enum Storage: Sendable {
            case system
            case systemAnd([Certificate])
            case only([Certificate])
        }

        let storage: Storage

        /// The system's trust store only. The default.
        public static let system = TrustRoots(storage: .system)

        /// The system's trust store plus these roots, e.g. a private CA's root.
        public static func systemAnd(_ roots: [Certificate]) -> TrustRoots {
            TrustRoots(storage: .systemAnd(roots))
        }

        /// These roots only, not the system's: for a private CA such as pebble.
        public static func only(_ roots: [Certificate]) -> TrustRoots {
            TrustRoots(storage: .only(roots))
        }

        /// Parses every `CERTIFICATE` block of a PEM text (a bundle of one or more roots).
        ///
        /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when the text
        ///   holds no certificate or one that does not parse.
        public static func certificates(pem: String) throws -> [Certificate] {
            do {
                let roots = try PEMDocument.parseMultiple(pemString: pem)
                    .filter { $0.discriminator == "CERTIFICATE" }
                    .map { try Certificate(derEncoded: $0.derBytes) }
                guard !roots.isEmpty else {
                    throw ACMEError(
                        code: .invalidArgument, step: .configuration, url: nil,
                        message: "the trust root PEM holds no CERTIFICATE block"
                    )
                }
                return roots
            } catch let error as ACMEError {
                throw error
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: .configuration, url: nil,
                    message: "a trust root in the PEM text does not parse: \(error)", underlying: error
                )
            }
        }

        /// Parses one DER-encoded root certificate.
        ///
        /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when it does
        ///   not parse.
        public static func certificate(der: [UInt8]) throws -> Certificate {
            do {
                return try Certificate(derEncoded: der)
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: .configuration, url: nil,
                    message: "the DER trust root does not parse: \(error)", underlying: error
                )
            }
        }
    }

    /// Settings of the transport. Each default is stated on its property.
    public struct Configuration: Sendable {
        /// Which roots to trust (owned client only). Default: ``TrustRoots/system``.
        public var trustRoots: TrustRoots
        /// The deadline of one request, from send to the last body byte. Default: 30 s.
        public var requestTimeout: Duration
        /// Time allowed to connect, TCP and TLS (owned client only). Default: 10 s.
        public var connectTimeout: Duration
        /// The largest response body accepted. Default: 4 MiB.
        public var maximumResponseBytes: Int
        /// The `User-Agent` sent with every request (RFC 8555 §6.1 asks clients to send one).
        /// Default: `Gatehouse-ACME/1`.
        public var userAgent: String

        /// A configuration; each parameter's default is stated on its property.
        public init(
            trustRoots: TrustRoots = .system,
            requestTimeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10),
            maximumResponseBytes: Int = 4 << 20,
            userAgent: String = "Gatehouse-ACME/1"
        ) {
            self.trustRoots = trustRoots
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maximumResponseBytes = maximumResponseBytes
            self.userAgent = userAgent
        }
    }

    /// The settings this transport was made with.
    public let configuration: Configuration
    private let client: HTTPClient
    private let ownsClient: Bool
    private let logger: Logger

    /// Creates the transport and an `HTTPClient` it owns; call ``shutdown()`` when done.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when a trust root
    ///   cannot be loaded into the TLS library.
    public init(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "gatehouse.acme.http")
    ) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch configuration.trustRoots.storage {
        case .system:
            break
        case .systemAnd(let roots):
            tls.additionalTrustRoots = [.certificates(try Self.nioCertificates(roots))]
        case .only(let roots):
            tls.trustRoots = .certificates(try Self.nioCertificates(roots))
        }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.requestTimeout))
        )
        clientConfiguration.httpVersion = .automatic
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        self.ownsClient = true
        self.configuration = configuration
        self.logger = logger
    }

    /// Uses the caller's `HTTPClient`, which stays the caller's to shut down.
    public init(
        borrowing client: HTTPClient,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "gatehouse.acme.http")
    ) {
        self.client = client
        self.ownsClient = false
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` with a new transport and shuts the transport down afterwards, also when
    /// `body` throws.
    public static func withTransport<Result: Sendable>(
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "gatehouse.acme.http"),
        _ body: (ACMEHTTPClientTransport) async throws -> Result
    ) async throws -> Result {
        let transport = try ACMEHTTPClientTransport(configuration: configuration, logger: logger)
        let result: Result
        do {
            result = try await body(transport)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        return result
    }

    /// Closes an owned client's pooled connections; call it once, when no request is in
    /// flight. Does nothing for a borrowed client.
    public func shutdown() async throws {
        guard self.ownsClient else { return }
        try await self.client.shutdown()
    }

    /// Sends one request with the configured deadline and returns the whole response.
    public func send(_ request: ACMEHTTPRequest) async throws -> ACMEHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.add(name: "User-Agent", value: self.configuration.userAgent)
        for field in request.headers {
            outgoing.headers.replaceOrAdd(name: field.name, value: field.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + TimeAmount(self.configuration.requestTimeout)
        let response = try await self.client.execute(outgoing, deadline: deadline, logger: self.logger)
        var body = Data()
        if request.method != .head {
            let buffer = try await response.body.collect(upTo: self.configuration.maximumResponseBytes)
            body = Data(buffer.readableBytesView)
        }
        var headers = ACMEHTTPHeaders()
        for (name, value) in response.headers {
            headers.add(name: name, value: value)
        }
        return ACMEHTTPResponse(status: Int(response.status.code), headers: headers, body: body)
    }

    private static func nioCertificates(_ roots: [Certificate]) throws -> [NIOSSLCertificate] {
        try roots.map { root in
            do {
                var serializer = DER.Serializer()
                try serializer.serialize(root)
                return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
            } catch {
                throw ACMEError(
                    code: .invalidArgument, step: .configuration, url: nil,
                    message: "trust root \(root.subject) cannot be loaded: \(error)", underlying: error
                )
            }
        }
    }
}

extension TimeAmount {
    /// A NIO time amount from a Swift duration (nanosecond precision).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
