import Config
import NIOCore
@testable import Runtime
import Testing

/// `responseForwarding.flushInterval` as the proxy gets it.
@Suite struct FlushIntervalConfigTests {
    private func forwarding(_ text: String?) -> HTTPService.ResponseForwarding {
        var forwarding = HTTPService.ResponseForwarding()
        forwarding.flushInterval = text.flatMap(ConfigDuration.init)
        return forwarding
    }

    @Test("default 100ms; negative flushes after every read; zero means the default")
    func mapping() {
        #expect(ServiceGraphBuilder.flushInterval(nil) == .milliseconds(100))
        #expect(ServiceGraphBuilder.flushInterval(forwarding(nil)) == .milliseconds(100))
        #expect(ServiceGraphBuilder.flushInterval(forwarding("250ms")) == .milliseconds(250))
        #expect(ServiceGraphBuilder.flushInterval(forwarding("-1")) == nil)
        #expect(ServiceGraphBuilder.flushInterval(forwarding("-1ms")) == nil)
        #expect(ServiceGraphBuilder.flushInterval(forwarding("0s")) == .milliseconds(100))
    }
}
