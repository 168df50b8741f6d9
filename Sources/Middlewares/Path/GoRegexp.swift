import Foundation
import Routing

/// A regular expression in Go's syntax with Go's replacement templates, for the middlewares that
/// rewrite with one (`stripPrefixRegex`, `replacePathRegex`, `redirectRegex`).
///
/// Runs on `NSRegularExpression`, the pattern translated as the rule matchers translate theirs
/// (``ICUPattern``): Go's named groups `(?P<name>…)` are accepted, and a template's
/// `$1`, `${1}`, `$name` and `${name}` expand as Go's `Regexp.Expand` does (`$$` is a dollar sign;
/// a group that does not exist expands to nothing).
final class GoRegexp: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to share between threads.
    private let expression: NSRegularExpression
    private let groupNames: [String]
    /// The pattern as written.
    let pattern: String

    /// - Throws: ``MiddlewareConfigurationError`` at `keyPath` when the pattern does not compile.
    init(_ pattern: String, keyPath: String) throws(MiddlewareConfigurationError) {
        self.pattern = pattern
        let translated = ICUPattern.fromGo(pattern)
        do {
            expression = try NSRegularExpression(pattern: translated)
        } catch {
            throw MiddlewareConfigurationError(keyPath: keyPath, "invalid regular expression \"\(pattern)\"")
        }
        groupNames = Self.groupNames(in: translated)
    }

    /// The first match in `text`: the matched range and each group's text (nil when it did not take part).
    func firstMatch(in text: String) -> (range: Range<String.Index>, groups: [String?], names: [String: String?])? {
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, range: whole), let range = Range(match.range, in: text) else { return nil }
        return (range, Self.groups(of: match, in: text), names(of: match, in: text))
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Every non-overlapping match replaced by `template` expanded for it (Go's `ReplaceAllString`).
    func replaceAll(in text: String, with template: String) -> String {
        let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        var output = ""
        var cursor = text.startIndex
        for match in matches {
            guard let range = Range(match.range, in: text) else { continue }
            output += text[cursor..<range.lowerBound]
            output += Self.expand(template, groups: Self.groups(of: match, in: text), names: names(of: match, in: text))
            cursor = range.upperBound
        }
        output += text[cursor...]
        return output
    }

    private static func groups(of match: NSTextCheckingResult, in text: String) -> [String?] {
        (0..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
    }

    private func names(of match: NSTextCheckingResult, in text: String) -> [String: String?] {
        var out: [String: String?] = [:]
        for name in groupNames {
            out[name] = Range(match.range(withName: name), in: text).map { String(text[$0]) }
        }
        return out
    }

    private static func groupNames(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = pattern[...]
        while let start = rest.range(of: "(?<") {
            let after = rest[start.upperBound...]
            // `(?<=` and `(?<!` are lookbehinds, not names.
            if let first = after.first, first != "=" && first != "!", let end = after.firstIndex(of: ">") {
                names.append(String(after[..<end]))
            }
            rest = after
        }
        return names
    }

    /// Go's `Regexp.Expand` for one match.
    static func expand(_ template: String, groups: [String?], names: [String: String?]) -> String {
        var output = ""
        var scalars = Array(template.unicodeScalars)[...]
        while let dollar = scalars.firstIndex(of: "$") {
            output.unicodeScalars.append(contentsOf: scalars[..<dollar])
            scalars = scalars[(dollar + 1)...]
            guard let next = scalars.first else {
                output += "$"
                break
            }
            if next == "$" {
                output += "$"
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if next == "{" {
                guard let close = scalars.firstIndex(of: "}") else {
                    output += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 1)..<close]))
                scalars = scalars[(close + 1)...]
            } else {
                // Go takes the longest run of letters, digits and underscores.
                let run = scalars.prefix { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
                guard !run.isEmpty else {
                    output += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(run))
                scalars = scalars.dropFirst(run.count)
            }
            if let number = Int(name), name.allSatisfy(\.isASCII) {
                if number < groups.count, let value = groups[number] { output += value }
            } else if let value = names[name] ?? nil {
                output += value
            }
        }
        output.unicodeScalars.append(contentsOf: scalars)
        return output
    }
}
