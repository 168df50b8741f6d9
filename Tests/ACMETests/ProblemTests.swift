import Foundation
import Testing
@testable import ACME

@Suite struct ProblemTests {
    static let compound = """
        {
          "type": "urn:ietf:params:acme:error:compound",
          "detail": "Cannot issue for 2 identifiers",
          "status": 400,
          "subproblems": [
            {
              "type": "urn:ietf:params:acme:error:rejectedIdentifier",
              "detail": "This CA will not issue for \\"example.net\\"",
              "identifier": {"type": "dns", "value": "example.net"}
            },
            {
              "type": "urn:ietf:params:acme:error:caa",
              "detail": "CAA record forbids issuance",
              "identifier": {"type": "dns", "value": "caa.example.org"}
            }
          ]
        }
        """

    @Test func subproblemsAreDecodedWithTheirIdentifiers() throws {
        let problem = try ACMEJSON.decoder().decode(ACMEProblem.self, from: Data(Self.compound.utf8))
        #expect(problem.type == .compound)
        #expect(problem.status == 400)
        #expect(problem.subproblems.count == 2)
        #expect(problem.subproblems[0].type == .rejectedIdentifier)
        #expect(problem.subproblems[0].identifier == .dns("example.net"))
        #expect(problem.subproblems[1].type == .caa)
        #expect(problem.subproblems[1].identifier == .dns("caa.example.org"))
    }

    @Test func serverRefusalSurfacesTypeDetailAndSubproblems() async throws {
        let ca = try MockCA(options: .init(newOrderProblem: Self.compound))
        let client = try makeClient(ca)
        try await client.createAccount()
        let error = try #require(await acmeError {
            try await client.newOrder(identifiers: [.dns("example.net"), .dns("caa.example.org")])
        })
        #expect(error.code == .server)
        #expect(error.step == .newOrder)
        #expect(error.url == MockCA.base + "/new-order")
        let problem = try #require(error.problem)
        #expect(problem.subproblems.map(\.identifier) == [.dns("example.net"), .dns("caa.example.org")])
        let text = error.description
        #expect(text.contains("urn:ietf:params:acme:error:compound"))
        #expect(text.contains("Cannot issue for 2 identifiers"))
        #expect(text.contains("dns:example.net: urn:ietf:params:acme:error:rejectedIdentifier"))
        #expect(text.contains("dns:caa.example.org: urn:ietf:params:acme:error:caa: CAA record forbids issuance"))
        // No signed body in the error: no JWS members, no nonce.
        #expect(!text.contains("protected"))
        #expect(!text.contains("nonce-"))
    }

    @Test func missingTypeMeansAboutBlank() throws {
        let problem = try ACMEJSON.decoder().decode(ACMEProblem.self, from: Data(#"{"detail":"oops"}"#.utf8))
        #expect(problem.type.rawValue == "about:blank")
        #expect(problem.subproblems.isEmpty)
    }

    @Test func nonJSONErrorIsAnUnexpectedResponseWithTheStatus() async throws {
        let transport = FixedTransport(response: ACMEHTTPResponse(
            status: 502, headers: ["Content-Type": "text/html"], body: Data("<html>Bad Gateway</html>".utf8)
        ))
        let client = ACMEClient(directoryURL: "https://ca.invalid/dir", accountKey: try .generate(), transport: transport)
        let error = try #require(await acmeError { try await client.directory() })
        #expect(error.code == .unexpectedResponse)
        #expect(error.httpStatus == 502)
        #expect(error.step == .directory)
        #expect(error.description.contains("HTTP 502"))
    }
}
