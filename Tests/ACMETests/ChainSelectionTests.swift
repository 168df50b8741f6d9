import Foundation
import Testing
@testable import ACME

@Suite struct ChainSelectionTests {
    private func issue(preferredChain: String?, alternate: Bool = true) async throws -> (MockCA, ACMEIssuedCertificate) {
        let ca = try MockCA(options: .init(alternateChain: alternate))
        let client = try makeClient(ca)
        try await client.createAccount()
        let issued = try await client.issueCertificate(
            ACMEIssuanceRequest(identifiers: [.dns("example.com")], certificateKey: try .generate(), preferredChain: preferredChain),
            solver: RecordingSolver()
        )
        return (ca, issued)
    }

    @Test func preferredAlternateChainIsChosen() async throws {
        let (_, issued) = try await issue(preferredChain: "Mock Alt Root X2")
        #expect(issued.chain.topIssuerCommonName == "Mock Alt Root X2")
        #expect(issued.chain.url == MockCA.base + "/cert/0/1")
        #expect(issued.consideredChains.map(\.topIssuerCommonName) == ["Mock Root X1", "Mock Alt Root X2"])
        #expect(issued.alternateChainURLs == [MockCA.base + "/cert/0/1"])
        // Same leaf on both chains.
        #expect(issued.consideredChains[0].leaf == issued.consideredChains[1].leaf)
    }

    @Test func defaultChainWhenItIsThePreferredOne() async throws {
        let (ca, issued) = try await issue(preferredChain: "Mock Root X1")
        #expect(issued.chain.topIssuerCommonName == "Mock Root X1")
        #expect(issued.consideredChains.count == 1)
        #expect(ca.posts(to: "/cert/0/1").isEmpty)
    }

    @Test func defaultChainWhenNothingMatches() async throws {
        let (_, issued) = try await issue(preferredChain: "Some Other Root")
        #expect(issued.chain.topIssuerCommonName == "Mock Root X1")
        #expect(issued.consideredChains.count == 2)
    }

    @Test func noPreferenceDownloadsOnlyTheDefault() async throws {
        let (ca, issued) = try await issue(preferredChain: nil)
        #expect(issued.chain.url == MockCA.base + "/cert/0")
        #expect(issued.alternateChainURLs.count == 1)
        #expect(ca.posts(to: "/cert/0/1").isEmpty)
    }

    @Test func linkHeaderParsing() {
        let links = LinkHeader.targets(
            [#"<https://ca.test/cert/1/1>;rel="alternate", </cert/1/2>; rel="alternate""#, #"<https://ca.test/dir>;rel="index""#],
            rel: "alternate", base: "https://ca.test/cert/1"
        )
        #expect(links == ["https://ca.test/cert/1/1", "https://ca.test/cert/1/2"])
    }
}
