import Testing
import Routing

@Suite struct HostAndPortTests {
    @Test("names, IPv4 and bracketed IPv6 with and without a port; bare IPv6 has none", arguments: [
        ("example.com:8443", "example.com", "8443", "example.com"),
        ("example.com", "example.com", nil, "example.com"),
        ("10.0.0.1:80", "10.0.0.1", "80", "10.0.0.1"),
        ("[::1]:80", "[::1]", "80", "::1"),
        ("[::1]", "[::1]", nil, "::1"),
        ("::1", "::1", nil, "::1"),
        ("2001:db8::5", "2001:db8::5", nil, "2001:db8::5"),
        ("example.com:", "example.com", "", "example.com"),
    ] as [(String, String, String?, String)])
    func splits(value: String, host: String, port: String?, bare: String) {
        let parts = HostAndPort(value)
        #expect(parts.host == host[...])
        #expect(parts.port.map(String.init) == port)
        #expect(parts.bareHost == bare[...])
    }

    @Test("the port number, when it is one")
    func portNumber() {
        #expect(HostAndPort("a.test:8443").portNumber == 8443)
        #expect(HostAndPort("a.test:x").portNumber == nil)
        #expect(HostAndPort("a.test").portNumber == nil)
    }
}
