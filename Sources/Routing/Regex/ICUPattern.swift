import Foundation

/// Go regexp syntax rewritten for ICU (`NSRegularExpression`), shared by the rule matchers'
/// Foundation fallback and the middlewares that rewrite with Go patterns.
public enum ICUPattern {
    /// Go syntax → ICU syntax for the differences that matter here: ICU spells named groups
    /// `(?<name>…)` (Go also accepts `(?P<name>…)`), needs braces in one-letter Unicode classes
    /// (`\pL` → `\p{L}`), and its single-line `$` also matches before a final newline (→ `\z`).
    public static func fromGo(_ pattern: String) -> String {
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
}
