// A parser for Go's regular expression syntax (RE2, as accepted by Go's `regexp.Compile`), into a
// small tree that `RegexProgram` compiles. Only what decides *whether* a text matches is kept:
// capture groups become plain groups, and greedy/lazy repetition are the same thing.

/// A syntax error in a regular expression, with the offset (in Unicode scalars) where it was found.
struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var offset: Int

    var description: String { "\(message) at offset \(offset) of the regexp" }
}

/// Zero-width assertions.
enum RegexAssertion: UInt8, Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent closed ranges.
struct ScalarSet: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    static let maxScalar: UInt32 = 0x10FFFF

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
        normalize()
    }

    static func single(_ value: UInt32) -> ScalarSet { ScalarSet([value...value]) }

    static let all = ScalarSet([0...maxScalar])

    mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges.append(range)
    }

    mutating func insert(contentsOf other: ScalarSet) {
        ranges.append(contentsOf: other.ranges)
    }

    mutating func normalize() {
        guard ranges.count > 1 else { return }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(ranges.count)
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                if range.upperBound > last.upperBound {
                    merged[merged.count - 1] = last.lowerBound...range.upperBound
                }
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    func inverted() -> ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound == ScalarSet.maxScalar { return ScalarSet(result) }
            next = range.upperBound + 1
        }
        result.append(next...ScalarSet.maxScalar)
        return ScalarSet(result)
    }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ value: UInt32) -> Bool {
        ranges.contains { $0.contains(value) }
    }

    /// Adds every simple case variant of the members (Go's `(?i)`). ASCII is exact, including the
    /// Kelvin sign and long s; ranges of more than 4096 non-ASCII scalars are left unfolded.
    func caseFolded() -> ScalarSet {
        var result = self
        for range in ranges {
            let asciiHigh = min(range.upperBound, 0x7F)
            if range.lowerBound <= asciiHigh {
                for value in range.lowerBound...asciiHigh {
                    for variant in ScalarSet.asciiCaseVariants(value) { result.insert(variant...variant) }
                }
            }
            let low = max(range.lowerBound, 0x80)
            guard low <= range.upperBound, range.upperBound - low < 4096 else { continue }
            for value in low...range.upperBound {
                for variant in ScalarSet.caseVariants(value) { result.insert(variant...variant) }
            }
        }
        result.normalize()
        return result
    }

    static func asciiCaseVariants(_ value: UInt32) -> [UInt32] {
        switch value {
        case 0x41...0x5A, 0x61...0x7A:
            let lower = value | 0x20
            var variants: [UInt32] = [lower, lower - 0x20]
            if lower == 0x6B { variants.append(0x212A) }  // k, K, KELVIN SIGN
            if lower == 0x73 { variants.append(0x017F) }  // s, S, LATIN SMALL LETTER LONG S
            return variants
        default:
            return []
        }
    }

    /// The simple case orbit of a scalar, from the single-scalar lower/upper/title mappings,
    /// closed under those mappings.
    static func caseVariants(_ value: UInt32) -> [UInt32] {
        if value == 0x212A { return [0x6B, 0x4B] }
        if value == 0x017F { return [0x73, 0x53] }
        guard Unicode.Scalar(value) != nil else { return [] }
        var orbit: [UInt32] = [value]
        var index = 0
        while index < orbit.count && orbit.count < 8 {
            guard let current = Unicode.Scalar(orbit[index]) else { break }
            index += 1
            let properties = current.properties
            for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
                let scalars = mapping.unicodeScalars
                guard scalars.count == 1, let mapped = scalars.first?.value, !orbit.contains(mapped) else { continue }
                orbit.append(mapped)
            }
        }
        return orbit
    }
}

/// The parsed form of a regular expression.
indirect enum RegexNode: Sendable {
    /// Matches the empty string.
    case empty
    /// One scalar from the set.
    case set(ScalarSet)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `min` to `max` (nil: unbounded) repetitions.
    case repetition(RegexNode, min: Int, max: Int?)
    case assertion(RegexAssertion)

    /// Whether the tree uses `\b`, `\B` or multi-line `^`/`$`, which the DFA does not handle.
    var needsContextAssertions: Bool {
        switch self {
        case .empty, .set: return false
        case .assertion(let a): return a != .beginText && a != .endText
        case .concat(let nodes), .alternate(let nodes): return nodes.contains { $0.needsContextAssertions }
        case .repetition(let node, _, _): return node.needsContextAssertions
        }
    }
}

/// Recursive-descent parser for the RE2 syntax.
struct RegexParser {
    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    /// Thrown for syntax that is valid Go but not supported by this engine (Unicode classes);
    /// the caller then falls back to another engine.
    struct Unsupported: Error {}

    /// Go limits counted repetitions to 1000.
    static let maxRepeat = 1000

    private let scalars: [Unicode.Scalar]
    private var position = 0

    private init(_ pattern: String) {
        self.scalars = Array(pattern.unicodeScalars)
    }

    /// Parses `pattern`; `caseInsensitive` is like a leading `(?i)`.
    static func parse(_ pattern: String, caseInsensitive: Bool = false) throws -> RegexNode {
        var parser = RegexParser(pattern)
        var flags = Flags()
        flags.caseInsensitive = caseInsensitive
        let node = try parser.parseAlternation(flags: &flags, depth: 0)
        if parser.position < parser.scalars.count {
            // Only an unmatched ')' stops the top-level alternation early.
            throw RegexSyntaxError(message: "unexpected )", offset: parser.position)
        }
        return node
    }

    private var atEnd: Bool { position >= scalars.count }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private func error(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(message: message, offset: offset ?? position)
    }

    // MARK: Alternation, concatenation, repetition

    private mutating func parseAlternation(flags: inout Flags, depth: Int) throws -> RegexNode {
        guard depth < 1000 else { throw error("expression nests too deeply") }
        var branches: [RegexNode] = []
        while true {
            branches.append(try parseConcat(flags: &flags, depth: depth))
            if peek() == "|" {
                position += 1
                continue
            }
            break
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcat(flags: inout Flags, depth: Int) throws -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            let atomStart = position
            guard var atom = try parseAtom(flags: &flags, depth: depth) else { continue }
            atom = try parseRepetitions(atom, atomStart: atomStart)
            items.append(atom)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    private mutating func parseRepetitions(_ atom: RegexNode, atomStart: Int) throws -> RegexNode {
        var node = atom
        var repeated = false
        var previousOperator = atomStart
        while let c = peek() {
            let opStart = position
            var minimum = 0
            var maximum: Int?
            switch c {
            case "*":
                position += 1
            case "+":
                minimum = 1
                position += 1
            case "?":
                maximum = 1
                position += 1
            case "{":
                guard let (lo, hi, length) = parseRepeatCount() else { return node }
                guard lo <= RegexParser.maxRepeat, (hi ?? lo) <= RegexParser.maxRepeat, hi.map({ $0 >= lo }) ?? true else {
                    throw error("invalid repeat count", at: opStart)
                }
                minimum = lo
                maximum = hi
                position += length
            default:
                return node
            }
            if repeated {
                let text = String(String.UnicodeScalarView(scalars[previousOperator..<position]))
                throw error("invalid nested repetition operator: `\(text)`", at: opStart)
            }
            repeated = true
            previousOperator = opStart
            if peek() == "?" { position += 1 }  // lazy: same set of matches
            node = .repetition(node, min: minimum, max: maximum)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}` at the current position: (min, max, length), or nil when the brace
    /// does not start a repetition (then it is a literal, as in Go).
    private func parseRepeatCount() -> (Int, Int?, Int)? {
        var index = position + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while index < scalars.count, scalars[index].value >= 0x30, scalars[index].value <= 0x39 {
                value = min(value * 10 + Int(scalars[index].value - 0x30), 100_000)
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if index < scalars.count, scalars[index] == "," {
            index += 1
            if index < scalars.count, scalars[index] == "}" {
                hi = nil
            } else {
                guard let upper = number() else { return nil }
                hi = upper
            }
        }
        guard index < scalars.count, scalars[index] == "}" else { return nil }
        return (lo, hi, index + 1 - position)
    }

    // MARK: Atoms

    /// One atom, or nil for a construct that only changed the flags (`(?i)`).
    private mutating func parseAtom(flags: inout Flags, depth: Int) throws -> RegexNode? {
        let start = position
        let c = scalars[position]
        switch c {
        case "(":
            return try parseGroup(flags: &flags, depth: depth)
        case "[":
            return .set(try parseClass(flags: flags))
        case ".":
            position += 1
            return .set(flags.dotMatchesNewline ? .all : ScalarSet([0...9, 11...ScalarSet.maxScalar]))
        case "^":
            position += 1
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$":
            position += 1
            return .assertion(flags.multiLine ? .endLine : .endText)
        case "*", "+", "?":
            throw error("missing argument to repetition operator: `\(c)`", at: start)
        case "{":
            if parseRepeatCount() != nil {
                throw error("missing argument to repetition operator: `{`", at: start)
            }
            position += 1
            return literal(c.value, flags: flags)
        case "\\":
            return try parseEscapeAtom(flags: flags)
        default:
            position += 1
            return literal(c.value, flags: flags)
        }
    }

    private func literal(_ value: UInt32, flags: Flags) -> RegexNode {
        let set = ScalarSet.single(value)
        return .set(flags.caseInsensitive ? set.caseFolded() : set)
    }

    private mutating func parseGroup(flags: inout Flags, depth: Int) throws -> RegexNode? {
        let open = position
        position += 1
        var groupFlags = flags
        if peek() == "?" {
            position += 1
            // Named capture: (?P<name>re) or (?<name>re).
            if peek() == "P" && peek(1) == "<" || peek() == "<" {
                position += peek() == "P" ? 2 : 1
                let nameStart = position
                while let s = peek(), s != ">" {
                    guard s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" else {
                        throw error("invalid named capture", at: open)
                    }
                    position += 1
                }
                guard peek() == ">", position > nameStart else { throw error("invalid named capture", at: open) }
                position += 1
            } else {
                // Flags: (?flags) or (?flags:re), flags from i m s U, with an optional '-' negation.
                var negate = false
                var sawFlag = false
                while true {
                    guard let s = peek() else { throw error("missing closing )", at: open) }
                    position += 1
                    switch s {
                    case "i": groupFlags.caseInsensitive = !negate; sawFlag = true
                    case "m": groupFlags.multiLine = !negate; sawFlag = true
                    case "s": groupFlags.dotMatchesNewline = !negate; sawFlag = true
                    case "U": sawFlag = true  // ungreedy: irrelevant to whether a text matches
                    case "-":
                        guard !negate else { throw error("invalid or unsupported Perl syntax", at: open) }
                        negate = true
                        sawFlag = false
                    case ")":
                        guard sawFlag || !negate, position - open > 3 else {
                            throw error("invalid or unsupported Perl syntax", at: open)
                        }
                        flags = groupFlags  // applies to the rest of the enclosing group
                        return nil
                    case ":":
                        guard sawFlag || !negate else { throw error("invalid or unsupported Perl syntax", at: open) }
                        let inner = try parseAlternation(flags: &groupFlags, depth: depth + 1)
                        guard peek() == ")" else { throw error("missing closing )", at: open) }
                        position += 1
                        return inner
                    default:
                        throw error("invalid or unsupported Perl syntax", at: open)
                    }
                }
            }
        }
        let inner = try parseAlternation(flags: &groupFlags, depth: depth + 1)
        guard peek() == ")" else { throw error("missing closing )", at: open) }
        position += 1
        return inner
    }

    private mutating func parseEscapeAtom(flags: Flags) throws -> RegexNode {
        let start = position
        guard let c = peek(1) else { throw error("trailing backslash at end of expression", at: start) }
        switch c {
        case "b": position += 2; return .assertion(.wordBoundary)
        case "B": position += 2; return .assertion(.notWordBoundary)
        case "A": position += 2; return .assertion(.beginText)
        case "z": position += 2; return .assertion(.endText)
        case "Q":
            position += 2
            var items: [RegexNode] = []
            while let s = peek() {
                if s == "\\" && peek(1) == "E" {
                    position += 2
                    break
                }
                items.append(literal(s.value, flags: flags))
                position += 1
            }
            return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
        default:
            var set = try parseEscape(inClass: false)
            if flags.caseInsensitive { set = set.caseFolded() }
            return .set(set)
        }
    }

    /// An escape at `position` (which is at the backslash) that stands for a set of scalars.
    private mutating func parseEscape(inClass: Bool) throws -> ScalarSet {
        let start = position
        position += 1
        guard let c = peek() else { throw error("trailing backslash at end of expression", at: start) }
        position += 1
        switch c {
        case "d": return RegexParser.digit
        case "D": return RegexParser.digit.inverted()
        case "s": return RegexParser.space
        case "S": return RegexParser.space.inverted()
        case "w": return RegexParser.word
        case "W": return RegexParser.word.inverted()
        case "p", "P": throw Unsupported()
        case "a": return .single(7)
        case "f": return .single(12)
        case "t": return .single(9)
        case "n": return .single(10)
        case "r": return .single(13)
        case "v": return .single(11)
        case "x":
            if peek() == "{" {
                position += 1
                var value: UInt32 = 0
                var digits = 0
                while let h = peek(), h != "}" {
                    guard h.isASCII, Bytes.isHexDigit(UInt8(h.value)) else {
                        throw error("invalid escape sequence", at: start)
                    }
                    value = value * 16 + UInt32(Bytes.hexValue(UInt8(h.value)))
                    digits += 1
                    guard value <= ScalarSet.maxScalar else { throw error("invalid escape sequence", at: start) }
                    position += 1
                }
                guard peek() == "}", digits > 0 else { throw error("invalid escape sequence", at: start) }
                position += 1
                return .single(value)
            }
            guard let h1 = peek(), let h2 = peek(1), h1.isASCII, h2.isASCII,
                  Bytes.isHexDigit(UInt8(h1.value)), Bytes.isHexDigit(UInt8(h2.value)) else {
                throw error("invalid escape sequence", at: start)
            }
            position += 2
            return .single(UInt32(Bytes.hexValue(UInt8(h1.value))) * 16 + UInt32(Bytes.hexValue(UInt8(h2.value))))
        case "0"..."7":
            // A single non-zero digit would be a backreference, which Go does not support.
            if c != "0" && !(peek().map { ("0"..."7").contains($0) } ?? false) {
                throw error("invalid escape sequence", at: start)
            }
            var value = c.value - 0x30
            var count = 1
            while count < 3, let o = peek(), ("0"..."7").contains(o) {
                value = value * 8 + (o.value - 0x30)
                position += 1
                count += 1
            }
            return .single(value)
        default:
            if c.isASCII && !(c.properties.isAlphabetic || ("0"..."9").contains(c)) {
                return .single(c.value)
            }
            throw error("invalid escape sequence", at: start)
        }
    }

    // MARK: Classes

    static let digit = ScalarSet([0x30...0x39])
    static let space = ScalarSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    static let posixClasses: [String: ScalarSet] = [
        "alnum": ScalarSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A]),
        "alpha": ScalarSet([0x41...0x5A, 0x61...0x7A]),
        "ascii": ScalarSet([0x00...0x7F]),
        "blank": ScalarSet([0x09...0x09, 0x20...0x20]),
        "cntrl": ScalarSet([0x00...0x1F, 0x7F...0x7F]),
        "digit": ScalarSet([0x30...0x39]),
        "graph": ScalarSet([0x21...0x7E]),
        "lower": ScalarSet([0x61...0x7A]),
        "print": ScalarSet([0x20...0x7E]),
        "punct": ScalarSet([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]),
        "space": ScalarSet([0x09...0x0D, 0x20...0x20]),
        "upper": ScalarSet([0x41...0x5A]),
        "word": ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]),
        "xdigit": ScalarSet([0x30...0x39, 0x41...0x46, 0x61...0x66]),
    ]

    private mutating func parseClass(flags: Flags) throws -> ScalarSet {
        let open = position
        position += 1
        var negated = false
        if peek() == "^" {
            negated = true
            position += 1
        }
        var set = ScalarSet()
        var first = true
        while true {
            guard let c = peek() else { throw error("missing closing ]", at: open) }
            if c == "]" && !first { position += 1; break }
            first = false
            // POSIX class [:name:] or [:^name:].
            if c == "[", peek(1) == ":" {
                var index = position + 2
                var negatedPOSIX = false
                if index < scalars.count, scalars[index] == "^" {
                    negatedPOSIX = true
                    index += 1
                }
                let nameStart = index
                while index < scalars.count, scalars[index] != ":" && scalars[index] != "]" { index += 1 }
                if index + 1 < scalars.count, scalars[index] == ":", scalars[index + 1] == "]" {
                    let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
                    guard let posix = RegexParser.posixClasses[name] else {
                        throw error("invalid character class range", at: position)
                    }
                    set.insert(contentsOf: negatedPOSIX ? posix.inverted() : posix)
                    position = index + 2
                    continue
                }
            }
            let itemStart = position
            let low: UInt32
            if c == "\\" {
                let escaped = try parseEscape(inClass: true)
                guard escaped.ranges.count == 1, escaped.ranges[0].count == 1 else {
                    // \d, \s, \w and their negations: a whole set, which cannot start a range.
                    set.insert(contentsOf: escaped)
                    continue
                }
                low = escaped.ranges[0].lowerBound
            } else {
                low = c.value
                position += 1
            }
            var high = low
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                if after == "\\" {
                    let escaped = try parseEscape(inClass: true)
                    guard escaped.ranges.count == 1, escaped.ranges[0].count == 1 else {
                        throw error("invalid character class range", at: itemStart)
                    }
                    high = escaped.ranges[0].lowerBound
                } else {
                    high = after.value
                    position += 1
                }
                guard high >= low else { throw error("invalid character class range", at: itemStart) }
            }
            set.insert(low...high)
        }
        set.normalize()
        if flags.caseInsensitive { set = set.caseFolded() }
        return negated ? set.inverted() : set
    }
}
