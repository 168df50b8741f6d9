import Crypto
import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import SwiftASN1
import TLS
import X509
import _CryptoExtras

/// Errors raised by the helpers, so a failing helper says what it was doing.
struct TestSupportError: Error, CustomStringConvertible {
    var description: String
}

// MARK: - Certificates made with swift-certificates

enum TestKey {
    case p256
    case p384
    case rsa2048

    func make() throws -> Certificate.PrivateKey {
        switch self {
        case .p256: return Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .p384: return Certificate.PrivateKey(P384.Signing.PrivateKey())
        case .rsa2048: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
    }
}

/// A certificate authority for tests: a self-signed root (CA:TRUE, keyCertSign) that issues
/// leaves. A client doing full verification trusts the root, as real clients do; a
/// self-signed end-entity certificate (CA:FALSE, no keyCertSign) is not a trust anchor to
/// BoringSSL, which then fails with UNABLE_TO_GET_ISSUER_CERT_LOCALLY (alert unknown_ca).
struct TestCA {
    let certificate: Certificate
    let key: Certificate.PrivateKey
    /// The root as NIOSSL wants it for `TLSConfiguration.trustRoots`.
    let trustRoot: NIOSSLCertificate

    init(commonName: String = "Gatehouse test CA", key: TestKey = .p256) throws {
        let privateKey = try key.make()
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Gatehouse tests")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: privateKey.publicKey)
        }
        self.certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: Date().addingTimeInterval(-3600),
            notValidAfter: Date().addingTimeInterval(7 * 86_400),
            issuer: name,
            subject: name,
            extensions: extensions,
            issuerPrivateKey: privateKey
        )
        self.key = privateKey
        var serializer = DER.Serializer()
        try serializer.serialize(self.certificate)
        self.trustRoot = try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }
}

/// A leaf for `dnsNames` (no SAN extension when empty), as swift-certificates values:
/// self-signed, or issued by `issuer` when given.
func makeX509Certificate(
    dnsNames: [String],
    commonName: String = "test",
    key: Certificate.PrivateKey,
    notBefore: Date = Date().addingTimeInterval(-60),
    notAfter: Date = Date().addingTimeInterval(86_400),
    issuer: TestCA? = nil
) throws -> Certificate {
    let name = try DistinguishedName {
        CommonName(commonName)
        OrganizationName("Gatehouse tests")
    }
    let extensions = try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
        try ExtendedKeyUsage([.serverAuth])
        if !dnsNames.isEmpty {
            SubjectAlternativeNames(dnsNames.map { .dnsName($0) })
        }
        if let issuer {
            AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.key.publicKey).keyIdentifier)
        }
    }
    return try Certificate(
        version: .v3,
        serialNumber: Certificate.SerialNumber(),
        publicKey: key.publicKey,
        notValidBefore: notBefore,
        notValidAfter: notAfter,
        issuer: issuer?.certificate.subject ?? name,
        subject: name,
        extensions: extensions,
        issuerPrivateKey: issuer?.key ?? key
    )
}

/// A ``ServerCertificate`` for `dnsNames`: self-signed, or issued by `issuer` when given (the
/// chain is then the leaf alone, the root being what clients trust).
func makeServerCertificate(
    _ dnsNames: [String],
    commonName: String = "test",
    key: TestKey = .p256,
    notAfter: Date = Date().addingTimeInterval(86_400),
    issuer: TestCA? = nil
) throws -> ServerCertificate {
    let privateKey = try key.make()
    let certificate = try makeX509Certificate(
        dnsNames: dnsNames,
        commonName: commonName,
        key: privateKey,
        notAfter: notAfter,
        issuer: issuer
    )
    return try ServerCertificate(certificates: [certificate], privateKey: privateKey)
}

func pem(_ certificate: Certificate) throws -> String {
    try certificate.serializeAsPEM().pemString + "\n"
}

func pem(_ key: Certificate.PrivateKey) throws -> String {
    try key.serializeAsPEM().pemString + "\n"
}

// MARK: - ClientHellos made by NIOSSL

/// The bytes an NIOSSL client sends first: its ClientHello, as one or more TLS records.
func nioSSLClientHello(
    serverHostname: String?,
    alpn: [String] = ["h2", "http/1.1"],
    maximumVersion: TLSVersion? = nil
) throws -> ByteBuffer {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .none
    configuration.applicationProtocols = alpn
    if let maximumVersion {
        configuration.maximumTLSVersion = maximumVersion
        configuration.minimumTLSVersion = .tlsv1
    }
    let context = try NIOSSLContext(configuration: configuration)
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverHostname))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    var hello = ByteBuffer()
    while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
        hello.writeBuffer(&chunk)
    }
    guard hello.readableBytes > 0 else { throw TestSupportError(description: "the NIOSSL client wrote nothing") }
    return hello
}

// MARK: - Hand-built ClientHellos

/// Builds ClientHello messages field by field, for the cases NIOSSL will not produce.
struct ClientHelloBuilder {
    var legacyVersion: UInt16 = 0x0303
    var sessionID: [UInt8] = Array(repeating: 0xAB, count: 32)
    var cipherSuites: [UInt16] = [0x1301, 0xC02F]
    var compressionMethods: [UInt8] = [0]
    /// `nil` omits the extensions block entirely (allowed before TLS 1.3).
    var extensions: [(type: UInt16, data: [UInt8])]? = []

    static func serverNameData(_ names: [(type: UInt8, name: [UInt8])]) -> [UInt8] {
        var list: [UInt8] = []
        for entry in names {
            list.append(entry.type)
            list += u16(entry.name.count) + entry.name
        }
        return u16(list.count) + list
    }

    static func serverNameData(_ name: String) -> [UInt8] {
        serverNameData([(0, Array(name.utf8))])
    }

    static func alpnData(_ protocols: [String]) -> [UInt8] {
        var list: [UInt8] = []
        for name in protocols {
            list.append(UInt8(name.utf8.count))
            list += Array(name.utf8)
        }
        return u16(list.count) + list
    }

    /// The handshake message: type, uint24 length, body.
    func handshakeMessage() -> [UInt8] {
        var body: [UInt8] = u16(Int(self.legacyVersion))
        body += Array(repeating: 0x42, count: 32)
        body.append(UInt8(self.sessionID.count))
        body += self.sessionID
        body += u16(self.cipherSuites.count * 2)
        for suite in self.cipherSuites {
            body += u16(Int(suite))
        }
        body.append(UInt8(self.compressionMethods.count))
        body += self.compressionMethods
        if let extensions = self.extensions {
            var block: [UInt8] = []
            for ext in extensions {
                block += u16(Int(ext.type)) + u16(ext.data.count) + ext.data
            }
            body += u16(block.count) + block
        }
        return [1] + u24(body.count) + body
    }

    /// The handshake message in one record.
    func record() -> [UInt8] {
        records(splittingAt: [])
    }

    /// The handshake message fragmented into records at the given offsets of the message.
    func records(splittingAt offsets: [Int]) -> [UInt8] {
        fragment(self.handshakeMessage(), at: offsets)
    }
}

/// Wraps `message` in handshake records, cutting it at `offsets`.
func fragment(_ message: [UInt8], at offsets: [Int]) -> [UInt8] {
    var output: [UInt8] = []
    var start = 0
    for end in offsets + [message.count] where end > start {
        let piece = message[start..<end]
        output += [22, 3, 1] + u16(piece.count) + piece
        start = end
    }
    return output
}

func u16(_ value: Int) -> [UInt8] {
    [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

func u24(_ value: Int) -> [UInt8] {
    [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(self.readableBytesView) }
}

// MARK: - openssl CLI

/// Runs `openssl` with `arguments` in `directory`; throws with its stderr when it fails.
@discardableResult
func openssl(_ arguments: [String], in directory: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    process.currentDirectoryURL = directory
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSupportError(
            description: "openssl \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
                + String(decoding: err, as: UTF8.self)
        )
    }
    return String(decoding: out, as: UTF8.self)
}

/// A fresh temporary directory, removed by `body`'s end.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("gatehouse-tls-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

func readBytes(_ name: String, in directory: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(name)))
}

// MARK: - In-memory TLS connections

/// Moves bytes between two embedded channels until neither has anything more to send.
/// Errors the channels raise are collected rather than thrown, so a failed handshake can be
/// inspected.
func interact(client: EmbeddedChannel, server: EmbeddedChannel, errors: inout [any Error]) {
    for _ in 0..<100 {
        var moved = false
        while let chunk = try? client.readOutbound(as: ByteBuffer.self) {
            moved = true
            do { try server.writeInbound(chunk) } catch { errors.append(error) }
        }
        while let chunk = try? server.readOutbound(as: ByteBuffer.self) {
            moved = true
            do { try client.writeInbound(chunk) } catch { errors.append(error) }
        }
        if !moved { return }
    }
}
