import Testing
@testable import Runtime

/// When a burst of changes counts as settled.
@Suite struct DebouncerTests {
    @Test("fires once the quiet period has passed since the last change, then not again")
    func quietPeriod() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(300), maximumDelay: .milliseconds(600))
        let start = ContinuousClock.now
        let step1 = debouncer.fire(at: start)
        #expect(!step1, "nothing changed yet")
        debouncer.changed(at: start)
        let step2 = debouncer.fire(at: start + .milliseconds(100))
        #expect(!step2)
        debouncer.changed(at: start + .milliseconds(200))
        let step3 = debouncer.fire(at: start + .milliseconds(450))
        #expect(!step3, "the second change restarts the quiet period")
        let step4 = debouncer.fire(at: start + .milliseconds(500))
        #expect(step4)
        #expect(!debouncer.isPending)
        let step5 = debouncer.fire(at: start + .milliseconds(900))
        #expect(!step5)
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
        let step6 = debouncer.fire(at: start + .milliseconds(1250))
        #expect(!step6, "the next burst started at 700 ms")
        let step7 = debouncer.fire(at: start + .milliseconds(1300))
        #expect(step7)
    }
}
