import Testing

@testable import DNS

@Suite struct DNSAddressTests {
    @Test(arguments: [
        (":53", nil, 53),
        (":0", nil, 0),
        ("127.0.0.1:5353", "127.0.0.1", 5353),
        ("[::1]:53", "::1", 53),
        ("[::1]", "::1", 53),
        ("::1", "::1", 53),
        ("2001:db8::53", "2001:db8::53", 53),
        ("192.0.2.1", "192.0.2.1", 53),
        (" 10.0.0.1:1053 ", "10.0.0.1", 1053),
    ] as [(String, String?, Int)])
    func parses(text: String, host: String?, port: Int) throws {
        let address = try DNSAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: [
        ("127.0.0.1:", DNSAddressError.Reason.badPort),
        ("127.0.0.1:65536", .badPort),
        ("127.0.0.1:-1", .badPort),
        ("127.0.0.1:53a", .badPort),
        ("[::1]x", .badHost),
        ("[::1", .badHost),
        ("dns.example.com:53", .badHost),
        ("300.1.1.1", .badHost),
    ])
    func rejects(text: String, reason: DNSAddressError.Reason) {
        #expect(throws: DNSAddressError(text: text, reason: reason)) {
            try DNSAddress(parsing: text)
        }
    }

    @Test func printsAndConvertsToSocketAddress() throws {
        #expect(try DNSAddress(parsing: "[::1]:5353").description == "[::1]:5353")
        #expect(try DNSAddress(parsing: ":53").description == ":53")
        let socket = try DNSAddress(parsing: "127.0.0.1:5353").socketAddress()
        #expect(socket.port == 5353)
        #expect(socket.ipAddress == "127.0.0.1")
        #expect(throws: DNSAddressError.self) { try DNSAddress(parsing: ":53").socketAddress() }
    }

    @Test func readsResolvConf() {
        let text = """
            # generated
            nameserver 192.0.2.53
            nameserver   2001:db8::1 # trailing comment
            ; nameserver 10.9.9.9
            search example.com
            nameserver resolver.example.com
            options edns0
            """
        #expect(SystemResolvers.parse(text) == [DNSAddress(host: "192.0.2.53", port: 53), DNSAddress(host: "2001:db8::1", port: 53)])
        #expect(SystemResolvers.load(path: "/nonexistent/resolv.conf") == [DNSAddress(host: "127.0.0.1", port: 53)])
    }
}
