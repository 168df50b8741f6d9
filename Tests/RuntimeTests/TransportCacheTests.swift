import Config
import Foundation
import Logging
import Proxy
import Testing
@testable import Runtime

/// Transports are reused across reloads only while their configuration and files are unchanged.
@Suite struct TransportCacheTests {
    private let logger = Logger(label: "test")

    @Test("the same configuration and file contents give back the cached transport")
    func reusedWhenUnchanged() throws {
        let cache = TransportCache()
        var configuration = ServersTransport()
        configuration.serverName = "backend.internal"
        let transport = UpstreamTransport(name: "t")
        cache.replace(with: ["t": (configuration, [Data("root".utf8)], transport)])
        #expect(cache.transport(named: "t", configuration: configuration, material: [Data("root".utf8)]) === transport)
        #expect(cache.transport(named: "other", configuration: configuration, material: [Data("root".utf8)]) == nil)
    }

    @Test("a changed key, a changed file or a transport left out of the last build is made again")
    func madeAgainWhenChanged() throws {
        let cache = TransportCache()
        var configuration = ServersTransport()
        configuration.serverName = "backend.internal"
        cache.replace(with: ["t": (configuration, [Data("root".utf8)], UpstreamTransport(name: "t"))])
        #expect(cache.transport(named: "t", configuration: configuration, material: [Data("new root".utf8)]) == nil)
        var changed = configuration
        changed.insecureSkipVerify = true
        #expect(cache.transport(named: "t", configuration: changed, material: [Data("root".utf8)]) == nil)
        cache.replace(with: [:])
        #expect(cache.transport(named: "t", configuration: configuration, material: [Data("root".utf8)]) == nil)
    }

    @Test("material is the files' current contents, so a CA file replaced in place is noticed")
    func materialReadsFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transport-cache-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ca.pem").path
        try Data("first".utf8).write(to: URL(fileURLWithPath: path))
        var configuration = ServersTransport()
        configuration.rootCAs = [FileOrContent(path), FileOrContent(directory.appendingPathComponent("missing.pem").path)]
        let before = try TransportMaterial(name: "t", configuration, logger: logger)
        #expect(before.contents == [Data("first".utf8)], "the unreadable root is skipped, as Traefik does")
        try Data("second".utf8).write(to: URL(fileURLWithPath: path))
        let after = try TransportMaterial(name: "t", configuration, logger: logger)
        #expect(after.contents == [Data("second".utf8)])
    }
}
