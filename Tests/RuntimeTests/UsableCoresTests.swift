import NIOCore
import Testing
@testable import Runtime

@Suite struct UsableCoresTests {
    @Test("the affinity mask of /proc/self/status is counted bit by bit", arguments: [
        ("Name:\tgatehouse\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2),
        ("Cpus_allowed:\t1\n", 1),
        ("Cpus_allowed:\tff,00000000,0000f00f\n", 16),
    ])
    func countsMask(status: String, expected: Int) {
        #expect(UsableCores.allowedCPUs(status: status) == expected)
    }

    @Test("no mask, or a malformed one, gives no count")
    func noMask() {
        #expect(UsableCores.allowedCPUs(status: "Name:\tgatehouse\n") == nil)
        #expect(UsableCores.allowedCPUs(status: "Cpus_allowed:\tzz\n") == nil)
    }

    @Test("the count for this process is between one and the machine's cores")
    func thisProcess() {
        #expect((1...System.coreCount).contains(UsableCores.count))
    }
}
