import Foundation
import Testing
@testable import Routing

/// Go (RE2) regexp semantics of the matching engine, and agreement between its two automata and
/// ICU on random inputs.
struct GoRegexTests {
    @Test(arguments: [
        ("abc", "xabcx", true),
        ("^abc$", "abc", true),
        ("^abc$", "abc\n", false),
        ("^abc", "xabc", false),
        ("a.c", "a\nc", false),
        ("(?s)a.c", "a\nc", true),
        ("^$", "", true),
        ("^$", "a", false),
        ("a*", "", true),
        ("x+", "", false),
        ("a{2,3}", "a", false),
        ("a{2,3}", "baab", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{2,}$", "aaaaaaa", true),
        ("^a{0}b$", "b", true),
        ("^(ab|cd)+$", "abcdab", true),
        ("^(ab|cd)+$", "abc", false),
        ("^(a*)*$", "aaa", true),
        ("^(a|)+b", "aab", true),
        (#"\bfoo\b"#, "a foo b", true),
        (#"\bfoo\b"#, "afoob", false),
        (#"\Bfoo"#, "afoo", true),
        (#"\Bfoo"#, "foo", false),
        ("(?m)^b$", "a\nb\nc", true),
        ("^b$", "a\nb\nc", false),
        (#"\Ab\z"#, "b", true),
        ("[[:digit:]]+", "x12", true),
        ("[[:^alpha:]]", "abc", false),
        ("[[:^alpha:]]", "ab1", true),
        (#"\d\s\w"#, "1 a", true),
        (#"\D"#, "123", false),
        (#"\W"#, "a_1", false),
        ("[^a-z]", "abc", false),
        ("[^a-z]", "abC", true),
        ("[^a]", "\n", true),
        ("é", "café", true),
        ("^caf.$", "café", true),
        ("^caf..$", "café", false),
        ("(?i)k", "\u{212A}", true),
        ("(?i)é", "É", true),
        ("(?i)straße", "STRASSE", false),
        (#"\x{1F600}"#, "😀", true),
        (#"\x41"#, "A", true),
        (#"\101"#, "A", true),
        (#"\0"#, "\u{0}", true),
        ("^.$", "😀", true),
        ("^..$", "😀", false),
        (#"[\x{80}-\x{10FFFF}]"#, "abc", false),
        (#"[\x{80}-\x{10FFFF}]"#, "aé", true),
        (#"^[\x{800}-\x{FFFF}]$"#, "€", true),
        (#"^[\x{800}-\x{FFFF}]$"#, "é", false),
        (#"\Qa.b\E"#, "a.b", true),
        (#"\Qa.b\E"#, "axb", false),
        (#"\Qa.b"#, "a.b", true),
        ("a|", "zzz", true),
        ("(?i)ABC", "xabcx", true),
        ("(?i:a)b", "Ab", true),
        ("(?i:a)b", "AB", false),
        ("a(?i)b|c", "C", true),
        ("(a(?i)b)c", "aBc", true),
        ("(a(?i)b)c", "aBC", false),
        ("(?U)a+", "aaa", true),
        ("a+?b", "aab", true),
        ("a{,3}", "a{,3}", true),
        ("{", "{", true),
        ("a{1", "a{1", true),
        ("[]a]", "]", true),
        ("[^]a]", "]", false),
        ("[a-]", "-", true),
        ("[a-b-c]", "-", true),
        (#"[\]]"#, "]", true),
        (#"[\d.]"#, ".", true),
        (#"\."#, "a", false),
        ("$^", "", true),
        ("$^", "a", false),
        ("^", "anything", true),
        ("(?P<name>x)y", "xy", true),
        ("(?<name>x)y", "xy", true),
        ("(?:ab)+", "abab", true),
        (#"^/api/v[0-9]+/(users|groups)/[^/]+$"#, "/api/v2/users/42", true),
        (#"^/api/v[0-9]+/(users|groups)/[^/]+$"#, "/api/v2/users/42/x", false),
        (#"\pL+"#, "héllo", true),
        (#"^\p{Greek}+$"#, "αβγ", true),
        (#"^\p{Greek}+$"#, "abc", false),
    ])
    func goSemantics(_ pattern: String, _ text: String, _ expected: Bool) throws {
        let regex = try GoRegex(pattern)
        #expect(regex.matches(text) == expected)
    }

    @Test(arguments: [
        ("(", "missing closing )"),
        (")", "unexpected )"),
        ("a)", "unexpected )"),
        ("[a", "missing closing ]"),
        ("[]", "missing closing ]"),
        ("*a", "missing argument to repetition operator: `*`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("{2}", "missing argument to repetition operator: `{`"),
        (#"\1"#, "invalid escape sequence"),
        (#"\8"#, "invalid escape sequence"),
        (#"\C"#, "invalid escape sequence"),
        (#"\q"#, "invalid escape sequence"),
        (#"a\"#, "trailing backslash at end of expression"),
        ("(?z)", "invalid or unsupported Perl syntax"),
        ("(?=a)", "invalid or unsupported Perl syntax"),
        ("(?P<>a)", "invalid named capture"),
        ("a{1001}", "invalid repeat count"),
        ("x{3,2}", "invalid repeat count"),
        ("[z-a]", "invalid character class range"),
        ("[[:foo:]]", "invalid character class range"),
    ])
    func rejectsWhatGoRejects(_ pattern: String, _ message: String) {
        #expect(throws: RegexSyntaxError.self) { try GoRegex(pattern) }
        do {
            _ = try GoRegex(pattern)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func choosesTheEngine() throws {
        guard case .dfa = try GoRegex(#"^[a-z]+\.example\.com$"#).engine else { Issue.record("expected DFA"); return }
        guard case .pike = try GoRegex(#"\bword\b"#).engine else { Issue.record("expected Pike VM"); return }
        guard case .pike = try GoRegex("(?m)^x$").engine else { Issue.record("expected Pike VM"); return }
        guard case .foundation = try GoRegex(#"\pL"#).engine else { Issue.record("expected Foundation"); return }
        // (a|b)*a(a|b){12}: the DFA would need 2^13 states, over the limit.
        guard case .pike = try GoRegex("(a|b)*a(a|b){12}").engine else { Issue.record("expected Pike VM"); return }
        #expect(try GoRegex("(a|b)*a(a|b){12}").matches("bbbbab" + String(repeating: "b", count: 12)))
        #expect(!(try GoRegex("^(a|b)*a(a|b){12}$").matches(String(repeating: "b", count: 20))))
    }

    /// The DFA and the Pike VM must agree everywhere; both must agree with ICU where Go and ICU
    /// have the same semantics (no newlines in the text, ASCII-only case folding).
    @Test func automataAgreeWithEachOtherAndWithICU() throws {
        let patterns = [
            "a", "ab|cd", "^a", "b$", "^ab*c$", "(a|b)*c", "a{2,4}", "^[a-c]{3}$", "[^ab]", "a.c", "(?s)a.c",
            "^(ab|a)(bc|c)$", "x*y+z?", "é", "[é-ü]", "^.{2}$", "(?i)AB", "(?i)[a-c]x", #"\d+"#, #"[\w.-]+@"#,
            "^$", "(a*)*b", "(|a)+$", "a(b|c|)d", "^(a|b|c|d|e)*e(a|b)$", "[[:punct:]]", "a|^b|c$",
        ]
        let alphabet: [Character] = ["a", "b", "c", "d", "e", "x", "y", "z", "A", "B", "é", "ü", "€", "1", "-", ".", "@", "_", " ", "\n"]
        var rng = SeededGenerator(seed: 7)
        for pattern in patterns {
            let node = try RegexParser.parse(pattern)
            let program = try RegexProgram(node)
            guard let dfa = RegexDFA(program) else {
                Issue.record("no DFA for \(pattern)")
                continue
            }
            let vm = RegexPikeVM(program: program)
            let icu = try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "$", with: #"\z"#))
            for _ in 0..<300 {
                let length = Int.random(in: 0..<8, using: &rng)
                let text = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
                let viaDFA = Array(text.utf8).withUnsafeBufferPointer { dfa.matches($0) }
                let viaVM = Array(text.utf8).withUnsafeBufferPointer { vm.matches($0) }
                #expect(viaDFA == viaVM, "\(pattern) on \(text.debugDescription): DFA \(viaDFA), Pike \(viaVM)")
                // ICU's \w and \d are Unicode-aware; Go's are ASCII-only.
                if !text.contains("\n") && !pattern.contains("(?s)") && !pattern.contains("\\w") && !pattern.contains("\\d") {
                    let viaICU = icu.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
                    #expect(viaDFA == viaICU, "\(pattern) on \(text.debugDescription): DFA \(viaDFA), ICU \(viaICU)")
                }
            }
        }
    }

    @Test func utf8SequencesCoverExactlyTheRange() {
        // Every scalar in a range is accepted by one of its sequences, and nothing outside it is.
        let ranges: [(UInt32, UInt32)] = [(0x80, 0x10FFFF), (0x7FF, 0x800), (0xFFFF, 0x10000), (0x3B1, 0x3C9), (0xE000, 0xFFFD)]
        for (lo, hi) in ranges {
            var sequences: [[(UInt8, UInt8)]] = []
            RegexProgram.utf8Sequences(lo, hi, into: &sequences)
            func accepted(_ value: UInt32) -> Bool {
                let bytes = RegexProgram.utf8(value)
                return sequences.contains { seq in
                    seq.count == bytes.count && zip(seq, bytes).allSatisfy { $0.0 <= $1 && $1 <= $0.1 }
                }
            }
            for value in stride(from: max(lo, 0x80) - 1, through: min(hi + 1, 0x10FFFF), by: 97) where !(0xD800...0xDFFF).contains(value) {
                #expect(accepted(value) == (lo...hi).contains(value), "U+\(String(value, radix: 16)) in \(lo)-\(hi)")
            }
            #expect(accepted(lo) && accepted(hi))
        }
    }
}

extension GoRegexTests {
    @Test(arguments: [
        (#"\pL+$"#, #"\p{L}+\z"#),
        (#"^\p{Greek}[$]"#, #"^\p{Greek}[$]"#),
        (#"(?P<n>\PN)"#, #"(?<n>\P{N})"#),
        (#"(?m)\pL$"#, #"(?m)\p{L}$"#),
        (#"a\$"#, #"a\$"#),
    ])
    func translatesToICU(_ go: String, _ icu: String) {
        #expect(ICUPattern.fromGo(go) == icu)
    }

    @Test func foundationFallbackKeepsGoEndOfText() throws {
        #expect(try GoRegex(#"^\pL+$"#).matches("héllo"))
        #expect(!(try GoRegex(#"^\pL+$"#).matches("héllo\n")))
    }
}
