import NIOCore
import Testing
@testable import Routing

struct IPNetworkTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1::", "1::"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
    ])
    func parsesAndFormatsAddresses(_ text: String, _ canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "a.b.c.d", " 1.2.3.4",
        "1.2.3.4/8", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:", "::1.2.3",
        "[::1", "1.2.3.4]", "::ffff:1.2.3.256",
    ])
    func rejectsInvalidAddresses(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func mappedAddresses() {
        let mapped = IPAddress("::ffff:10.1.2.3")!
        #expect(mapped.isIPv6)
        #expect(mapped.ipv4Mapped == IPAddress("10.1.2.3"))
        #expect(mapped.unmapped == IPAddress("10.1.2.3"))
        #expect(mapped != IPAddress("10.1.2.3"))
        #expect(IPAddress("10.1.2.3")!.ipv4Mapped == nil)
        #expect(IPAddress("10.1.2.3")!.bytes == [10, 1, 2, 3])
        #expect(IPAddress("::1")!.bytes == Array(repeating: 0, count: 15) + [1])
    }

    @Test func fromSocketAddress() throws {
        #expect(IPAddress(try SocketAddress(ipAddress: "192.0.2.7", port: 80)) == IPAddress("192.0.2.7"))
        #expect(IPAddress(try SocketAddress(ipAddress: "2001:db8::42", port: 443)) == IPAddress("2001:db8::42"))
        #expect(IPAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 443))?.ipv4Mapped == IPAddress("192.0.2.7"))
        #expect(IPAddress(try SocketAddress(unixDomainSocketPath: "/tmp/x.sock")) == nil)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("192.168.1.7", "192.168.1.7/32"),
        ("173.245.48.0/20", "173.245.48.0/20"),
        ("103.21.244.0/22", "103.21.244.0/22"),
        ("2400:cb00::/32", "2400:cb00::/32"),
        ("2400:cb00:ffff::/32", "2400:cb00::/32"),
        ("::1", "::1/128"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("::/0", "::/0"),
        ("2001:db8::/127", "2001:db8::/127"),
        ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
        (" 10.0.0.0/8 ", "10.0.0.0/8"),
    ])
    func parsesNetworks(_ text: String, _ canonical: String) throws {
        #expect(try IPNetwork(parsing: text).description == canonical)
    }

    @Test(arguments: ["", "10.0.0.0/", "10.0.0.0/33", "10.0.0/8", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "example.com", "10.0.0.0/a"])
    func rejectsInvalidNetworks(_ text: String) {
        #expect(throws: IPNetworkParseError.self) { try IPNetwork(parsing: text) }
        #expect(IPNetwork(text) == nil)
    }

    @Test(arguments: [
        ("173.245.48.0/20", "173.245.63.255", true),
        ("173.245.48.0/20", "173.245.64.0", false),
        ("103.21.244.0/22", "103.21.247.1", true),
        ("103.21.244.0/22", "103.21.248.1", false),
        ("2400:cb00::/32", "2400:cb00:2049:1::a29f:1804", true),
        ("2400:cb00::/32", "2400:cb01::1", false),
        ("2400:cb00::/32", "173.245.48.1", false),
        ("10.0.0.0/8", "::ffff:10.20.30.40", true),
        ("10.0.0.0/8", "::ffff:11.20.30.40", false),
        ("10.0.0.0/8", "::10.20.30.40", false),
        ("0.0.0.0/0", "8.8.8.8", true),
        ("0.0.0.0/0", "::1", false),
        ("::/0", "::1", true),
        ("::/0", "8.8.8.8", false),
        ("2001:db8::/127", "2001:db8::1", true),
        ("2001:db8::/127", "2001:db8::2", false),
        ("2001:db8::1/128", "2001:db8::1", true),
        ("2001:db8:1:2::/64", "2001:db8:1:2:ffff::1", true),
        ("2001:db8:1:2::/64", "2001:db8:1:3::1", false),
        ("2001:db8::/65", "2001:db8::7fff:0:0:1", true),
        ("2001:db8::/65", "2001:db8::8000:0:0:1", false),
        ("::ffff:10.0.0.0/104", "10.5.5.5", true),
        ("192.168.1.7", "192.168.1.7", true),
        ("192.168.1.7", "192.168.1.70", false),
    ])
    func containment(_ network: String, _ address: String, _ expected: Bool) throws {
        #expect(try IPNetwork(parsing: network).contains(IPAddress(address)!) == expected)
    }
}
