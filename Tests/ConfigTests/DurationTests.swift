import Testing
@testable import Config

@Suite struct DurationTests {
    @Test(arguments: [
        ("10s", Int64(10_000_000_000)),
        ("1m30s", 90_000_000_000),
        ("250ms", 250_000_000),
        ("1h", 3_600_000_000_000),
        ("2.5s", 2_500_000_000),
        ("42", 42_000_000_000),
        ("0", 0),
        ("-1", -1_000_000_000),
        ("-1ms", -1_000_000),
        ("+5s", 5_000_000_000),
        ("1h2m3s4ms5us6ns", 3_723_004_005_006),
        ("1.5h", 5_400_000_000_000),
        ("300µs", 300_000),
        ("7ns", 7),
        (".5s", 500_000_000),
        ("2.5", 2_500_000_000),
    ])
    func parses(text: String, nanoseconds: Int64) throws {
        let duration = try #require(ConfigDuration(text))
        #expect(duration.nanoseconds == nanoseconds)
    }

    @Test(arguments: ["", "s", "10", "ten seconds", "10x", "1m30", "--1s", "1.2.3s", "99999999999999h"])
    func rejects(text: String) {
        if text == "10" {
            #expect(ConfigDuration(text) != nil) // control: bare integers are seconds
        } else {
            #expect(ConfigDuration(text) == nil)
        }
    }

    @Test(arguments: [
        (Int64(0), "0s"), (250_000_000, "250ms"), (1_500_000_000, "1.5s"), (90_000_000_000, "1m30s"),
        (3_600_000_000_000, "1h0m0s"), (-1_000_000, "-1ms"), (1_500, "1.5µs"), (12, "12ns"),
    ])
    func formatsLikeGo(nanoseconds: Int64, text: String) {
        #expect(ConfigDuration(nanoseconds: nanoseconds).description == text)
    }

    @Test func yamlIntegerAndFloatValuesAreSeconds() throws {
        let configuration = try ConfigLoader.loadStatic(string: """
        entryPoints:
          web:
            address: ":80"
            transport:
              respondingTimeouts:
                readTimeout: 42
                writeTimeout: 2.5
                idleTimeout: "1m30s"
              lifeCycle:
                graceTimeOut: 0
        """)
        let web = try #require(configuration.entryPoints["web"])
        #expect(web.readTimeout == .seconds(42))
        #expect(web.writeTimeout == .milliseconds(2500))
        #expect(web.idleTimeout == .seconds(90))
        #expect(web.graceTimeOut == .zero)
        #expect(web.requestAcceptGraceTimeout == .zero)
    }

    @Test func badDurationNamesPathAndLine() throws {
        let error = try #require(expectConfigError {
            _ = try ConfigLoader.loadDynamic(string: """
            http:
              middlewares:
                r:
                  rateLimit:
                    period: 1 minute
            """, fileName: "d.yml")
        })
        #expect(error.kind == .invalidValue)
        #expect(error.keyPath == "http.middlewares.r.rateLimit.period")
        #expect(error.line == 5)
    }

    @Test func conversions() {
        let duration = ConfigDuration.milliseconds(1500)
        #expect(duration.duration == .milliseconds(1500))
        #expect(duration.seconds == 1.5)
        #expect(ConfigDuration.minutes(2) > ConfigDuration.seconds(119))
        #expect(ConfigDuration.zero.isZero)
        #expect(ConfigDuration(nanoseconds: -1).isNegative)
    }
}
