/// Decides when a burst of file changes has settled: after `quietPeriod` without a new change, or
/// at the latest `maximumDelay` after the first change of the burst, so a steady stream of writes
/// still gets applied.
struct Debouncer: Sendable {
    /// How long no change must be seen before the burst counts as over.
    let quietPeriod: Duration
    /// The longest a change waits, however busy the files are.
    let maximumDelay: Duration

    private var firstChange: ContinuousClock.Instant?
    private var lastChange: ContinuousClock.Instant?

    init(quietPeriod: Duration, maximumDelay: Duration) {
        self.quietPeriod = quietPeriod
        self.maximumDelay = maximumDelay
    }

    /// Whether a change is waiting.
    var isPending: Bool { firstChange != nil }

    /// Records a change seen at `now`.
    mutating func changed(at now: ContinuousClock.Instant) {
        if firstChange == nil { firstChange = now }
        lastChange = now
    }

    /// Returns `true`, and forgets the burst, when the waiting change should be applied at `now`.
    mutating func fire(at now: ContinuousClock.Instant) -> Bool {
        guard let firstChange, let lastChange else { return false }
        guard now - lastChange >= quietPeriod || now - firstChange >= maximumDelay else { return false }
        self.firstChange = nil
        self.lastChange = nil
        return true
    }
}
