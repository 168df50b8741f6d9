import Foundation
import Testing

@testable import DNS

/// The server on real loopback sockets, asked by dig (BIND 9's client) over UDP and TCP.
@Suite(.serialized) struct DigTests {
    static let zone = "_acme-challenge.example.com"

    @Test(arguments: ["+notcp", "+tcp"])
    func twoValuesOnOneName(transport: String) async throws {
        guard let digPath = try digPath() else { return }
        try await withServer { server, records in
            records.add("apex-digest", for: try name(Self.zone))
            records.add("wildcard-digest", for: try name(Self.zone))
            let result = try dig(digPath, server: server, [transport, Self.zone, "TXT"])
            #expect(result.status == "NOERROR", "\(result)")
            #expect(result.flags.isSuperset(of: ["qr", "aa"]), "\(result)")
            #expect(!result.flags.contains("tc"))
            #expect(Set(result.txtValues) == ["apex-digest", "wildcard-digest"], "\(result)")
            #expect(result.answers.allSatisfy { $0.split(whereSeparator: \.isWhitespace)[1] == "10" }, "TTL: \(result)")
            #expect(result.hasOPT, "an EDNS query gets an OPT record back")
        }
    }

    @Test(arguments: ["+notcp", "+tcp"])
    func nxdomainAndNodataCarryTheSOA(transport: String) async throws {
        guard let digPath = try digPath() else { return }
        try await withServer { server, records in
            records.add("v", for: try name(Self.zone))
            let missing = try dig(digPath, server: server, [transport, "nothing." + Self.zone, "TXT"])
            #expect(missing.status == "NXDOMAIN", "\(missing)")
            #expect(missing.flags.contains("aa"))
            #expect(missing.answers.isEmpty)
            #expect(missing.authority.count == 1 && missing.authority[0].contains("SOA"), "\(missing)")
            #expect(missing.authority.first?.hasPrefix(Self.zone + ".") == true, "\(missing)")

            let nodata = try dig(digPath, server: server, [transport, Self.zone, "A"])
            #expect(nodata.status == "NOERROR", "\(nodata)")
            #expect(nodata.flags.contains("aa"))
            #expect(nodata.answers.isEmpty)
            #expect(nodata.authority.first?.contains("SOA ns.gatehouse.test. hostmaster.ns.gatehouse.test.") == true, "\(nodata)")

            let outside = try dig(digPath, server: server, [transport, "www.example.com", "A"])
            #expect(outside.status == "REFUSED", "\(outside)")
            #expect(!outside.flags.contains("aa"))

            let ns = try dig(digPath, server: server, [transport, Self.zone, "NS"])
            #expect(ns.answers.first?.hasSuffix(" NS ns.gatehouse.test.") == true, "\(ns)")
        }
    }

    @Test func caseInsensitiveAndRemoval() async throws {
        guard let digPath = try digPath() else { return }
        try await withServer { server, records in
            records.add("first", for: try name(Self.zone))
            records.add("second", for: try name(Self.zone))
            let mixed = try dig(digPath, server: server, ["_ACME-Challenge.EXAMPLE.com", "TXT"])
            #expect(Set(mixed.txtValues) == ["first", "second"], "\(mixed)")
            // dig checks the echoed question; the answer keeps the query's spelling.
            #expect(mixed.answers.first?.hasPrefix("_ACME-Challenge.EXAMPLE.com.") == true, "\(mixed)")

            records.remove("first", for: try name("_acme-challenge.EXAMPLE.COM"))
            let after = try dig(digPath, server: server, ["+tcp", Self.zone, "TXT"])
            #expect(after.txtValues == ["second"], "\(after)")
            records.remove("second", for: try name(Self.zone))
            let empty = try dig(digPath, server: server, [Self.zone, "TXT"])
            #expect(empty.status == "NOERROR")
            #expect(empty.txtValues.isEmpty, "\(empty)")
        }
    }

    @Test func largeAnswerIsTruncatedOverUDPAndCompleteOverTCP() async throws {
        guard let digPath = try digPath() else { return }
        try await withServer { server, records in
            let values = (0..<40).map { "value-\($0)-" + String(repeating: "x", count: 40) }
            for value in values {
                records.add(value, for: try name(Self.zone))
            }
            // +ignore: show the truncated UDP answer instead of retrying over TCP.
            let udp = try dig(digPath, server: server, ["+ignore", "+bufsize=1232", Self.zone, "TXT"])
            #expect(udp.flags.contains("tc"), "\(udp)")
            #expect(udp.txtValues.isEmpty)
            // Without EDNS the limit is 512 octets.
            let classic = try dig(digPath, server: server, ["+ignore", "+noedns", Self.zone, "TXT"])
            #expect(classic.flags.contains("tc"), "\(classic)")
            // By default dig retries over TCP on TC and gets everything.
            let retried = try dig(digPath, server: server, [Self.zone, "TXT"])
            #expect(!retried.flags.contains("tc"))
            #expect(Set(retried.txtValues) == Set(values), "\(retried)")
            let tcp = try dig(digPath, server: server, ["+tcp", Self.zone, "TXT"])
            #expect(tcp.txtValues.count == 40)
        }
    }

    @Test func severalQueriesOnOneTCPConnection() async throws {
        guard let digPath = try digPath() else { return }
        try await withServer { server, records in
            records.add("v", for: try name(Self.zone))
            // dig sends all questions of one invocation over one connection with +keepopen.
            let result = try dig(digPath, server: server, ["+tcp", "+keepopen", Self.zone, "TXT", Self.zone, "SOA", "x." + Self.zone, "TXT"])
            #expect(result.output.components(separatedBy: "->>HEADER<<-").count == 4, "\(result)")
            #expect(result.output.contains("status: NXDOMAIN"))
            #expect(result.output.contains("\"v\""))
        }
    }
}
