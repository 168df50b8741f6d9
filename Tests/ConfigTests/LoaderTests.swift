import Foundation
import Testing
@testable import Config

@Suite struct LoaderTests {
    @Test func directoryMergeDropsDuplicatedNamesAndKeepsTheRest() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a.yml", """
        http:
          routers:
            shared: {rule: "Host(`a`)", service: svc-a}
            only-a: {rule: "Host(`only-a`)", service: svc-a}
          services:
            svc-a: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
        """)
        let b = try dir.write("sub/b.toml", """
        [http.routers.shared]
        rule = "Host(`b`)"
        service = "svc-b"
        [http.services.svc-b.loadBalancer]
        servers = [{ url = "http://127.0.0.1:2" }]
        [tls.options.modern]
        minVersion = "VersionTLS13"
        """)
        try dir.write("c.yaml", """
        tls:
          certificates:
            - certFile: c.pem
              keyFile: k.pem
        """)
        try dir.write("ignored.txt", "not: [config")
        try dir.write(".hidden.yml", "not: [config")
        try dir.write("..data/dup.yml", "http: {routers: {shared: {rule: x, service: y}}}")

        let result = try ConfigLoader.loadDynamic(directory: dir.path)
        #expect(result.files.count == 3)
        #expect(result.errors.isEmpty)
        let configuration = result.configuration
        #expect(Set(configuration.http.routers.keys) == ["only-a"])
        #expect(Set(configuration.http.services.keys) == ["svc-a", "svc-b"])
        #expect(configuration.tls.options["modern"]?.minVersion == "VersionTLS13")
        #expect(configuration.tls.certificates.count == 1)
        // Relative certificate paths resolve against the file's directory.
        #expect(configuration.tls.certificates.first?.certFile?.path == (dir.path as NSString).appendingPathComponent("c.pem"))

        #expect(result.issues.count == 1)
        let issue = try #require(result.issues.first)
        #expect(issue.item == ConfigItem(kind: .httpRouter, name: "shared"))
        #expect(issue.keyPath == "http.routers.shared")
        #expect(issue.files == [a, b])
        #expect(issue.description.contains("http router \"shared\""))
    }

    @Test func aBrokenFileIsReportedAndTheOthersLoad() throws {
        let dir = try TemporaryDirectory()
        try dir.write("good.yml", "http: {routers: {r: {rule: \"Path(`/`)\", service: s}}}")
        let bad = try dir.write("bad.yml", "http:\n  routers:\n    r2:\n      rulee: x\n")
        try dir.write("broken.toml", "[http\n")
        let result = try ConfigLoader.loadDynamic(directory: dir.path)
        #expect(result.configuration.http.routers.keys.sorted() == ["r"])
        #expect(result.errors.count == 2)
        let unknown = try #require(result.errors.first { $0.file == bad })
        #expect(unknown.line == 4)
        #expect(unknown.suggestion == "rule")
        #expect(result.errors.contains { $0.kind == .syntax && $0.file?.hasSuffix("broken.toml") == true })
    }

    @Test func missingDirectoryThrows() {
        let error = expectConfigError { _ = try ConfigLoader.loadDynamic(directory: "/nonexistent/gatehouse") }
        #expect(error?.kind == .io)
    }

    @Test func missingFileThrows() {
        let error = expectConfigError { _ = try ConfigLoader.loadStatic(file: "/nonexistent/traefik.yml") }
        #expect(error?.kind == .io)
        #expect(error?.file == "/nonexistent/traefik.yml")
    }

    @Test func fileOrContent() throws {
        let dir = try TemporaryDirectory()
        try dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n")
        let relative = FileOrContent("cert.pem", baseDirectory: dir.path)
        #expect(!relative.isInline)
        #expect(String(decoding: try relative.read(), as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))

        let inline = FileOrContent("  -----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----")
        #expect(inline.isInline)
        #expect(inline.path == nil)
        #expect(String(decoding: try inline.read(), as: UTF8.self).contains("secret"))
        // Never print key material.
        #expect(!inline.description.contains("secret"))

        #expect(FileOrContent("/abs/x.pem", baseDirectory: "/other").path == "/abs/x.pem")
        let missing = expectConfigError { _ = try FileOrContent("nope.pem", baseDirectory: dir.path).read() }
        #expect(missing?.kind == .io)
    }

    @Test func inlinePEMInYAMLBlockScalar() throws {
        let configuration = try ConfigLoader.loadDynamic(string: """
        tls:
          certificates:
            - certFile: |
                -----BEGIN CERTIFICATE-----
                MIIB
                -----END CERTIFICATE-----
              keyFile: key.pem
              stores: [default]
        """)
        let certificate = try #require(configuration.tls.certificates.first)
        #expect(certificate.certFile?.isInline == true)
        #expect(certificate.keyFile?.isInline == false)
        #expect(certificate.stores == ["default"])
    }
}
