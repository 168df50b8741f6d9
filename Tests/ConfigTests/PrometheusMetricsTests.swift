import Config
import Testing

@Suite("Static metrics.prometheus")
struct PrometheusMetricsTests {
    @Test("no metrics key: every family on, Traefik's buckets")
    func unconfigured() throws {
        let configuration = try ConfigLoader.loadStatic(string: "entryPoints: {web: {address: ':80'}}\n", format: .yaml)
        #expect(configuration.prometheus == .unconfigured)
        #expect(configuration.prometheus.buckets == [0.1, 0.3, 1.2, 5])
    }

    @Test("metrics.prometheus written: Traefik's defaults (routers off), buckets and flags as given")
    func configured() throws {
        let defaults = try ConfigLoader.loadStatic(string: "metrics: {prometheus: {}}\n", format: .yaml).prometheus
        #expect(defaults.addEntryPointsLabels && defaults.addServicesLabels && !defaults.addRoutersLabels)
        let given = try ConfigLoader.loadStatic(string: """
            metrics:
              prometheus:
                buckets: [0.05, 1, 2.5]
                addEntryPointsLabels: false
                addRoutersLabels: true
                addServicesLabels: false
            """, format: .yaml).prometheus
        #expect(given == PrometheusMetrics(buckets: [0.05, 1, 2.5], addEntryPointsLabels: false, addRoutersLabels: true, addServicesLabels: false))
    }
}
