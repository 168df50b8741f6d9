import Config
import Foundation
import Testing
@testable import Runtime

/// The watcher's polls, driven with explicit instants so that no test depends on timing.
@Suite struct ConfigurationWatcherTests {
    private func directoryWatcher(_ scratch: ScratchDirectory, staticFile: String? = nil, log: LogCapture = LogCapture()) -> ConfigurationWatcher {
        var provider = Providers.FileProvider()
        provider.directory = scratch.path
        return ConfigurationWatcher(provider: provider, staticFile: staticFile, logger: log.logger())
    }

    @Test("a new file is applied after the quiet period, not before, and only once")
    func newFileAfterQuietPeriod() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("a.yml", routerFile("a"))
        var watcher = directoryWatcher(scratch)
        let initial = watcher.load()
        #expect(Set(initial.configuration.http.routers.keys) == ["a"])

        let start = ContinuousClock.now
        let step1 = watcher.poll(now: start)
        #expect(step1 == nil, "no change yet")
        try scratch.write("b.yml", routerFile("b"))
        let seen = start + .milliseconds(200)
        let step2 = watcher.poll(now: seen)
        #expect(step2 == nil, "the change waits for the quiet period")
        let step3 = watcher.poll(now: seen + .milliseconds(200))
        #expect(step3 == nil)
        let step4 = watcher.poll(now: seen + .milliseconds(300))
        let result = try #require(step4)
        #expect(Set(result.configuration.http.routers.keys) == ["a", "b"])
        let step5 = watcher.poll(now: seen + .milliseconds(600))
        #expect(step5 == nil, "applied once")

        try scratch.remove("b.yml")
        let removedAt = seen + .milliseconds(800)
        let step6 = watcher.poll(now: removedAt)
        #expect(step6 == nil)
        let step7 = watcher.poll(now: removedAt + .milliseconds(300))
        let afterRemoval = try #require(step7)
        #expect(Set(afterRemoval.configuration.http.routers.keys) == ["a"])
    }

    @Test("a rewrite that changes nothing in the merged configuration is skipped")
    func unchangedResultSkipped() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("a.yml", routerFile("a"))
        let log = LogCapture()
        var watcher = directoryWatcher(scratch, log: log)
        _ = watcher.load()

        let start = ContinuousClock.now
        try scratch.write("a.yml", routerFile("a", comment: "only a comment changed"))
        let step8 = watcher.poll(now: start)
        #expect(step8 == nil)
        let step9 = watcher.poll(now: start + .milliseconds(300))
        #expect(step9 == nil, "same configuration: skipped")
        #expect(log.messages.contains { $0.contains("reload skipped") })

        try scratch.write("a.yml", routerFile("z"))
        let step10 = watcher.poll(now: start + .milliseconds(400))
        #expect(step10 == nil)
        let step11 = watcher.poll(now: start + .milliseconds(700))
        let result = try #require(step11)
        #expect(Set(result.configuration.http.routers.keys) == ["z"])
    }

    @Test("a truncated file keeps the routes of its last good version and the log names file and line")
    func truncatedFileKeepsRoutes() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("a.yml", routerFile("a"))
        let log = LogCapture()
        var watcher = directoryWatcher(scratch, log: log)
        _ = watcher.load()

        let start = ContinuousClock.now
        let full = routerFile("b")
        try scratch.write("a.yml", String(full.prefix(full.count / 2)) + "\n  - [")
        let step12 = watcher.poll(now: start)
        #expect(step12 == nil)
        let step13 = watcher.poll(now: start + .milliseconds(300))
        #expect(step13 == nil, "nothing new to apply")
        let errors = log.messages.filter { $0.contains("not loaded") }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("file=\(file)") == true)
        #expect(errors.first?.contains("line=") == true)
        #expect(errors.first?.contains("last good version") == true)

        try scratch.write("a.yml", full)
        let step14 = watcher.poll(now: start + .milliseconds(400))
        #expect(step14 == nil)
        let step15 = watcher.poll(now: start + .milliseconds(700))
        let fixed = try #require(step15)
        #expect(Set(fixed.configuration.http.routers.keys) == ["b"])
        #expect(fixed.errors.isEmpty)
    }

    @Test("a single watched file (providers.file.filename) is reloaded too")
    func singleFile() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("dynamic.yml", routerFile("a"))
        var provider = Providers.FileProvider()
        provider.filename = path
        var watcher = ConfigurationWatcher(provider: provider, staticFile: nil, logger: LogCapture().logger())
        _ = watcher.load()
        let start = ContinuousClock.now
        try scratch.write("dynamic.yml", routerFile("b"))
        let step16 = watcher.poll(now: start)
        #expect(step16 == nil)
        let step17 = watcher.poll(now: start + .milliseconds(300))
        let result = try #require(step17)
        #expect(Set(result.configuration.http.routers.keys) == ["b"])
    }

    @Test("a change to the static file is logged as a warning asking for a restart, once per change")
    func staticFileChange() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("a.yml", routerFile("a"))
        let staticFile = try scratch.write("static.conf", "entryPoints: {web: {address: ':80'}}\n")
        let log = LogCapture()
        var watcher = directoryWatcher(scratch, staticFile: staticFile, log: log)
        _ = watcher.load()
        let start = ContinuousClock.now
        _ = watcher.poll(now: start)
        #expect(!log.messages.contains { $0.contains("restart") })
        try scratch.write("static.conf", "entryPoints: {web: {address: ':8080'}}\n")
        _ = watcher.poll(now: start + .milliseconds(200))
        _ = watcher.poll(now: start + .milliseconds(400))
        let warnings = log.messages.filter { $0.hasPrefix("warning") && $0.contains("restart") }
        #expect(warnings.count == 1)
    }
}
