import Config
import Testing

@Suite("The admin key of the static configuration")
struct AdminConfigurationTests {
    @Test("absent: no admin API; present and empty: loopback 127.0.0.1:8081")
    func defaults() throws {
        let without = try ConfigLoader.loadStatic(string: "entryPoints:\n  web:\n    address: \":80\"\n")
        #expect(without.admin == nil)
        let empty = try ConfigLoader.loadStatic(string: "admin: {}\n")
        let admin = try #require(empty.admin)
        #expect(try admin.listenAddress == .tcp(host: "127.0.0.1", port: 8081))
        #expect(!admin.effectiveRequireApproval)
        #expect(!admin.effectiveFourEyes)
    }

    @Test("address, unix socket, requireApproval and fourEyes are read")
    func values() throws {
        let config = try ConfigLoader.loadStatic(string: """
            admin:
              address: "[::1]:9090"
              requireApproval: true
              fourEyes: true
            """)
        #expect(try config.admin?.listenAddress == .tcp(host: "::1", port: 9090))
        #expect(config.admin?.effectiveRequireApproval == true)
        #expect(config.admin?.effectiveFourEyes == true)
        #expect(try config.admin?.listenAddress.description == "[::1]:9090")
        let unix = try ConfigLoader.loadStatic(string: "admin:\n  address: unix:/run/gatehouse/admin.sock\n")
        #expect(try unix.admin?.listenAddress == .unix(path: "/run/gatehouse/admin.sock"))
    }

    @Test("bad addresses are errors with their line", arguments: [":8081", "127.0.0.1", "unix:relative.sock", "127.0.0.1:70000", "127.0.0.1:8081/udp"])
    func badAddress(address: String) {
        #expect {
            _ = try ConfigLoader.loadStatic(string: "log:\n  level: INFO\nadmin:\n  address: \"\(address)\"\n", fileName: "static.yml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.kind == .invalidValue && "\(error)".contains("line 4") && "\(error)".contains(address)
        }
    }

    @Test("unknown keys under admin are errors")
    func unknownKey() {
        #expect {
            _ = try ConfigLoader.loadStatic(string: "admin:\n  adress: 127.0.0.1:1\n")
        } throws: { error in
            (error as? ConfigError)?.kind == .unknownKey
        }
    }
}
