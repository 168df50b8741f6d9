import Foundation
import Testing

@testable import DNSProviders

/// ``SigV4Signer`` against AWS's published Signature Version 4 test suite (key `AKIDEXAMPLE`,
/// 2015-08-30T12:36:00Z, us-east-1, service `service`, host `example.amazonaws.com`).
@Suite struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let signer = SigV4Signer(accessKeyID: "AKIDEXAMPLE", secretAccessKey: secret, region: "us-east-1", service: "service")
    static let amzDate = "20150830T123600Z"
    static let baseHeaders = [("Host", "example.amazonaws.com"), ("X-Amz-Date", amzDate)]

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [(String, String)]
        let extraHeaders: [(String, String)]
        let body: String
        let signedHeaders: String
        let signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", method: "GET", path: "/", query: [], extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
               extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "get-utf8", method: "GET", path: "/\u{1234}", query: [], extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        Vector(name: "get-space", method: "GET", path: "/example space/", query: [], extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        Vector(name: "post-vanilla", method: "POST", path: "/", query: [], extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(name: "post-vanilla-query", method: "POST", path: "/", query: [("Param1", "value1")], extraHeaders: [], body: "",
               signedHeaders: "host;x-amz-date", signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        Vector(name: "post-x-www-form-urlencoded", method: "POST", path: "/", query: [],
               extraHeaders: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1",
               signedHeaders: "content-type;host;x-amz-date", signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ]

    @Test(arguments: vectors)
    func theTestSuiteVectorsSign(_ vector: Vector) {
        let request = SigV4Signer.Request(method: vector.method, path: vector.path, query: vector.query,
                                          headers: vector.extraHeaders + Self.baseHeaders, body: Array(vector.body.utf8))
        let expected = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)"
        #expect(Self.signer.authorization(request, amzDate: Self.amzDate) == expected)
    }

    @Test func theIntermediateStepsMatchTheSuite() {
        // post-vanilla.sts and post-x-www-form-urlencoded.sts: the string to sign's last line.
        let vanilla = SigV4Signer.canonicalRequest(.init(method: "POST", path: "/", headers: Self.baseHeaders))
        #expect(vanilla.text == "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let scope = "20150830/us-east-1/service/aws4_request"
        #expect(SigV4Signer.stringToSign(canonicalRequest: vanilla.text, amzDate: Self.amzDate, scope: scope).hasSuffix(
            "\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"))
        let form = SigV4Signer.canonicalRequest(.init(method: "POST", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded")] + Self.baseHeaders, body: Array("Param1=value1".utf8)))
        #expect(SigV4Signer.stringToSign(canonicalRequest: form.text, amzDate: Self.amzDate, scope: scope).hasSuffix(
            "\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"))
    }

    @Test func signingAtADateAddsTheDateAndTheAuthorization() {
        let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
        let added = Self.signer.sign(.init(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")]), at: date)
        #expect(added.first { $0.0 == "X-Amz-Date" }?.1 == Self.amzDate)
        #expect(added.first { $0.0 == "Authorization" }?.1.hasSuffix("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") == true)
    }

    @Test func aSessionTokenIsSentAndSignedAndNeverShown() {
        let token = "session-token-that-must-stay-secret"
        let signer = SigV4Signer(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: token, region: "us-east-1", service: "route53")
        let added = signer.sign(.init(method: "GET", path: "/", headers: [("Host", "route53.amazonaws.com")]), at: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(added.first { $0.0 == "X-Amz-Security-Token" }?.1 == token)
        #expect(added.first { $0.0 == "Authorization" }?.1.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
        #expect(!signer.description.contains(token) && !signer.description.contains(Self.secret))
        #expect(!String(describing: signer).contains(Self.secret))
    }

    @Test func encodingLeavesOnlyUnreservedCharacters() {
        #expect(SigV4Signer.encode("_acme-challenge.example.com.") == "_acme-challenge.example.com.")
        #expect(SigV4Signer.encode("a b/c=d&e+f*") == "a%20b%2Fc%3Dd%26e%2Bf%2A")
    }
}
