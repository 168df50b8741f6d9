import Foundation

/// `NSRegularExpression` (ICU) for the Go syntax this package's engine does not implement: Unicode
/// classes (`\pL`, `\p{Greek}`). Compiled once; slower per match than the DFA.
final class FoundationRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads.
    private let expression: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool) throws(RegexSyntaxError) {
        let translated = FoundationRegex.translate(pattern)
        do {
            expression = try NSRegularExpression(pattern: translated, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw RegexSyntaxError(message: "invalid regexp", offset: 0)
        }
    }

    /// Go syntax → ICU syntax for the differences that matter here: ICU spells named groups
    /// `(?<name>…)` (Go also accepts `(?P<name>…)`), needs braces in one-letter Unicode classes
    /// (`\pL` → `\p{L}`), and its single-line `$` also matches before a final newline (→ `\z`).
    static func translate(_ pattern: String) -> String {
        var output = ""
        var scalars = pattern.unicodeScalars.makeIterator()
        var inClass = false
        // Go's `$` (without the m flag) is the end of the text; ICU's also matches before a final newline.
        let multiLine = pattern.contains("(?m") || pattern.contains("(?im") || pattern.contains("(?sm")
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                if scalar == "[" { inClass = true }
                if scalar == "]" { inClass = false }
                if scalar == "$" && !inClass && !multiLine {
                    output += "\\z"
                } else {
                    output.unicodeScalars.append(scalar)
                }
                continue
            }
            guard let next = scalars.next() else {
                output.unicodeScalars.append(scalar)
                break
            }
            output.unicodeScalars.append(scalar)
            output.unicodeScalars.append(next)
            if next == "p" || next == "P", let name = scalars.next() {
                if name == "{" {
                    output.unicodeScalars.append(name)
                } else {
                    output += "{" + String(Character(name)) + "}"
                }
            }
        }
        return output.replacingOccurrences(of: "(?P<", with: "(?<")
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
