// A Thompson NFA over UTF-8 bytes, compiled from a `RegexNode`. Classes of Unicode scalars become
// alternations of byte-range sequences, so matching never decodes UTF-8.

/// 256 bits: one per byte value.
struct ByteBitmap: Sendable, Hashable {
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0
    var w3: UInt64 = 0

    mutating func insert(_ lo: UInt8, _ hi: UInt8) {
        for b in lo...hi {
            let bit = UInt64(1) << UInt64(b & 63)
            switch b >> 6 {
            case 0: w0 |= bit
            case 1: w1 |= bit
            case 2: w2 |= bit
            default: w3 |= bit
            }
        }
    }

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let word: UInt64
        switch b >> 6 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return (word >> UInt64(b & 63)) & 1 == 1
    }
}

struct RegexProgram: Sendable {
    enum Op: UInt8, Sendable {
        /// Consume one byte in `lo...hi`, go to `next`.
        case byteRange
        /// Consume one byte in `byteSets[arg]`, go to `next`.
        case byteSet
        /// Continue at both `next` and `arg`.
        case split
        /// Continue at `next` if assertion `arg` holds here.
        case assert
        case match
    }

    struct Inst: Sendable {
        var op: Op
        var lo: UInt8 = 0
        var hi: UInt8 = 0
        var next: Int32 = -1
        var arg: Int32 = -1

        var consumes: Bool { op == .byteRange || op == .byteSet }
    }

    /// Guards against patterns like `(a{1000}){1000}`.
    static let maxInstructions = 200_000

    private(set) var insts: [Inst] = []
    private(set) var byteSets: [ByteBitmap] = []
    private(set) var start: Int32 = 0

    /// Compiles `node`; throws a `RegexSyntaxError` when the program would be too large.
    init(_ node: RegexNode) throws(RegexSyntaxError) {
        let match = try emit(Inst(op: .match))
        start = try compile(node, next: match)
    }

    @inline(__always)
    func consumes(_ pc: Int, _ byte: UInt8) -> Bool {
        let inst = insts[pc]
        if inst.op == .byteRange { return byte >= inst.lo && byte <= inst.hi }
        return byteSets[Int(inst.arg)].contains(byte)
    }

    // MARK: Compilation (continuation-passing: each piece is compiled knowing what follows it)

    private mutating func emit(_ inst: Inst) throws(RegexSyntaxError) -> Int32 {
        guard insts.count < RegexProgram.maxInstructions else {
            throw RegexSyntaxError(message: "expression too large", offset: 0)
        }
        insts.append(inst)
        return Int32(insts.count - 1)
    }

    private mutating func compile(_ node: RegexNode, next: Int32) throws(RegexSyntaxError) -> Int32 {
        switch node {
        case .empty:
            return next
        case .assertion(let kind):
            return try emit(Inst(op: .assert, next: next, arg: Int32(kind.rawValue)))
        case .set(let set):
            return try compileSet(set, next: next)
        case .concat(let nodes):
            var entry = next
            for node in nodes.reversed() { entry = try compile(node, next: entry) }
            return entry
        case .alternate(let nodes):
            var entries: [Int32] = []
            for node in nodes { entries.append(try compile(node, next: next)) }
            return try alternation(entries)
        case .repetition(let inner, let minimum, let maximum):
            var entry: Int32
            if let maximum {
                // (x(x(x)?)?)? for the optional copies, built inside out.
                entry = next
                for _ in 0..<(maximum - minimum) {
                    let body = try compile(inner, next: entry)
                    entry = try emit(Inst(op: .split, next: body, arg: next))
                }
            } else {
                // x*: a split that loops back through the body.
                let loop = try emit(Inst(op: .split))
                let body = try compile(inner, next: loop)
                insts[Int(loop)].next = body
                insts[Int(loop)].arg = next
                entry = loop
            }
            for _ in 0..<minimum { entry = try compile(inner, next: entry) }
            return entry
        }
    }

    private mutating func alternation(_ entries: [Int32]) throws(RegexSyntaxError) -> Int32 {
        guard var entry = entries.last else { return -1 }
        for other in entries.dropLast().reversed() {
            entry = try emit(Inst(op: .split, next: other, arg: entry))
        }
        return entry
    }

    private mutating func compileSet(_ set: ScalarSet, next: Int32) throws(RegexSyntaxError) -> Int32 {
        var ascii = ByteBitmap()
        var asciiRanges: [ClosedRange<UInt32>] = []
        var sequences: [[(UInt8, UInt8)]] = []
        for range in set.ranges {
            if range.lowerBound <= 0x7F {
                let high = min(range.upperBound, 0x7F)
                ascii.insert(UInt8(range.lowerBound), UInt8(high))
                asciiRanges.append(range.lowerBound...high)
            }
            // Surrogates never occur in valid UTF-8.
            let low1 = max(range.lowerBound, 0x80)
            let high1 = min(range.upperBound, 0xD7FF)
            if low1 <= high1 { RegexProgram.utf8Sequences(low1, high1, into: &sequences) }
            let low2 = max(range.lowerBound, 0xE000)
            let high2 = range.upperBound
            if low2 <= high2 { RegexProgram.utf8Sequences(low2, high2, into: &sequences) }
        }
        var entries: [Int32] = []
        if asciiRanges.count == 1 {
            let only = asciiRanges[0]
            entries.append(try emit(Inst(op: .byteRange, lo: UInt8(only.lowerBound), hi: UInt8(only.upperBound), next: next)))
        } else if !asciiRanges.isEmpty {
            byteSets.append(ascii)
            entries.append(try emit(Inst(op: .byteSet, next: next, arg: Int32(byteSets.count - 1))))
        }
        for sequence in sequences {
            var entry = next
            for (lo, hi) in sequence.reversed() {
                entry = try emit(Inst(op: .byteRange, lo: lo, hi: hi, next: entry))
            }
            entries.append(entry)
        }
        if entries.isEmpty {
            // An empty class matches nothing: a byte set with no members.
            byteSets.append(ByteBitmap())
            return try emit(Inst(op: .byteSet, next: next, arg: Int32(byteSets.count - 1)))
        }
        return try alternation(entries)
    }

    static let lengthBoundaries: [UInt32] = [0x7F, 0x7FF, 0xFFFF]

    /// Splits the scalar range `lo...hi` (no surrogates, at least 0x80) into sequences of byte
    /// ranges whose concatenations are exactly the UTF-8 encodings of the range.
    static func utf8Sequences(_ lo: UInt32, _ hi: UInt32, into output: inout [[(UInt8, UInt8)]]) {
        var stack: [(UInt32, UInt32)] = [(lo, hi)]
        while let (s, initialEnd) = stack.popLast() {
            var e = initialEnd
            split: while true {
                for boundary in lengthBoundaries where s <= boundary && boundary < e {
                    stack.append((boundary + 1, e))
                    e = boundary
                    continue split
                }
                if e <= 0x7F {
                    output.append([(UInt8(s), UInt8(e))])
                    break split
                }
                for i in 1..<4 {
                    let shift = UInt32(6 * i)
                    let m: UInt32 = (UInt32(1) << shift) - 1
                    let notM: UInt32 = ~m
                    if (s & notM) != (e & notM) {
                        if (s & m) != 0 {
                            stack.append(((s | m) + 1, e))
                            e = s | m
                            continue split
                        }
                        if (e & m) != m {
                            stack.append((e & notM, e))
                            e = (e & notM) - 1
                            continue split
                        }
                    }
                }
                let startBytes = utf8(s)
                let endBytes = utf8(e)
                var sequence: [(UInt8, UInt8)] = []
                for k in 0..<startBytes.count { sequence.append((startBytes[k], endBytes[k])) }
                output.append(sequence)
                break split
            }
        }
    }

    static func utf8(_ value: UInt32) -> [UInt8] {
        let low6: UInt32 = 0x80 | (value & 0x3F)
        let mid6: UInt32 = 0x80 | ((value >> 6) & 0x3F)
        let high6: UInt32 = 0x80 | ((value >> 12) & 0x3F)
        if value < 0x80 {
            return [UInt8(truncatingIfNeeded: value)]
        }
        if value < 0x800 {
            let lead: UInt32 = 0xC0 | (value >> 6)
            return [UInt8(truncatingIfNeeded: lead), UInt8(truncatingIfNeeded: low6)]
        }
        if value < 0x10000 {
            let lead: UInt32 = 0xE0 | (value >> 12)
            return [UInt8(truncatingIfNeeded: lead), UInt8(truncatingIfNeeded: mid6), UInt8(truncatingIfNeeded: low6)]
        }
        let lead: UInt32 = 0xF0 | (value >> 18)
        return [UInt8(truncatingIfNeeded: lead), UInt8(truncatingIfNeeded: high6),
                UInt8(truncatingIfNeeded: mid6), UInt8(truncatingIfNeeded: low6)]
    }
}
