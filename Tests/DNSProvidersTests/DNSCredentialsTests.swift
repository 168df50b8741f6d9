import DNS
import Testing

@testable import DNSProviders

@Suite struct DNSCredentialsTests {
    struct Missing: Error {}

    @Test func explicitEntriesWinOverTheEnvironmentAndFilesAreRead() throws {
        let files = ["/run/secrets/cf": "token-from-file\n\n"]
        let credentials = DNSCredentials(
            ["CF_DNS_API_TOKEN": "explicit"],
            environment: ["CF_DNS_API_TOKEN": "from-env", "AWS_SECRET_ACCESS_KEY_FILE": "/run/secrets/cf", "EMPTY": ""],
            readFile: { path in
                guard let text = files[path] else { throw Missing() }
                return text
            }
        )
        #expect(try credentials.value("CF_DNS_API_TOKEN", provider: "cloudflare") == "explicit")
        #expect(try credentials.value("AWS_SECRET_ACCESS_KEY", provider: "route53") == "token-from-file")
        #expect(try credentials.value("EMPTY", provider: "x") == nil)
        #expect(try credentials.value(anyOf: ["NOPE", "CF_DNS_API_TOKEN"], provider: "cloudflare") == "explicit")
        #expect(credentials.namesSet(among: ["CF_DNS_API_TOKEN", "AWS_SECRET_ACCESS_KEY", "NOPE"]) == ["CF_DNS_API_TOKEN", "AWS_SECRET_ACCESS_KEY"])
        #expect(!credentials.description.contains("explicit"))
    }

    @Test func missingAndUnreadableValuesNameTheVariable() throws {
        let credentials = DNSCredentials(environment: ["GANDIV5_PERSONAL_ACCESS_TOKEN_FILE": "/nonexistent/token", "CF_TTL": "soon"])
        #expect {
            try credentials.required("CF_DNS_API_TOKEN", "CLOUDFLARE_DNS_API_TOKEN", provider: "cloudflare")
        } throws: { error in
            let error = error as? DNSProviderError
            return error?.kind == .configuration && error!.description.contains("CF_DNS_API_TOKEN (or CF_DNS_API_TOKEN_FILE) or CLOUDFLARE_DNS_API_TOKEN")
        }
        #expect {
            try credentials.value("GANDIV5_PERSONAL_ACCESS_TOKEN", provider: "gandiv5")
        } throws: { error in
            (error as? DNSProviderError)?.description.contains("GANDIV5_PERSONAL_ACCESS_TOKEN_FILE: cannot read \"/nonexistent/token\"") == true
        }
        #expect(throws: DNSProviderError.self) { try credentials.seconds("CF_TTL", provider: "cloudflare") }
    }

    @Test func environmentFilesParseLikeEnvFiles() throws {
        let text = """
        # Cloudflare
        export CF_DNS_API_TOKEN="abc def"
        CF_TTL = 300

        AWS_REGION='eu-west-1'
        """
        let entries = try DNSCredentials.parseEnvironmentFile(text, path: "/etc/gatehouse/dns.env", provider: "cloudflare")
        #expect(entries == ["CF_DNS_API_TOKEN": "abc def", "CF_TTL": "300", "AWS_REGION": "eu-west-1"])
        #expect {
            try DNSCredentials.parseEnvironmentFile("CF_DNS_API_TOKEN=x\nsecret-without-name\n", path: "/etc/dns.env", provider: "cloudflare")
        } throws: { error in
            let text = (error as? DNSProviderError)?.description ?? ""
            return text.contains("/etc/dns.env:2: expected NAME=value") && !text.contains("secret-without-name")
        }
    }

    @Test func recordNamesRelativeToTheirZone() throws {
        let record = ChallengeRecord(name: try DomainName("_acme-challenge.www.Example.com."), value: "v", zone: try DomainName("example.com"))
        #expect(record.relativeName == "_acme-challenge.www")
        #expect(record.fqdnWithoutDot == "_acme-challenge.www.example.com")
        #expect(record.zoneWithoutDot == "example.com")
        let apex = ChallengeRecord(name: try DomainName("example.com"), value: "v", zone: try DomainName("example.com"))
        #expect(apex.relativeName == "@")
    }
}
