/// The line of every key and array element in a TOML document.
///
/// A small scanner that understands just enough TOML (table headers, arrays of
/// tables, dotted and quoted keys, inline tables, arrays, strings, comments) to
/// map a key path to the line it is written on. It runs only on text TOMLKit has
/// already accepted; on anything unexpected it skips ahead rather than failing,
/// so the worst outcome is a missing line number.
struct TOMLLineIndex {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.run()
        lines = scanner.lines
    }

    /// The line for a key path; array elements are written `[n]`.
    func line(for path: [String]) -> Int? {
        lines[Self.join(path)]
    }

    fileprivate static func join(_ path: [String]) -> String {
        path.joined(separator: "\u{1F}")
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var line = 1
        var lines: [String: Int] = [:]
        var arrayCounts: [String: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        private var atEnd: Bool { position >= bytes.count }
        private func peek(_ offset: Int = 0) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }
        private mutating func advance() {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        private mutating func record(_ path: [String], _ line: Int) {
            let key = TOMLLineIndex.join(path)
            if lines[key] == nil { lines[key] = line }
        }

        mutating func run() {
            var current: [String] = []
            while true {
                skipWhitespace(newlines: true)
                guard let byte = peek() else { return }
                let start = position
                if byte == UInt8(ascii: "[") {
                    let isArray = peek(1) == UInt8(ascii: "[")
                    position += isArray ? 2 : 1
                    let headerLine = line
                    let keys = parseKey()
                    current = resolve(keys, isArrayHeader: isArray, line: headerLine)
                    record(current, headerLine)
                    skipToEndOfLine()
                } else {
                    let keyLine = line
                    let keys = parseKey()
                    skipWhitespace(newlines: false)
                    if peek() == UInt8(ascii: "=") {
                        position += 1
                        for length in 1..<max(keys.count, 1) {
                            record(current + keys.prefix(length), keyLine)
                        }
                        parseValue(path: current + keys, line: keyLine)
                    }
                    skipToEndOfLine()
                }
                if position == start { advance() }
            }
        }

        /// Resolves a header's key path, inserting the current index of every
        /// array of tables it passes through.
        private mutating func resolve(_ keys: [String], isArrayHeader: Bool, line: Int) -> [String] {
            var resolved: [String] = []
            for (offset, key) in keys.enumerated() {
                resolved.append(key)
                let joined = TOMLLineIndex.join(resolved)
                if isArrayHeader && offset == keys.count - 1 {
                    let count = arrayCounts[joined, default: 0]
                    arrayCounts[joined] = count + 1
                    record(resolved, line)
                    resolved.append("[\(count)]")
                } else if let count = arrayCounts[joined] {
                    resolved.append("[\(count - 1)]")
                } else {
                    record(resolved, line)
                }
            }
            return resolved
        }

        private mutating func parseKey() -> [String] {
            var keys: [String] = []
            while true {
                skipWhitespace(newlines: false)
                guard let byte = peek() else { return keys }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    keys.append(parseQuotedKey(quote: byte))
                } else {
                    let start = position
                    while let b = peek(), isBareKeyByte(b) { position += 1 }
                    if position == start { return keys }
                    keys.append(String(decoding: bytes[start..<position], as: UTF8.self))
                }
                skipWhitespace(newlines: false)
                if peek() == UInt8(ascii: ".") {
                    position += 1
                } else {
                    return keys
                }
            }
        }

        private mutating func parseQuotedKey(quote: UInt8) -> String {
            position += 1
            var content: [UInt8] = []
            while let byte = peek(), byte != quote, byte != UInt8(ascii: "\n") {
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), let next = peek(1) {
                    content.append(next)
                    position += 2
                    continue
                }
                content.append(byte)
                position += 1
            }
            if peek() == quote { position += 1 }
            return String(decoding: content, as: UTF8.self)
        }

        private func isBareKeyByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }

        private mutating func parseValue(path: [String], line valueLine: Int) {
            record(path, valueLine)
            skipWhitespace(newlines: false)
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "{"):
                position += 1
                while true {
                    skipWhitespace(newlines: true)
                    guard let next = peek() else { return }
                    if next == UInt8(ascii: "}") { position += 1; return }
                    if next == UInt8(ascii: ",") { position += 1; continue }
                    let start = position
                    let keyLine = line
                    let keys = parseKey()
                    skipWhitespace(newlines: false)
                    if peek() == UInt8(ascii: "=") {
                        position += 1
                        for length in 1..<max(keys.count, 1) {
                            record(path + keys.prefix(length), keyLine)
                        }
                        parseValue(path: path + keys, line: keyLine)
                    }
                    if position == start { advance() }
                }
            case UInt8(ascii: "["):
                position += 1
                var index = 0
                while true {
                    skipWhitespace(newlines: true)
                    guard let next = peek() else { return }
                    if next == UInt8(ascii: "]") { position += 1; return }
                    if next == UInt8(ascii: ",") { position += 1; index += 1; continue }
                    let start = position
                    parseValue(path: path + ["[\(index)]"], line: line)
                    if position == start { advance() }
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString(quote: byte)
            default:
                while let next = peek(), next != UInt8(ascii: ","), next != UInt8(ascii: "]"),
                      next != UInt8(ascii: "}"), next != UInt8(ascii: "\n"), next != UInt8(ascii: "#") {
                    position += 1
                }
            }
        }

        private mutating func skipString(quote: UInt8) {
            let multiline = peek(1) == quote && peek(2) == quote
            position += multiline ? 3 : 1
            while let byte = peek() {
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    advance()
                    if !atEnd { advance() }
                    continue
                }
                if byte == quote {
                    if !multiline { position += 1; return }
                    if peek(1) == quote && peek(2) == quote {
                        position += 3
                        // A multi-line string may end with up to two extra quotes.
                        while peek() == quote { position += 1 }
                        return
                    }
                }
                if !multiline && byte == UInt8(ascii: "\n") { return }
                advance()
            }
        }

        private mutating func skipWhitespace(newlines: Bool) {
            while let byte = peek() {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    position += 1
                } else if byte == UInt8(ascii: "#") {
                    while let b = peek(), b != UInt8(ascii: "\n") { position += 1 }
                } else if newlines && byte == UInt8(ascii: "\n") {
                    advance()
                } else {
                    return
                }
            }
        }

        private mutating func skipToEndOfLine() {
            while let byte = peek(), byte != UInt8(ascii: "\n") {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    skipString(quote: byte)
                } else {
                    position += 1
                }
            }
        }
    }
}
