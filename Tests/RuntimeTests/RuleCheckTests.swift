import Config
import Testing
@testable import Runtime

/// Rule syntax, checked for `gatehouse check-config`.
@Suite struct RuleCheckTests {
    @Test("routers whose rule does not parse are reported with their key path; good ones are not")
    func badRules() throws {
        let dynamic = try ConfigLoader.loadDynamic(string: """
        http:
          routers:
            good: {rule: "Host(`a.test`) && PathPrefix(`/x`)", service: s}
            unclosed: {rule: "Host(`a.test`", service: s}
            unknown: {rule: "Hots(`a.test`)", service: s}
            tcpOnly: {rule: "HostSNI(`a.test`)", service: s}
        tcp:
          routers:
            fine: {rule: "HostSNI(`*`)", service: t}
            httpOnly: {rule: "Path(`/`)", service: t}
        """)
        let issues = RuleCheck.issues(dynamic)
        #expect(issues.map(\.keyPath) == [
            "http.routers.tcpOnly.rule", "http.routers.unclosed.rule", "http.routers.unknown.rule", "tcp.routers.httpOnly.rule",
        ])
        #expect(issues.allSatisfy { $0.severity == .error && $0.item != nil })
    }
}
