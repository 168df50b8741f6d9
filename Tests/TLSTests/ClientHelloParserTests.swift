import NIOCore
import NIOSSL
import TLS
import Testing

@Suite("ClientHelloParser")
struct ClientHelloParserTests {
    let parser = ClientHelloParser()

    @Test("a real NIOSSL ClientHello: SNI and ALPN")
    func realClientHello() throws {
        let hello = try nioSSLClientHello(serverHostname: "example.com", alpn: ["h2", "http/1.1"])
        let readerIndex = hello.readerIndex
        #expect(parser.parse(hello) == .clientHello(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"])))
        #expect(hello.readerIndex == readerIndex)
    }

    @Test("a real NIOSSL ClientHello without SNI or ALPN")
    func realClientHelloWithoutExtensions() throws {
        let hello = try nioSSLClientHello(serverHostname: nil, alpn: [])
        #expect(parser.parse(hello) == .clientHello(ClientHello(serverName: nil, alpnProtocols: [])))
    }

    @Test("a real TLS 1.1-only ClientHello still parses (refusing it is the TLS stack's job)")
    func realTLS11ClientHello() throws {
        let hello = try nioSSLClientHello(serverHostname: "old.example.com", alpn: ["http/1.1"], maximumVersion: .tlsv11)
        #expect(parser.parse(hello) == .clientHello(ClientHello(serverName: "old.example.com", alpnProtocols: ["http/1.1"])))
    }

    @Test("fed byte by byte: needMoreData until the last byte")
    func byteByByte() throws {
        let bytes = try nioSSLClientHello(serverHostname: "example.com").bytes
        for length in 1..<bytes.count {
            let result = parser.parse(ByteBuffer(bytes: bytes[..<length]))
            guard result == .needMoreData else {
                Issue.record("prefix of \(length) of \(bytes.count) bytes gave \(result)")
                return
            }
        }
        #expect(parser.parse(ByteBuffer(bytes: bytes)) == .clientHello(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"])))
    }

    @Test("a ClientHello split across two records, at every possible point")
    func splitAcrossTwoRecords() throws {
        let record = try nioSSLClientHello(serverHostname: "split.example.com").bytes
        let message = Array(record[5...])
        let expected = ClientHelloParser.Result.clientHello(ClientHello(serverName: "split.example.com", alpnProtocols: ["h2", "http/1.1"]))
        for cut in 1..<message.count {
            let split = fragment(message, at: [cut])
            #expect(split.count == record.count + 5)
            let result = parser.parse(ByteBuffer(bytes: split))
            guard result == expected else {
                Issue.record("cut at \(cut) gave \(result)")
                return
            }
        }
    }

    @Test("a ClientHello in many records, fed byte by byte")
    func manyRecordsByteByByte() throws {
        let message = ClientHelloBuilder(extensions: [(0, ClientHelloBuilder.serverNameData("many.example.com"))]).handshakeMessage()
        let bytes = fragment(message, at: [1, 2, 3, 4, 10, 40, 41])
        for length in 1..<bytes.count {
            #expect(parser.parse(ByteBuffer(bytes: bytes[..<length])) == .needMoreData)
        }
        #expect(parser.parse(ByteBuffer(bytes: bytes)) == .clientHello(ClientHello(serverName: "many.example.com", alpnProtocols: [])))
    }

    @Test("bytes after the ClientHello (early data, the next record) are ignored")
    func trailingRecords() throws {
        var bytes = try nioSSLClientHello(serverHostname: "example.com").bytes
        bytes += [23, 3, 3, 0, 2, 0xAA, 0xBB]
        #expect(parser.parse(ByteBuffer(bytes: bytes)) == .clientHello(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"])))
    }

    @Test("the reader index is respected")
    func readerIndex() throws {
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF])
        buffer.moveReaderIndex(forwardBy: 3)
        var hello = try nioSSLClientHello(serverHostname: "example.com")
        buffer.writeBuffer(&hello)
        #expect(parser.parse(buffer) == .clientHello(ClientHello(serverName: "example.com", alpnProtocols: ["h2", "http/1.1"])))
    }

    @Test(
        "extension handling",
        arguments: [
            ("upper case SNI is lowercased", [(UInt16(0), ClientHelloBuilder.serverNameData("WWW.Example.COM"))],
             ClientHelloParser.Result.clientHello(ClientHello(serverName: "www.example.com", alpnProtocols: []))),
            ("trailing dot kept", [(UInt16(0), ClientHelloBuilder.serverNameData("example.com."))],
             .clientHello(ClientHello(serverName: "example.com.", alpnProtocols: []))),
            ("acme-tls/1 ALPN", [(UInt16(0), ClientHelloBuilder.serverNameData("a.test")), (16, ClientHelloBuilder.alpnData(["acme-tls/1"]))],
             .clientHello(ClientHello(serverName: "a.test", alpnProtocols: ["acme-tls/1"]))),
            ("unknown extensions skipped", [(UInt16(0xFAFA), []), (43, [2, 3, 4]), (16, ClientHelloBuilder.alpnData(["http/1.1"]))],
             .clientHello(ClientHello(serverName: nil, alpnProtocols: ["http/1.1"]))),
            ("unknown name type skipped", [(UInt16(0), ClientHelloBuilder.serverNameData([(7, [1, 2, 3]), (0, Array("b.test".utf8))]))],
             .clientHello(ClientHello(serverName: "b.test", alpnProtocols: []))),
            ("only an unknown name type", [(UInt16(0), ClientHelloBuilder.serverNameData([(7, [1, 2, 3])]))],
             .clientHello(ClientHello(serverName: nil, alpnProtocols: []))),
            ("duplicate server_name", [(UInt16(0), ClientHelloBuilder.serverNameData("a.test")), (0, ClientHelloBuilder.serverNameData("b.test"))],
             .notTLS),
            ("two host_names", [(UInt16(0), ClientHelloBuilder.serverNameData([(0, Array("a.test".utf8)), (0, Array("b.test".utf8))]))],
             .notTLS),
            ("duplicate ALPN", [(UInt16(16), ClientHelloBuilder.alpnData(["h2"])), (16, ClientHelloBuilder.alpnData(["h2"]))],
             .notTLS),
            ("empty host name", [(UInt16(0), ClientHelloBuilder.serverNameData([(0, [])]))], .notTLS),
            ("host name with a NUL", [(UInt16(0), ClientHelloBuilder.serverNameData([(0, Array("a\u{0}.test".utf8))]))], .notTLS),
            ("host name with a space", [(UInt16(0), ClientHelloBuilder.serverNameData([(0, Array("a b.test".utf8))]))], .notTLS),
            ("non-ASCII host name", [(UInt16(0), ClientHelloBuilder.serverNameData([(0, Array("bücher.test".utf8))]))], .notTLS),
            ("empty server name list", [(UInt16(0), [0, 0])], .notTLS),
            ("server name list longer than the extension", [(UInt16(0), [0, 9, 0, 0, 1, 0x61])], .notTLS),
            ("bytes after the server name list", [(UInt16(0), ClientHelloBuilder.serverNameData("a.test") + [0])], .notTLS),
            ("empty ALPN name", [(UInt16(16), [0, 3, 0, 1, 0x61])], .notTLS),
            ("empty ALPN list", [(UInt16(16), [0, 0])], .notTLS),
            ("truncated ALPN name", [(UInt16(16), [0, 3, 5, 0x68, 0x32])], .notTLS),
        ] as [(String, [(UInt16, [UInt8])], ClientHelloParser.Result)]
    )
    func extensions(_ name: String, _ extensions: [(UInt16, [UInt8])], _ expected: ClientHelloParser.Result) {
        let builder = ClientHelloBuilder(extensions: extensions.map { (type: $0.0, data: $0.1) })
        #expect(parser.parse(ByteBuffer(bytes: builder.record())) == expected, "\(name)")
    }

    @Test("a TLS 1.2 ClientHello without an extensions block")
    func noExtensionsBlock() {
        let builder = ClientHelloBuilder(extensions: nil)
        #expect(parser.parse(ByteBuffer(bytes: builder.record())) == .clientHello(ClientHello(serverName: nil, alpnProtocols: [])))
    }

    @Test(
        "not TLS: plaintext is refused at the first byte",
        arguments: ["GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", "G", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\u{0}"]
    )
    func plaintext(_ text: String) {
        #expect(parser.parse(ByteBuffer(string: text)) == .notTLS)
    }

    @Test("an empty buffer needs more data")
    func empty() {
        #expect(parser.parse(ByteBuffer()) == .needMoreData)
    }

    @Test(
        "malformed records and handshakes are refused",
        arguments: [
            ("major version 2", [22, 2]),
            ("zero-length record", [22, 3, 1, 0, 0]),
            ("record longer than 2^14", [22, 3, 1, 0x40, 0x01]),
            ("ServerHello, not ClientHello", [22, 3, 1, 0, 4, 2, 0, 0, 0]),
            ("first fragment byte is not ClientHello", [22, 3, 1, 0, 1, 2]),
            ("alert record", [21, 3, 1, 0, 2, 2, 40]),
            ("second record is not a handshake", [22, 3, 1, 0, 2, 1, 0, 23, 3, 3, 0, 2, 0, 0]),
            ("handshake length beyond the cap", [22, 3, 1, 0, 4, 1, 0xFF, 0xFF, 0xFF]),
            ("handshake length just beyond the cap", [22, 3, 1, 0, 4, 1, 0, 0x40, 0x01]),
        ] as [(String, [UInt8])]
    )
    func malformedRecords(_ name: String, _ bytes: [UInt8]) {
        #expect(parser.parse(ByteBuffer(bytes: bytes)) == .notTLS, "\(name)")
    }

    @Test(
        "malformed ClientHello bodies are refused",
        arguments: [
            ("session id over 32 bytes", ClientHelloBuilder(sessionID: Array(repeating: 1, count: 33))),
            ("no cipher suites", ClientHelloBuilder(cipherSuites: [])),
            ("no compression methods", ClientHelloBuilder(compressionMethods: [])),
        ]
    )
    func malformedBodies(_ name: String, _ builder: ClientHelloBuilder) {
        #expect(parser.parse(ByteBuffer(bytes: builder.record())) == .notTLS, "\(name)")
    }

    @Test("lengths inside the ClientHello must agree with the handshake length")
    func inconsistentLengths() {
        var message = ClientHelloBuilder(extensions: [(0, ClientHelloBuilder.serverNameData("a.test"))]).handshakeMessage()
        // Trailing byte after the extensions block, counted in the handshake length.
        var longer = message + [0]
        longer.replaceSubrange(1..<4, with: u24(longer.count - 4))
        #expect(parser.parse(ByteBuffer(bytes: fragment(longer, at: []))) == .notTLS)
        // Handshake length one short: the extensions block overruns it.
        message.replaceSubrange(1..<4, with: u24(message.count - 5))
        #expect(parser.parse(ByteBuffer(bytes: fragment(Array(message.dropLast()), at: []))) == .notTLS)
    }

    @Test("an oversized ClientHello is refused before it is all buffered")
    func oversized() {
        let padding = [UInt8](repeating: 0, count: 20_000)
        let message = ClientHelloBuilder(extensions: [(21, padding)]).handshakeMessage()
        let records = fragment(message, at: [16_000])
        // The handshake header alone says it cannot fit.
        #expect(parser.parse(ByteBuffer(bytes: records[..<9])) == .notTLS)
    }

    @Test("the cap counts record headers: many tiny records cannot exceed it")
    func tinyRecordsHitTheCap() {
        let message = ClientHelloBuilder(extensions: [(21, [UInt8](repeating: 0, count: 3000))]).handshakeMessage()
        let oneByteRecords = fragment(message, at: Array(1..<message.count))
        #expect(ClientHelloParser(maximumLength: 4096).parse(ByteBuffer(bytes: oneByteRecords)) == .notTLS)
        #expect(ClientHelloParser(maximumLength: 4096).parse(ByteBuffer(bytes: fragment(message, at: [1000]))) != .notTLS)
    }

    @Test("a smaller cap refuses a real ClientHello")
    func smallCap() throws {
        let hello = try nioSSLClientHello(serverHostname: "example.com")
        #expect(ClientHelloParser(maximumLength: 64).parse(hello) == .notTLS)
    }

    @Test("random bytes after a handshake header never crash and never need unbounded data")
    func noise() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<300, using: &generator)
            var bytes: [UInt8] = [22, 3, 1] + u16(length) + [1] + u24(max(0, length - 4))
            bytes += (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let result = parser.parse(ByteBuffer(bytes: bytes))
            #expect(result != .needMoreData || length < 4)
        }
    }
}
