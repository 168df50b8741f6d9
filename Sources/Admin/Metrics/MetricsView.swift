/// The admin API's window on the gateway's metrics, rendered at `/metrics`.
///
/// A ``RuntimeView`` that also conforms to this protocol serves its families there; one that
/// does not serves an empty page.
public protocol MetricsView: Sendable {
    /// Every metric family now.
    func metricFamilies() async -> [MetricFamily]
}
