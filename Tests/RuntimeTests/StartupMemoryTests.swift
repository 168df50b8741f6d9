import Logging
import Testing
@testable import Runtime

@Suite struct StartupMemoryTests {
    static let maps = """
        55d0c0000000-55d0c1f72000 r-xp 00000000 fe:00 16220342                   /usr/bin/gatehouse
        55d0c1f73000-55d0c2052000 r--p 01f72000 fe:00 16220342                   /usr/bin/gatehouse
        55d0c2052000-55d0c2258000 rw-p 02051000 fe:00 16220342                   /usr/bin/gatehouse
        55d0c3000000-55d0c3400000 rw-p 00000000 00:00 0                          [heap]
        7f1000000000-7f1000021000 rw-p 00000000 00:00 0
        7f2000000000-7f2000200000 r--p 00000000 fe:00 99                         /opt/swift/lib/libswiftCore.so
        7f2000200000-7f2000201000 ---p 00200000 fe:00 99                         /opt/swift/lib/libswiftCore.so
        7f3000000000-7f3000001000 r--s 00000000 fe:00 7                          /dev/shm/a file with spaces
        7fff00000000-7fff00021000 rw-p 00000000 00:00 0                          [stack]
        ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
        """

    @Test("only read-only mappings of files are chosen: never writable ones, the heap, the stack or anonymous memory")
    func choosesReadOnlyFiles() {
        let chosen = StartupMemory.readOnlyFileMappings(in: Self.maps)
        #expect(chosen.map(\.path) == [
            "/usr/bin/gatehouse", "/usr/bin/gatehouse", "/opt/swift/lib/libswiftCore.so", "/dev/shm/a file with spaces",
        ])
        #expect(chosen.map(\.permissions) == ["r-xp", "r--p", "r--p", "r--s"])
        #expect(chosen[0].start == 0x55d0_c000_0000 && chosen[0].end == 0x55d0_c1f7_2000)
    }

    @Test("malformed lines are skipped")
    func skipsMalformed() {
        #expect(StartupMemory.readOnlyFileMappings(in: "zz-01 r-xp 0 0 0 /x\n10-05 r-xp 0 0 0 /x\nnot a line").isEmpty)
    }

    @Test("on unless the environment turns it off", arguments: [
        ([:], true), (["GATEHOUSE_RELEASE_STARTUP_MEMORY": "true"], true),
        (["GATEHOUSE_RELEASE_STARTUP_MEMORY": "false"], false), (["GATEHOUSE_RELEASE_STARTUP_MEMORY": "OFF"], false),
        (["GATEHOUSE_RELEASE_STARTUP_MEMORY": "0"], false),
    ])
    func environment(env: [String: String], enabled: Bool) {
        #expect(StartupMemory.isEnabled(env) == enabled)
    }

    @Test("the status fields are read in KiB")
    func statusFields() {
        let status = "Name:\tgatehouse\nRssAnon:\t    7112 kB\nRssFile:\t   41928 kB\n"
        #expect(StartupMemory.field("RssFile:", in: status) == 41928)
        #expect(StartupMemory.field("RssAnon:", in: status) == 7112)
        #expect(StartupMemory.field("RssShmem:", in: status) == 0)
    }

    #if os(Linux)
    @Test("a release in this process gives back file-backed pages, and the code keeps running")
    func releasesInProcess() throws {
        let outcome = try #require(StartupMemory.release(logger: Logger(label: "test"), environment: [:]))
        #expect(outcome.mappings > 0)
        #expect(outcome.fileAfter < outcome.fileBefore)
        // Code paged out comes back on use.
        #expect(StartupMemory.readOnlyFileMappings(in: Self.maps).count == 4)
    }

    @Test("turned off, nothing is released")
    func offReleasesNothing() {
        #expect(StartupMemory.release(logger: Logger(label: "test"), environment: ["GATEHOUSE_RELEASE_STARTUP_MEMORY": "off"]) == nil)
    }
    #endif
}
