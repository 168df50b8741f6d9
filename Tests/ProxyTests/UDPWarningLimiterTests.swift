import NIOCore
import Testing
@testable import Proxy

@Suite struct UDPWarningLimiterTests {
    @Test("a key warns once per interval; other keys are independent")
    func oncePerInterval() {
        var limiter = UDPWarningLimiter(interval: .seconds(10))
        let t0 = NIODeadline.uptimeNanoseconds(5_000_000_000)
        var allowed: [Bool] = []
        allowed.append(limiter.allow("server:a", now: t0))
        allowed.append(limiter.allow("server:a", now: t0 + .seconds(1)))
        allowed.append(limiter.allow("server:b", now: t0 + .seconds(1)))
        allowed.append(limiter.allow("server:a", now: t0 + .milliseconds(9_999)))
        allowed.append(limiter.allow("server:a", now: t0 + .seconds(10)))
        #expect(allowed == [true, false, true, false, true])
    }
}
