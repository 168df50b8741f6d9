import Synchronization

/// Numbers the snapshots: each reload gets the next generation.
final class GenerationCounter: Sendable {
    private let value: Atomic<Int>

    /// Starts after `start` (the generation already in use).
    init(start: Int) {
        value = Atomic(start)
    }

    /// The next generation number.
    func next() -> Int {
        value.add(1, ordering: .relaxed).newValue
    }
}
