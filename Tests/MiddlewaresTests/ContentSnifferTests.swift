import Config
@testable import Middlewares
import NIOCore
import Testing

/// Sniffing content types as Go's http.DetectContentType does, and the contentType middleware.
@Suite struct ContentSnifferTests {
    @Test("the WHATWG signature table subset Go uses", arguments: [
        ("", "text/plain; charset=utf-8"),
        ("  <!DOCTYPE html><html>", "text/html; charset=utf-8"),
        ("<HtMl><body>", "text/html; charset=utf-8"),
        ("\n<p>para</p>", "text/html; charset=utf-8"),
        ("<!-- comment -->", "text/html; charset=utf-8"),
        ("<pre>", "text/plain; charset=utf-8"),
        ("<?xml version=\"1.0\"?><a/>", "text/xml; charset=utf-8"),
        ("%PDF-1.7", "application/pdf"),
        ("%!PS-Adobe-3.0", "application/postscript"),
        ("GIF89a....", "image/gif"),
        ("\u{89}PNG\r\n\u{1A}\n", "image/png"),
        ("BMxxxx", "image/bmp"),
        ("ID3\u{03}", "audio/mpeg"),
        ("OTTO", "font/otf"),
        ("wOF2", "font/woff2"),
        ("{\"json\": true}", "text/plain; charset=utf-8"),
    ])
    func table(content: String, expected: String) {
        // Scalars up to 0xFF stand for single bytes here.
        let bytes = content.unicodeScalars.map { UInt8($0.value) }
        #expect(ContentSniffer.detect(bytes) == expected)
    }

    @Test("binary signatures, the mp4 box, and text versus binary")
    func binary() {
        #expect(ContentSniffer.detect([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(ContentSniffer.detect([0x1F, 0x8B, 0x08, 0x00]) == "application/x-gzip")
        #expect(ContentSniffer.detect(Array("PK\u{03}\u{04}".utf8)) == "application/zip")
        #expect(ContentSniffer.detect(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) == "image/webp")
        #expect(ContentSniffer.detect(Array("RIFF\0\0\0\0WAVEfmt ".utf8)) == "audio/wave")
        #expect(ContentSniffer.detect([0xEF, 0xBB, 0xBF, 0x41]) == "text/plain; charset=utf-8")
        #expect(ContentSniffer.detect([0xFE, 0xFF, 0x00, 0x41]) == "text/plain; charset=utf-16be")
        let mp4: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isommp41".utf8)
        #expect(ContentSniffer.detect(mp4) == "video/mp4")
        #expect(ContentSniffer.detect([0x00, 0x01, 0x02, 0x03, 0x04, 0x05]) == "application/octet-stream")
        #expect(ContentSniffer.detect(Array("plain text\twith tabs\r\n".utf8)) == "text/plain; charset=utf-8")
        // Only the first 512 bytes count.
        #expect(ContentSniffer.detect(Array(repeating: UInt8(ascii: "a"), count: 512) + [0x00]) == "text/plain; charset=utf-8")
    }

    @Test("contentType sets a sniffed type only when the backend sent none")
    func middleware() throws {
        let chain = try MiddlewareCatalog(["ct": .contentType(Middleware.ContentType())]).chain(for: ["ct"])
        let sniffed = send(responseHead(200), body: [Array("<html><body>hi".utf8), Array("</body></html>".utf8)],
                           through: chain, request: request("/"))
        #expect(sniffed.head?.headers.first(name: "content-type") == "text/html; charset=utf-8")
        #expect(sniffed.body == Array("<html><body>hi</body></html>".utf8))
        let kept = send(responseHead(200, [("Content-Type", "application/x-custom")]), body: [Array("<html>".utf8)],
                        through: chain, request: request("/"))
        #expect(kept.head?.headers[canonicalForm: "content-type"] == ["application/x-custom"])
        let empty = send(responseHead(200), body: [], through: chain, request: request("/"))
        #expect(empty.head?.headers.contains(name: "content-type") == false)
        #expect(empty.ended)
        var off = Middleware.ContentType()
        off.autoDetect = false
        let disabled = try MiddlewareCatalog(["ct": .contentType(off)]).chain(for: ["ct"])
        #expect(!disabled.anyTransformsBodies)
    }
}
