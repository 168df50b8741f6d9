@testable import Middlewares
import Testing

/// Choosing gzip or br from Accept-Encoding, as Traefik's compress middleware does.
@Suite struct EncodingNegotiationTests {
    static let both = EncodingNegotiation(preferred: [.brotli, .gzip], defaultCoding: nil)
    static let gzipFirst = EncodingNegotiation(preferred: [.gzip, .brotli], defaultCoding: nil)
    static let withDefault = EncodingNegotiation(preferred: [.brotli, .gzip], defaultCoding: .gzip)

    @Test("q-values first, then the configured order", arguments: [
        (both, ["gzip, br"], ContentCoding.brotli),
        (gzipFirst, ["gzip, br"], .gzip),
        (gzipFirst, ["br, gzip"], .gzip),
        (both, ["gzip;q=1.0, br;q=0.5"], .gzip),
        (both, ["gzip;q=0.2", "br;q=0.8"], .brotli),
        (both, ["deflate, gzip"], .gzip),
        (both, ["GZIP"], .gzip),
        (both, [" br ; q=0.9 , gzip;q=0.9"], .brotli),
        (both, ["*"], .brotli),
        (withDefault, ["*"], .gzip),
        (both, ["identity, gzip;q=0.5"], nil),
        (both, ["gzip;q=0"], nil),
        (both, ["br;q=0, gzip"], .gzip),
        (both, ["zstd"], nil),
        (both, [""], nil),
        (both, ["gzip;q=abc"], nil),
        (both, [], nil),
        (withDefault, [], .gzip),
    ] as [(EncodingNegotiation, [String], ContentCoding?)])
    func negotiate(negotiation: EncodingNegotiation, header: [String], expected: ContentCoding?) {
        #expect(negotiation.coding(acceptEncoding: header) == expected)
    }
}
