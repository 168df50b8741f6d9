import Testing
@testable import Runtime

/// When a burst of changes counts as settled.
@Suite struct DebouncerTests {
    @Test("fires once the quiet period has passed since the last change, then not again")
    func quietPeriod() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(300), maximumDelay: .milliseconds(600))
        let start = ContinuousClock.now
        #expect(!debouncer.fire(at: start), "nothing changed yet")
        debouncer.changed(at: start)
        #expect(!debouncer.fire(at: start + .milliseconds(100)))
        debouncer.changed(at: start + .milliseconds(200))
        #expect(!debouncer.fire(at: start + .milliseconds(450)), "the second change restarts the quiet period")
        #expect(debouncer.fire(at: start + .milliseconds(500)))
        #expect(!debouncer.isPending)
        #expect(!debouncer.fire(at: start + .milliseconds(900)))
    }

    @Test("a steady stream of changes still fires after the maximum delay")
    func maximumDelay() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(300), maximumDelay: .milliseconds(600))
        let start = ContinuousClock.now
        var fired: [Int] = []
        for step in stride(from: 0, through: 1200, by: 100) {
            let now = start + .milliseconds(step)
            debouncer.changed(at: now)
            if debouncer.fire(at: now) { fired.append(step) }
        }
        #expect(fired == [600])
        #expect(!debouncer.fire(at: start + .milliseconds(1250)), "the next burst started at 700 ms")
        #expect(debouncer.fire(at: start + .milliseconds(1300)))
    }
}
