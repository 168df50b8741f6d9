@testable import Admin
import Config
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Prometheus text format")
struct PrometheusTextTests {
    @Test("label values escape backslash, double quote and line feed; help escapes backslash and line feed")
    func escaping() {
        let family = MetricFamily(
            name: "x_total", help: "a \\ b\nc \"q\"", kind: .counter,
            samples: [MetricSample([MetricLabel("path", "a\\b\"c\nd"), MetricLabel("k", "plain")], 3)]
        )
        let text = PrometheusText.render([family])
        #expect(text == """
            # HELP x_total a \\\\ b\\nc "q"
            # TYPE x_total counter
            x_total{path="a\\\\b\\"c\\nd",k="plain"} 3

            """)
    }

    @Test("numbers: integers without a fraction, fractions as written, infinities and NaN spelt as Prometheus does")
    func numbers() {
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(0.25) == "0.25")
        #expect(PrometheusText.format(1_763_900_000.5) == "1763900000.5")
        #expect(PrometheusText.format(.infinity) == "+Inf")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        #expect(PrometheusText.format(.nan) == "NaN")
    }

    @Test("histogram buckets are cumulative, end at +Inf with the count, then _sum and _count")
    func histogram() {
        let value = HistogramValue(bounds: [0.1, 0.3, 1.2, 5], counts: [2, 0, 3, 1], sum: 9.5, count: 8)
        let family = MetricFamily(name: "d_seconds", help: "durations", kind: .histogram,
                                  samples: [MetricSample(labels: [MetricLabel("code", "200")], value: .histogram(value))])
        let lines = PrometheusText.render([family]).split(separator: "\n").map(String.init)
        #expect(lines == [
            "# HELP d_seconds durations",
            "# TYPE d_seconds histogram",
            "d_seconds_bucket{code=\"200\",le=\"0.1\"} 2",
            "d_seconds_bucket{code=\"200\",le=\"0.3\"} 2",
            "d_seconds_bucket{code=\"200\",le=\"1.2\"} 5",
            "d_seconds_bucket{code=\"200\",le=\"5\"} 6",
            "d_seconds_bucket{code=\"200\",le=\"+Inf\"} 8",
            "d_seconds_sum{code=\"200\"} 9.5",
            "d_seconds_count{code=\"200\"} 8",
        ])
    }

    @Test("a family without samples still has its HELP and TYPE lines; samples without labels have no braces")
    func emptyAndUnlabelled() {
        let text = PrometheusText.render([
            MetricFamily(name: "a", help: "h", kind: .gauge, samples: []),
            MetricFamily(name: "b", help: "h", kind: .gauge, samples: [MetricSample([], 1.5)]),
        ])
        #expect(text == "# HELP a h\n# TYPE a gauge\n# HELP b h\n# TYPE b gauge\nb 1.5\n")
    }

    struct MetricsRuntime: RuntimeView, MetricsView {
        func currentState() async -> RuntimeState? { nil }
        func metricFamilies() async -> [MetricFamily] {
            [MetricFamily(name: "gatehouse_open_connections", help: "open", kind: .gauge,
                          samples: [MetricSample([MetricLabel("entrypoint", "web")], 2)])]
        }
    }

    @Test("GET /metrics needs no token and answers the view's families as text format 0.0.4")
    func route() async throws {
        try await withStore { storage, _, _ in
            var logger = Logger(label: "metrics-tests")
            logger.logLevel = .critical
            let server = AdminServer(address: .tcp(host: "127.0.0.1", port: 8081), tokens: storage, runtime: MetricsRuntime(), logger: logger)
            try await server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(text(response).contains("gatehouse_open_connections{entrypoint=\"web\"} 2\n"))
            }
        }
    }

    @Test("a runtime without metrics serves an empty page, not an error")
    func routeWithoutMetrics() async throws {
        try await withStore { storage, _, _ in
            try await makeServer(storage, state: nil).makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(text(response).isEmpty)
            }
        }
    }
}
