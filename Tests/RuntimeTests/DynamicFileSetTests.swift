import Config
import Foundation
import Testing
@testable import Runtime

/// The per-file cache behind the watcher: last good versions, removals, names defined twice.
@Suite struct DynamicFileSetTests {
    private func reads(_ scratch: ScratchDirectory) throws -> [FileRead] {
        try ConfigLoader.configurationFiles(in: scratch.path).map { FileRead.read($0) }
    }

    @Test("a file that stops parsing keeps its last good version, and its error names file and line")
    func lastGoodVersion() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("a.yml", routerFile("a"))
        var set = DynamicFileSet()
        _ = set.apply(try reads(scratch))
        #expect(Set(set.result.configuration.http.routers.keys) == ["a"])

        // Truncated mid-way: an unterminated flow map is a YAML syntax error on a known line.
        try scratch.write("a.yml", "http:\n  routers:\n    b: {rule: Host(`b.test`), service: x\n")
        let update = set.apply(try reads(scratch))
        #expect(update.reloaded == [file])
        #expect(update.errors.count == 1)
        #expect(update.errors.first?.file == file)
        #expect(update.errors.first?.line != nil)
        #expect(Set(set.result.configuration.http.routers.keys) == ["a"], "the last good version stays in use")
        #expect(set.result.errors.count == 1)
        #expect(set.isStale(file))

        try scratch.write("a.yml", routerFile("c"))
        let fixed = set.apply(try reads(scratch))
        #expect(fixed.errors.isEmpty)
        #expect(Set(set.result.configuration.http.routers.keys) == ["c"])
        #expect(set.result.errors.isEmpty)
        #expect(!set.isStale(file))
    }

    @Test("a file never parsed contributes nothing but its error; the other files still apply")
    func brokenFromTheStart() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("a.yml", routerFile("a"))
        try scratch.write("b.yml", "http:\n  routers: [oops\n")
        var set = DynamicFileSet()
        let update = set.apply(try reads(scratch))
        #expect(update.errors.count == 1)
        #expect(Set(set.result.configuration.http.routers.keys) == ["a"])
    }

    @Test("unchanged files are not decoded again; removed files are dropped")
    func unchangedAndRemoved() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("a.yml", routerFile("a"))
        let b = try scratch.write("b.toml", "[http.routers.b]\nrule = \"Host(`b.test`)\"\nservice = \"svc-a\"\n")
        var set = DynamicFileSet()
        let first = set.apply(try reads(scratch))
        #expect(first.reloaded.count == 2)
        #expect(Set(set.result.configuration.http.routers.keys) == ["a", "b"])

        let again = set.apply(try reads(scratch))
        #expect(again.isEmpty)

        try scratch.remove("b.toml")
        let removed = set.apply(try reads(scratch))
        #expect(removed.removed == [b])
        #expect(Set(set.result.configuration.http.routers.keys) == ["a"])
    }

    @Test("a name defined in two files is dropped from both and reported with both files; the rest applies")
    func duplicateNames() throws {
        let scratch = try ScratchDirectory()
        let a = try scratch.write("a.yml", """
        http:
          routers:
            a:
              rule: Host(`a.test`)
              service: svc-a
            shared:
              rule: Host(`s.test`)
              service: svc-a
        """)
        let b = try scratch.write("b.yml", """
        http:
          routers:
            shared:
              rule: Host(`s2.test`)
              service: svc-a
            b:
              rule: Host(`b.test`)
              service: svc-a
        """)
        var set = DynamicFileSet()
        let update = set.apply(try reads(scratch))
        #expect(update.errors.isEmpty)
        let result = set.result
        #expect(Set(result.configuration.http.routers.keys) == ["a", "b"])
        #expect(result.issues.count == 1)
        #expect(result.issues.first?.item == ConfigItem(kind: .httpRouter, name: "shared"))
        #expect(result.issues.first?.files == [a, b])

        // Once one copy goes, the other applies.
        try scratch.write("b.yml", "http:\n  routers:\n    b:\n      rule: Host(`b.test`)\n      service: svc-a\n")
        _ = set.apply(try reads(scratch))
        #expect(Set(set.result.configuration.http.routers.keys) == ["a", "b", "shared"])
        #expect(set.result.issues.isEmpty)
    }
}
