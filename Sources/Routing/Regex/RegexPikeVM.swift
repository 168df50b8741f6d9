// Thompson/Pike simulation of a `RegexProgram`: every thread advances in lock step, one byte at a
// time, so the cost is linear in the text and never backtracks. Used for what the DFA does not
// handle (`\b`, `\B`, multi-line `^`/`$`) and for automata too large to build ahead of time.

struct RegexPikeVM: Sendable {
    let program: RegexProgram

    /// Whether the program matches anywhere in `bytes`.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = program.insts.count
        var mark = [Int32](repeating: -1, count: count)
        var current: [Int32] = []
        var next: [Int32] = []
        var stack: [Int32] = []
        current.reserveCapacity(count)
        next.reserveCapacity(count)
        let length = bytes.count

        func add(_ pc: Int32, at position: Int, to list: inout [Int32]) {
            stack.append(pc)
            while let pc = stack.popLast() {
                guard pc >= 0, mark[Int(pc)] != Int32(position) else { continue }
                mark[Int(pc)] = Int32(position)
                let inst = program.insts[Int(pc)]
                switch inst.op {
                case .byteRange, .byteSet, .match:
                    list.append(pc)
                case .split:
                    stack.append(inst.arg)
                    stack.append(inst.next)
                case .assert:
                    if holds(RegexAssertion(rawValue: UInt8(inst.arg))!, at: position) { stack.append(inst.next) }
                }
            }
        }

        func holds(_ assertion: RegexAssertion, at position: Int) -> Bool {
            switch assertion {
            case .beginText: return position == 0
            case .endText: return position == length
            case .beginLine: return position == 0 || bytes[position - 1] == 0x0A
            case .endLine: return position == length || bytes[position] == 0x0A
            case .wordBoundary, .notWordBoundary:
                let before = position > 0 && RegexPikeVM.isWordByte(bytes[position - 1])
                let after = position < length && RegexPikeVM.isWordByte(bytes[position])
                return (before != after) == (assertion == .wordBoundary)
            }
        }

        for position in 0...length {
            // Unanchored: a new thread starts at every position.
            add(program.start, at: position, to: &current)
            for pc in current {
                let inst = program.insts[Int(pc)]
                if inst.op == .match { return true }
                if position < length && program.consumes(Int(pc), bytes[position]) {
                    add(inst.next, at: position + 1, to: &next)
                }
            }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
        }
        return false
    }

    /// Go's `\b` is about ASCII word characters: `[0-9A-Za-z_]`.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte &- 0x30 < 10) || ((byte | 0x20) &- 0x61 < 26) || byte == 0x5F
    }
}
