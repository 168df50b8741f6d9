import Routing
import Testing
@testable import Proxy

/// PROXY protocol header layouts (haproxy.org proxy-protocol.txt, sections 2.1 and 2.2).
@Suite struct TCPProxyProtocolHeaderTests {
    func endpoint(_ text: String, _ port: Int) -> ProxyProtocolHeader.Endpoint {
        ProxyProtocolHeader.Endpoint(address: IPAddress(text)!, port: port)
    }

    @Test("v1 TCP4 is one text line with source, destination, then the ports")
    func v1IPv4() {
        let header = ProxyProtocolHeader(source: endpoint("192.0.2.10", 56324), destination: endpoint("198.51.100.2", 443))
        #expect(String(decoding: header.encoded(.v1), as: UTF8.self) == "PROXY TCP4 192.0.2.10 198.51.100.2 56324 443\r\n")
    }

    @Test("v1 TCP6 writes the RFC 5952 text of the addresses")
    func v1IPv6() {
        let header = ProxyProtocolHeader(source: endpoint("2001:db8::1", 1234), destination: endpoint("2001:db8::ff", 8443))
        #expect(String(decoding: header.encoded(.v1), as: UTF8.self) == "PROXY TCP6 2001:db8::1 2001:db8::ff 1234 8443\r\n")
    }

    @Test("v1 says UNKNOWN when an address is missing or the families differ")
    func v1Unknown() {
        let missing = ProxyProtocolHeader(source: nil, destination: endpoint("127.0.0.1", 80))
        let mixed = ProxyProtocolHeader(source: endpoint("2001:db8::1", 1), destination: endpoint("127.0.0.1", 80))
        #expect(String(decoding: missing.encoded(.v1), as: UTF8.self) == "PROXY UNKNOWN\r\n")
        #expect(String(decoding: mixed.encoded(.v1), as: UTF8.self) == "PROXY UNKNOWN\r\n")
    }

    @Test("IPv4-mapped IPv6 ends are written as TCP4")
    func mappedIsIPv4() {
        let header = ProxyProtocolHeader(source: endpoint("::ffff:10.1.2.3", 5000), destination: endpoint("::ffff:127.0.0.1", 443))
        #expect(String(decoding: header.encoded(.v1), as: UTF8.self) == "PROXY TCP4 10.1.2.3 127.0.0.1 5000 443\r\n")
        let v2 = header.encoded(.v2)
        #expect(v2[13] == 0x11)
        #expect(Array(v2[16..<20]) == [10, 1, 2, 3])
    }

    @Test("v2 TCP4: signature, 0x21, 0x11, length 12, addresses then ports in network order")
    func v2IPv4() {
        let header = ProxyProtocolHeader(source: endpoint("192.0.2.10", 56324), destination: endpoint("198.51.100.2", 443))
        let expected: [UInt8] = [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x11, 0x00, 0x0C,
            192, 0, 2, 10,
            198, 51, 100, 2,
            0xDC, 0x04,  // 56324
            0x01, 0xBB,  // 443
        ]
        #expect(header.encoded(.v2) == expected)
    }

    @Test("v2 TCP6: family 0x21, length 36, 16-byte addresses")
    func v2IPv6() {
        let header = ProxyProtocolHeader(source: endpoint("2001:db8::1", 1234), destination: endpoint("::1", 8443))
        let bytes = header.encoded(.v2)
        #expect(bytes.count == 16 + 36)
        #expect(Array(bytes[12..<16]) == [0x21, 0x21, 0x00, 0x24])
        #expect(Array(bytes[16..<32]) == [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(Array(bytes[32..<48]) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(Array(bytes[48..<52]) == [0x04, 0xD2, 0x20, 0xFB])
    }

    @Test("v2 without usable addresses: PROXY command, UNSPEC family, empty address block")
    func v2Unspec() {
        let header = ProxyProtocolHeader(source: nil, destination: nil)
        #expect(header.encoded(.v2) == ProxyProtocolHeader.v2Signature + [0x21, 0x00, 0x00, 0x00])
    }
}
