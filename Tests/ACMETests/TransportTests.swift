import Foundation
import Logging
import Testing
import X509
@testable import ACME

/// The production transport, without a CA: trust roots, and a CA that is not there.
@Suite struct TransportTests {
    @Test func closedPortFailsQuicklyWithATransportError() async throws {
        let port = try LoopbackPorts.free()
        var configuration = ACMEHTTPClientTransport.Configuration()
        configuration.requestTimeout = .seconds(3)
        configuration.connectTimeout = .seconds(1)
        let error: ACMEError? = try await ACMEHTTPClientTransport.withTransport(configuration: configuration) { transport in
            let client = ACMEClient(directoryURL: "https://127.0.0.1:\(port)/dir", accountKey: try .generate(), transport: transport)
            let started = ContinuousClock.now
            let error = await acmeError { try await client.createAccount() }
            // Bounded by the 3 s request deadline (about 1 s alone). The slack is for the whole
            // suite running at once on two cores, where the deadline's timer waits for a turn:
            // 16–18 s seen there.
            #expect(started.duration(to: .now) < .seconds(40))
            return error
        }
        let failure = try #require(error)
        #expect(failure.code == .transport)
        #expect(failure.step == .directory)
        #expect(failure.url == "https://127.0.0.1:\(port)/dir")
        #expect(failure.description.contains("127.0.0.1:\(port)"))
        #expect(failure.underlying != nil)
    }

    @Test func trustRootsParseFromPEMAndDER() async throws {
        let key = try ACMEPrivateKey.generate()
        let name = try DistinguishedName { CommonName("Private Root") }
        let root = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.certificatePrivateKey.publicKey,
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600), issuer: name, subject: name,
            extensions: Certificate.Extensions(), issuerPrivateKey: key.certificatePrivateKey
        )
        let pem = try root.serializeAsPEM().pemString
        #expect(try ACMEHTTPClientTransport.TrustRoots.certificates(pem: pem + "\n" + pem) == [root, root])
        #expect(try ACMEHTTPClientTransport.TrustRoots.certificate(der: try root.serializeAsPEM().derBytes) == root)
        #expect(throws: ACMEError.self) { try ACMEHTTPClientTransport.TrustRoots.certificates(pem: "no certificate here") }
        let transport = try ACMEHTTPClientTransport(configuration: .init(trustRoots: .systemAnd([root])))
        try await transport.shutdown()
    }
}
