import Foundation

/// `NSRegularExpression` (ICU) for the Go syntax this package's engine does not implement: Unicode
/// classes (`\pL`, `\p{Greek}`). Compiled once; slower per match than the DFA.
final class FoundationRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads.
    private let expression: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool) throws(RegexSyntaxError) {
        let translated = ICUPattern.fromGo(pattern)
        do {
            expression = try NSRegularExpression(pattern: translated, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw RegexSyntaxError(message: "invalid regexp", offset: 0)
        }
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
