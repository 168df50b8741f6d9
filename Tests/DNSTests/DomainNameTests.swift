import Testing

@testable import DNS

@Suite struct DomainNameTests {
    @Test(arguments: [
        ("example.com", ["example", "com"]),
        ("example.com.", ["example", "com"]),
        ("_acme-challenge.Example.COM", ["_acme-challenge", "Example", "COM"]),
        (".", []),
        ("a\\.b.c", ["a.b", "c"]),
        ("a\\\\b.c", ["a\\b", "c"]),
        ("\\065bc", ["Abc"]),
    ])
    func parsesPresentationForm(text: String, labels: [String]) throws {
        let parsed = try DomainName(text)
        #expect(parsed.labels == labels.map { Array($0.utf8) })
    }

    @Test(arguments: [
        ("", DomainNameError.Reason.emptyLabel),
        ("a..b", .emptyLabel),
        (".a", .emptyLabel),
        (String(repeating: "a", count: 64) + ".com", .labelTooLong),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), .nameTooLong),
        ("abc\\", .badEscape),
        ("a\\25", .badEscape),
        ("a\\256", .badEscape),
    ])
    func rejectsInvalidText(text: String, reason: DomainNameError.Reason) {
        #expect(throws: DomainNameError(text: text, reason: reason)) {
            try DomainName(text)
        }
    }

    @Test func longestValidNameIs255Octets() throws {
        // 3 labels of 63 and one of 61: 3*64 + 62 + 1 = 255.
        let labels = Array(repeating: String(repeating: "a", count: 63), count: 3) + [String(repeating: "b", count: 61)]
        let parsed = try DomainName(labels.joined(separator: "."))
        #expect(parsed.wireLength == 255)
        #expect(throws: DomainNameError.self) { try parsed.prepending("x") }
    }

    @Test func comparesWithoutASCIICase() throws {
        let lower = try name("_acme-challenge.example.com")
        let mixed = try name("_ACME-Challenge.EXAMPLE.com.")
        #expect(lower == mixed)
        #expect(lower.hashValue == mixed.hashValue)
        #expect(Set([lower, mixed]).count == 1)
        #expect(lower != (try name("_acme-challenge.example.org")))
        // Only ASCII letters fold: octets above 0x7F compare exactly.
        let upperByte = DomainName(uncheckedLabels: [[0xC4]])
        let lowerByte = DomainName(uncheckedLabels: [[0xE4]])
        #expect(upperByte != lowerByte)
        // Keeps the spelling it was given.
        #expect(mixed.description == "_ACME-Challenge.EXAMPLE.com.")
        #expect(mixed.lowercased.description == "_acme-challenge.example.com.")
    }

    @Test func subdomainAndParent() throws {
        let child = try name("a.b.example.com")
        #expect(child.isSubdomain(of: try name("EXAMPLE.com")))
        #expect(child.isSubdomain(of: child))
        #expect(child.isSubdomain(of: .root))
        #expect(!child.isSubdomain(of: try name("b.example.org")))
        #expect(!(try name("example.com")).isSubdomain(of: child))
        #expect(!(try name("xexample.com")).isSubdomain(of: try name("example.com")))
        #expect(child.parent == (try name("b.example.com")))
        #expect(DomainName.root.parent == nil)
        #expect(try name("_Acme-Challenge.x").firstLabel(is: "_acme-challenge"))
    }

    @Test func acmeChallengeNames() throws {
        #expect(try DomainName.acmeChallenge(for: "example.com").description == "_acme-challenge.example.com.")
        #expect(try DomainName.acmeChallenge(for: "*.example.com") == (try DomainName.acmeChallenge(for: "example.com")))
        #expect(try DomainName.acmeChallenge(for: "a.b.example.com.").description == "_acme-challenge.a.b.example.com.")
        #expect(throws: DomainNameError.self) { try DomainName.acmeChallenge(for: "") }
    }

    @Test func escapesWhenPrinting() throws {
        let odd = DomainName(uncheckedLabels: [Array("a.b".utf8), [0x00, 0x20, 0x41], Array("c\\".utf8)])
        #expect(odd.description == "a\\.b.\\000\\032A.c\\\\.")
        #expect(try DomainName(odd.description) == odd)
        #expect(DomainName.root.description == ".")
    }
}
