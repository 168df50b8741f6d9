/// Content-type sniffing from the first bytes of a body, with the WHATWG MIME Sniffing table
/// subset that Go's `http.DetectContentType` uses (and so Traefik's contentType middleware).
enum ContentSniffer {
    /// How many bytes are looked at.
    static let sniffLength = 512

    /// The content type of a body starting with `data` (only the first 512 bytes count).
    static func detect(_ data: some Collection<UInt8>) -> String {
        let bytes = Array(data.prefix(sniffLength))
        let firstNonWhitespace = bytes.firstIndex { !isWhitespace($0) } ?? bytes.count
        let trimmed = bytes[firstNonWhitespace...]
        for tag in htmlTags where matchesHTMLTag(tag, trimmed) {
            return "text/html; charset=utf-8"
        }
        if startsWithIgnoringCase(trimmed, "<?xml") { return "text/xml; charset=utf-8" }
        for signature in signatures {
            if signature.matches(bytes) { return signature.contentType }
        }
        if isMP4(bytes) { return "video/mp4" }
        if bytes.contains(where: isBinary) { return "application/octet-stream" }
        return "text/plain; charset=utf-8"
    }

    private static let htmlTags = [
        "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
        "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--",
    ]

    /// A byte pattern at the start of the body, with a mask (`0xFF` bytes compare exactly).
    private struct Signature {
        let pattern: [UInt8]
        let mask: [UInt8]?
        let contentType: String

        init(_ pattern: [UInt8], mask: [UInt8]? = nil, _ contentType: String) {
            self.pattern = pattern
            self.mask = mask
            self.contentType = contentType
        }

        init(_ pattern: String, _ contentType: String) {
            self.init(Array(pattern.utf8), contentType)
        }

        func matches(_ data: [UInt8]) -> Bool {
            guard data.count >= pattern.count else { return false }
            for i in pattern.indices {
                let byte = mask.map { data[i] & $0[i] } ?? data[i]
                if byte != pattern[i] { return false }
            }
            return true
        }
    }

    private static let riff: [UInt8] = Array("RIFF".utf8)
    private static let anyFour: [UInt8] = [0, 0, 0, 0]
    private static let exactFour: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]

    private static let signatures: [Signature] = [
        Signature("%PDF-", "application/pdf"),
        Signature("%!PS-Adobe-", "application/postscript"),
        Signature([0xFE, 0xFF, 0x00, 0x00], mask: [0xFF, 0xFF, 0x00, 0x00], "text/plain; charset=utf-16be"),
        Signature([0xFF, 0xFE, 0x00, 0x00], mask: [0xFF, 0xFF, 0x00, 0x00], "text/plain; charset=utf-16le"),
        Signature([0xEF, 0xBB, 0xBF, 0x00], mask: [0xFF, 0xFF, 0xFF, 0x00], "text/plain; charset=utf-8"),
        Signature([0x00, 0x00, 0x01, 0x00], "image/x-icon"),
        Signature([0x00, 0x00, 0x02, 0x00], "image/x-icon"),
        Signature("BM", "image/bmp"),
        Signature("GIF87a", "image/gif"),
        Signature("GIF89a", "image/gif"),
        Signature(riff + anyFour + Array("WEBPVP".utf8), mask: exactFour + anyFour + [UInt8](repeating: 0xFF, count: 6), "image/webp"),
        Signature([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        Signature([0xFF, 0xD8, 0xFF], "image/jpeg"),
        Signature(Array("FORM".utf8) + anyFour + Array("AIFF".utf8), mask: exactFour + anyFour + exactFour, "audio/aiff"),
        Signature("ID3", "audio/mpeg"),
        Signature([0x4F, 0x67, 0x67, 0x53, 0x00], "application/ogg"),
        Signature([0x4D, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06], "audio/midi"),
        Signature(riff + anyFour + Array("AVI ".utf8), mask: exactFour + anyFour + exactFour, "video/avi"),
        Signature(riff + anyFour + Array("WAVE".utf8), mask: exactFour + anyFour + exactFour, "audio/wave"),
        Signature([0x1A, 0x45, 0xDF, 0xA3], "video/webm"),
        Signature([0x00, 0x01, 0x00, 0x00], "font/ttf"),
        Signature("OTTO", "font/otf"),
        Signature("ttcf", "font/collection"),
        Signature("wOFF", "font/woff"),
        Signature("wOF2", "font/woff2"),
        Signature([0x1F, 0x8B, 0x08], "application/x-gzip"),
        Signature([0x50, 0x4B, 0x03, 0x04], "application/zip"),
        Signature([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00], "application/x-rar-compressed"),
        Signature([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00], "application/x-rar-compressed"),
        Signature([0x00, 0x61, 0x73, 0x6D], "application/wasm"),
    ]

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    /// Bytes that do not occur in text (WHATWG "binary data byte").
    private static func isBinary(_ byte: UInt8) -> Bool {
        byte <= 0x08 || byte == 0x0B || (byte >= 0x0E && byte <= 0x1A) || (byte >= 0x1C && byte <= 0x1F)
    }

    private static func startsWithIgnoringCase(_ data: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        let pattern = Array(prefix.utf8)
        guard data.count >= pattern.count else { return false }
        return zip(data, pattern).allSatisfy { upper($0) == upper($1) }
    }

    /// An HTML tag followed by a space or `>`.
    private static func matchesHTMLTag(_ tag: String, _ data: ArraySlice<UInt8>) -> Bool {
        guard startsWithIgnoringCase(data, tag) else { return false }
        let next = data.index(data.startIndex, offsetBy: tag.utf8.count)
        guard next < data.endIndex else { return false }
        return data[next] == 0x20 || data[next] == 0x3E
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
    }

    /// An ISO base media file whose `ftyp` box names an `mp4` brand.
    private static func isMP4(_ data: [UInt8]) -> Bool {
        guard data.count >= 12 else { return false }
        let boxSize = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3])
        guard data.count >= boxSize, boxSize % 4 == 0, data[4..<8].elementsEqual("ftyp".utf8) else { return false }
        var offset = 8
        while offset < boxSize {
            if offset != 12, offset + 3 <= data.count, data[offset..<offset + 3].elementsEqual("mp4".utf8) { return true }
            offset += 4
        }
        return false
    }
}
