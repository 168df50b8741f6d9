import Foundation
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS
import TLS
import Testing
import X509

/// One in-memory handshake through ``CertificateIndex/serverHandler(forServerName:entryPoint:)``.
@dynamicMemberLookup
private struct Outcome {
    /// `false` when the index refused the connection (no handler).
    var accepted: Bool
    var handshake = HandshakeOutcome()

    subscript<Value>(dynamicMember keyPath: KeyPath<HandshakeOutcome, Value>) -> Value {
        handshake[keyPath: keyPath]
    }
}

private func handshake(
    _ index: CertificateIndex, serverName: String?, entryPoint: String = "websecure",
    configure: (inout TLSConfiguration) -> Void = { _ in }
) throws -> Outcome {
    guard let handler = index.serverHandler(forServerName: serverName, entryPoint: entryPoint) else {
        return Outcome(accepted: false)
    }
    let outcome = try driveHandshake(serverHostname: serverName, configure: configure) { server, observer in
        try server.pipeline.syncOperations.addHandler(handler)
        try server.pipeline.syncOperations.addHandler(observer)
    }
    return Outcome(accepted: true, handshake: outcome)
}

/// A client certificate (extendedKeyUsage clientAuth) issued by `issuer`, as NIOSSL values.
private func makeClientCertificate(
    issuer: TestCA, commonName: String = "client"
) throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
    let key = try TestKey.p256.make()
    let name = try DistinguishedName {
        CommonName(commonName)
        OrganizationName("Gatehouse tests")
    }
    let extensions = try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.clientAuth])
        AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuer.key.publicKey).keyIdentifier)
    }
    let certificate = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
        notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400),
        issuer: issuer.certificate.subject, subject: name, extensions: extensions, issuerPrivateKey: issuer.key
    )
    let chain = try NIOSSLCertificate.fromPEMBytes(Array(try pem(certificate).utf8))
    let privateKey = try NIOSSLPrivateKey(bytes: Array(try pem(key).utf8), format: .pem)
    return (chain, privateKey)
}

private func present(_ identity: (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)) -> (inout TLSConfiguration) -> Void {
    { configuration in
        configuration.certificateChain = identity.chain.map { .certificate($0) }
        configuration.privateKey = .privateKey(identity.key)
    }
}

@Suite("TLS options at the handshake")
struct TLSOptionsHandshakeTests {
    let certificate: ServerCertificate
    let clientCA: TestCA
    let otherCA: TestCA

    init() throws {
        self.certificate = try makeServerCertificate(["a.test", "b.test", "c.test"])
        self.clientCA = try TestCA(commonName: "Client CA")
        self.otherCA = try TestCA(commonName: "Other CA")
    }

    private func index(_ options: [String: TLSOptions], default defaultOptions: TLSOptions = .builtInDefault) throws -> CertificateIndex {
        var selection = TLSOptionsSelection(defaultChoice: .options(defaultOptions))
        for (name, option) in options {
            selection.set(.options(option), forServerName: name, entryPoint: "websecure")
        }
        return try CertificateIndex(certificates: [certificate], selection: selection)
    }

    private func options(_ definition: TLSOptionsDefinition) throws -> TLSOptions {
        try TLSOptions(definition)
    }

    @Test("minVersion VersionTLS13 refuses a TLS 1.2 client on its name only")
    func minVersion() throws {
        let index = try index(["a.test": options(TLSOptionsDefinition(name: "modern", minVersion: "VersionTLS13"))])
        let tls12: (inout TLSConfiguration) -> Void = { $0.maximumTLSVersion = .tlsv12 }
        let refused = try handshake(index, serverName: "a.test", configure: tls12)
        #expect(refused.accepted && !refused.clientCompleted && !refused.serverCompleted)
        let modern = try handshake(index, serverName: "a.test")
        #expect(modern.clientCompleted && modern.tlsVersion == .tlsv13)
        let other = try handshake(index, serverName: "b.test", configure: tls12)
        #expect(other.clientCompleted && other.tlsVersion == .tlsv12)
        // Another entry point does not share the mapping.
        let elsewhere = try handshake(index, serverName: "a.test", entryPoint: "other", configure: tls12)
        #expect(elsewhere.clientCompleted)
    }

    @Test("alpnProtocols [http/1.1] makes an h2 client fall back to HTTP/1.1")
    func alpn() throws {
        let index = try index(["a.test": options(TLSOptionsDefinition(name: "h1", alpnProtocols: ["http/1.1"]))])
        #expect(try handshake(index, serverName: "a.test").negotiatedProtocol == "http/1.1")
        #expect(try handshake(index, serverName: "b.test").negotiatedProtocol == "h2")
    }

    @Test("sniStrict refuses an unknown name and a missing SNI, and serves known names")
    func sniStrict() throws {
        let index = try index([:], default: TLSOptions(sniStrict: true))
        #expect(try handshake(index, serverName: "a.test").clientCompleted)
        #expect(try !handshake(index, serverName: "unknown.test").accepted)
        #expect(try !handshake(index, serverName: nil).accepted)
        let lenient = try self.index([:])
        let served = try handshake(lenient, serverName: "unknown.test")
        #expect(served.clientCompleted && served.peerCertificate == DefaultCertificate.shared.chain[0])
    }

    @Test("RequireAndVerifyClientCert: no certificate refused, the CA's accepted, another CA's refused")
    func requireAndVerify() throws {
        let mtls = try options(TLSOptionsDefinition(
            name: "mtls", clientAuthType: "RequireAndVerifyClientCert", caCertificates: [Array(try pem(clientCA.certificate).utf8)]
        ))
        let index = try index(["a.test": mtls])
        let good = try makeClientCertificate(issuer: clientCA)
        let stranger = try makeClientCertificate(issuer: otherCA)

        let without = try handshake(index, serverName: "a.test")
        #expect(!without.serverCompleted)
        let with = try handshake(index, serverName: "a.test", configure: present(good))
        #expect(with.clientCompleted && with.serverCompleted)
        #expect(with.clientCertificate == good.chain[0])
        let info = try ClientCertificateInfo(chain: [try #require(with.clientCertificate)])
        #expect(info.subject.commonName == ["client"])
        #expect(info.issuer.commonName == ["Client CA"])
        let wrong = try handshake(index, serverName: "a.test", configure: present(stranger))
        #expect(!wrong.serverCompleted)
        // The same entry point's other names ask for nothing.
        #expect(try handshake(index, serverName: "b.test").serverCompleted)
    }

    @Test("VerifyClientCertIfGiven: none accepted, the CA's accepted, another CA's refused")
    func verifyIfGiven() throws {
        let optional = try options(TLSOptionsDefinition(
            name: "optional", clientAuthType: "VerifyClientCertIfGiven", caCertificates: [Array(try pem(clientCA.certificate).utf8)]
        ))
        let index = try index(["a.test": optional])
        let none = try handshake(index, serverName: "a.test")
        #expect(none.serverCompleted && none.clientCertificate == nil)
        #expect(try handshake(index, serverName: "a.test", configure: present(makeClientCertificate(issuer: clientCA))).serverCompleted)
        #expect(try !handshake(index, serverName: "a.test", configure: present(makeClientCertificate(issuer: otherCA))).serverCompleted)
    }

    @Test("RequireAnyClientCert accepts any certificate but requires one; RequestClientCert requires none")
    func unverifiedModes() throws {
        let index = try index([
            "a.test": options(TLSOptionsDefinition(name: "any", clientAuthType: "RequireAnyClientCert")),
            "b.test": options(TLSOptionsDefinition(name: "request", clientAuthType: "RequestClientCert")),
        ])
        let stranger = try makeClientCertificate(issuer: otherCA)
        #expect(try !handshake(index, serverName: "a.test").serverCompleted)
        let any = try handshake(index, serverName: "a.test", configure: present(stranger))
        #expect(any.serverCompleted && any.clientCertificate == stranger.chain[0])
        #expect(try handshake(index, serverName: "b.test").serverCompleted)
        let requested = try handshake(index, serverName: "b.test", configure: present(stranger))
        #expect(requested.serverCompleted && requested.clientCertificate == stranger.chain[0])
    }

    @Test("refused options close the connection for their names only")
    func refusedName() throws {
        var selection = TLSOptionsSelection()
        selection.set(.refuse, forServerName: "a.test", entryPoint: "websecure")
        let index = try CertificateIndex(certificates: [certificate], selection: selection)
        #expect(try !handshake(index, serverName: "a.test").accepted)
        #expect(try handshake(index, serverName: "b.test").serverCompleted)
    }
}
