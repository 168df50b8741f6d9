// A deterministic automaton built ahead of time (subset construction) from a `RegexProgram`, for
// "does the text match anywhere" questions: one table lookup per byte, no allocation, no
// backtracking. Handles `\A`/`^` and `\z`/`$` (single-line); programs with other assertions, or
// whose automaton would be too large, are run by `RegexPikeVM` instead.

final class RegexDFA: Sendable {
    /// Byte → equivalence class (bytes no instruction tells apart share a class).
    private let classOf: [UInt8]
    private let classCount: Int
    /// `transitions[row + class]` is the next state's row (its number times `classCount`).
    /// States are numbered by kind — scanning, scanning and accepting at the end of the text,
    /// accepting, dead — so a row's kind is found by comparing it with the thresholds below.
    private let transitions: [Int32]
    private let acceptsAtEndRow: Int32
    private let firstStopRow: Int32
    private let deadRow: Int32
    private let startRow: Int32
    let stateCount: Int

    static let accepting: UInt8 = 1
    static let dead: UInt8 = 2
    static let acceptsAtEnd: UInt8 = 4

    static let maxStates = 4096
    static let maxTableEntries = 1 << 18

    /// Builds the automaton; `nil` when the program uses assertions other than begin/end of text,
    /// or when it would exceed the size limits.
    init?(_ program: RegexProgram) {
        let insts = program.insts
        for inst in insts where inst.op == .assert {
            let kind = RegexAssertion(rawValue: UInt8(inst.arg))
            guard kind == .beginText || kind == .endText else { return nil }
        }

        // Byte classes.
        var boundary = [Bool](repeating: false, count: 257)
        boundary[0] = true
        for inst in insts {
            switch inst.op {
            case .byteRange:
                boundary[Int(inst.lo)] = true
                boundary[Int(inst.hi) + 1] = true
            case .byteSet:
                let set = program.byteSets[Int(inst.arg)]
                for b in 1..<256 where set.contains(UInt8(b)) != set.contains(UInt8(b - 1)) {
                    boundary[b] = true
                }
            default:
                break
            }
        }
        var classOf = [UInt8](repeating: 0, count: 256)
        var representatives: [UInt8] = []
        var current = -1
        for b in 0..<256 {
            if boundary[b] {
                current += 1
                representatives.append(UInt8(b))
            }
            classOf[b] = UInt8(current)
        }
        let classCount = representatives.count

        var builder = ClosureBuilder(program: program)
        let startSet = builder.closure(seeds: [program.start], atStart: true, atEnd: false)
        let restartSeeds: [Int32] = [program.start]

        var states: [[Int32]] = []
        var isStartState: [Bool] = []
        var index: [[Int32]: Int32] = [:]
        var transitions: [Int32] = []
        var flags: [UInt8] = []

        func stateFlags(_ set: [Int32], start: Bool, builder: inout ClosureBuilder) -> UInt8 {
            if set.isEmpty { return RegexDFA.dead }
            if set.contains(where: { insts[Int($0)].op == .match }) { return RegexDFA.accepting | RegexDFA.acceptsAtEnd }
            let atEnd = builder.closure(seeds: set, atStart: start, atEnd: true)
            return atEnd.contains(where: { insts[Int($0)].op == .match }) ? RegexDFA.acceptsAtEnd : 0
        }

        // The start state is keyed apart: a later state with the same threads is not at the start.
        states.append(startSet)
        isStartState.append(true)
        flags.append(stateFlags(startSet, start: true, builder: &builder))

        var work = 0
        var seeds: [Int32] = []
        // The next state depends only on the threads that consumed the byte: many classes (and
        // states) share them.
        var bySeeds: [[Int32]: Int32] = [:]
        var previousSeeds: [Int32] = []
        var previousState: Int32 = 0
        while work < states.count {
            let set = states[work]
            let stateFlag = flags[work]
            for c in 0..<classCount {
                if stateFlag & (RegexDFA.accepting | RegexDFA.dead) != 0 {
                    // Matching stops in these states; the row is never read.
                    transitions.append(Int32(work))
                    continue
                }
                let byte = representatives[c]
                seeds.removeAll(keepingCapacity: true)
                for pc in set {
                    let inst = insts[Int(pc)]
                    if inst.consumes && program.consumes(Int(pc), byte) { seeds.append(inst.next) }
                }
                seeds.sort()
                // Neighbouring classes usually lead to the same threads (often none): check the
                // previous answer before hashing.
                if c > 0 && seeds == previousSeeds {
                    transitions.append(previousState)
                    continue
                }
                if let known = bySeeds[seeds] {
                    transitions.append(known)
                    previousSeeds = seeds
                    previousState = known
                    continue
                }
                let key = seeds
                seeds.append(contentsOf: restartSeeds)
                var next = builder.closure(seeds: seeds, atStart: false, atEnd: false)
                if next.contains(where: { insts[Int($0)].op == .match }) {
                    next = next.filter { insts[Int($0)].op == .match }
                }
                if let existing = index[next] {
                    transitions.append(existing)
                    bySeeds[key] = existing
                    previousSeeds = key
                    previousState = existing
                } else {
                    guard states.count < RegexDFA.maxStates,
                          (states.count + 1) * classCount <= RegexDFA.maxTableEntries else { return nil }
                    let id = Int32(states.count)
                    index[next] = id
                    states.append(next)
                    isStartState.append(false)
                    flags.append(stateFlags(next, start: false, builder: &builder))
                    transitions.append(id)
                    bySeeds[key] = id
                    previousSeeds = key
                    previousState = id
                }
            }
            work += 1
        }
        // Renumber by kind: scanning, scanning but accepting at the end, accepting, dead.
        let stateCount = flags.count
        func kind(_ state: Int) -> Int {
            let f = flags[state]
            if f & RegexDFA.dead != 0 { return 3 }
            if f & RegexDFA.accepting != 0 { return 2 }
            return f & RegexDFA.acceptsAtEnd != 0 ? 1 : 0
        }
        var order: [Int] = []
        var thresholds: [Int] = []
        for k in 0..<4 {
            thresholds.append(order.count)
            order += (0..<stateCount).filter { kind($0) == k }
        }
        var newNumber = [Int32](repeating: 0, count: stateCount)
        for (number, old) in order.enumerated() { newNumber[old] = Int32(number) }
        var rows = [Int32](repeating: 0, count: stateCount * classCount)
        for old in 0..<stateCount {
            let row = Int(newNumber[old]) * classCount
            for c in 0..<classCount {
                rows[row + c] = newNumber[Int(transitions[old * classCount + c])] * Int32(classCount)
            }
        }
        self.classOf = classOf
        self.classCount = classCount
        self.transitions = rows
        self.acceptsAtEndRow = Int32(thresholds[1] * classCount)
        self.firstStopRow = Int32(thresholds[2] * classCount)
        self.deadRow = Int32(thresholds[3] * classCount)
        self.startRow = newNumber[0] * Int32(classCount)
        self.stateCount = stateCount
    }

    /// Whether the regexp matches anywhere in `bytes`.
    @inline(__always)
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classOf in
                let stop = firstStopRow
                var row = startRow
                if row < stop {
                    for byte in bytes {
                        row = table[Int(row) &+ Int(classOf[Int(byte)])]
                        if row >= stop { break }
                    }
                }
                if row >= deadRow { return false }
                return row >= acceptsAtEndRow
            }
        }
    }

}

/// Epsilon closures over a program, reusing its scratch space between calls.
struct ClosureBuilder {
    let program: RegexProgram
    private var visited: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []

    init(program: RegexProgram) {
        self.program = program
        self.visited = [UInt32](repeating: 0, count: program.insts.count)
    }

    /// The consuming and match instructions reachable from `seeds` without consuming input, plus
    /// (unless `atEnd`) the end-of-text assertions still waiting; sorted, without duplicates.
    mutating func closure(seeds: [Int32], atStart: Bool, atEnd: Bool) -> [Int32] {
        generation &+= 1
        if generation == 0 {
            for i in visited.indices { visited[i] = 0 }
            generation = 1
        }
        var output: [Int32] = []
        stack.removeAll(keepingCapacity: true)
        var k = seeds.count
        while k > 0 {
            k -= 1
            stack.append(seeds[k])
        }
        while let pc = stack.popLast() {
            guard pc >= 0, visited[Int(pc)] != generation else { continue }
            visited[Int(pc)] = generation
            let inst = program.insts[Int(pc)]
            switch inst.op {
            case .byteRange, .byteSet, .match:
                output.append(pc)
            case .split:
                stack.append(inst.arg)
                stack.append(inst.next)
            case .assert:
                switch RegexAssertion(rawValue: UInt8(inst.arg)) {
                case .beginText:
                    if atStart { stack.append(inst.next) }
                case .endText:
                    if atEnd { stack.append(inst.next) } else { output.append(pc) }
                default:
                    break
                }
            }
        }
        output.sort()
        return output
    }
}
