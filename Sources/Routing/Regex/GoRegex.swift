/// A regular expression in Go's syntax (RE2), compiled once, answering whether a text matches
/// anywhere in it — Go's `regexp.MatchString`. Anchor with `^…$` for a whole-text match.
///
/// Most patterns run as a precomputed DFA over UTF-8 bytes (one table lookup per byte, no
/// allocation). Patterns with `\b`, `\B` or multi-line anchors run as a Pike VM (still linear time);
/// Unicode classes (`\pL`) go to `NSRegularExpression`.
final class GoRegex: Sendable, CustomStringConvertible {
    enum Engine: Sendable {
        case dfa(RegexDFA)
        case pike(RegexPikeVM)
        case foundation(FoundationRegex)
    }

    /// The pattern as written.
    let pattern: String
    let caseInsensitive: Bool
    let engine: Engine

    /// Compiles `pattern`; `caseInsensitive` is like a leading `(?i)`.
    init(_ pattern: String, caseInsensitive: Bool = false) throws(RegexSyntaxError) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        let node: RegexNode
        do {
            node = try RegexParser.parse(pattern, caseInsensitive: caseInsensitive)
        } catch let error as RegexSyntaxError {
            throw error
        } catch {
            engine = .foundation(try FoundationRegex(pattern, caseInsensitive: caseInsensitive))
            return
        }
        let program = try RegexProgram(node)
        if let dfa = RegexDFA(program) {
            engine = .dfa(dfa)
        } else {
            engine = .pike(RegexPikeVM(program: program))
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    @inline(__always)
    func matches(_ text: String) -> Bool {
        switch engine {
        case .dfa(let dfa):
            return text.utf8.withContiguousStorageIfAvailable { dfa.matches($0) }
                ?? Array(text.utf8).withUnsafeBufferPointer { dfa.matches($0) }
        case .pike(let vm):
            return text.utf8.withContiguousStorageIfAvailable { vm.matches($0) }
                ?? Array(text.utf8).withUnsafeBufferPointer { vm.matches($0) }
        case .foundation(let regex):
            return regex.matches(text)
        }
    }

    var description: String { pattern }
}
