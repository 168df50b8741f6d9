import Foundation

/// Traefik's static `metrics.prometheus` keys that apply to Gatehouse's `/metrics` endpoint
/// (served on the admin listener; `entryPoint` and `manualRouting` have no meaning there).
public struct PrometheusMetrics: Sendable, Hashable {
    /// Request duration buckets in seconds. Default Traefik's `[0.1, 0.3, 1.2, 5]`.
    public var buckets: [Double]
    /// Whether entry point request metrics are shown. Default true.
    public var addEntryPointsLabels: Bool
    /// Whether router request metrics are shown. Default false when `metrics.prometheus` is
    /// written (Traefik's default), true when the static file has no `metrics` key.
    public var addRoutersLabels: Bool
    /// Whether service request metrics are shown. Default true.
    public var addServicesLabels: Bool

    /// Settings with every family shown and Traefik's buckets: what `/metrics` serves when the
    /// static file has no `metrics` key.
    public static let unconfigured = PrometheusMetrics(
        buckets: [0.1, 0.3, 1.2, 5], addEntryPointsLabels: true, addRoutersLabels: true, addServicesLabels: true
    )

    /// Settings.
    public init(buckets: [Double], addEntryPointsLabels: Bool, addRoutersLabels: Bool, addServicesLabels: Bool) {
        self.buckets = buckets
        self.addEntryPointsLabels = addEntryPointsLabels
        self.addRoutersLabels = addRoutersLabels
        self.addServicesLabels = addServicesLabels
    }

    /// Reads `metrics.prometheus` from the loosely kept `metrics` value; Traefik's defaults for
    /// keys not written, ``unconfigured`` when there is no `metrics.prometheus`.
    public init(_ metrics: ConfigValue?) {
        guard let prometheus = metrics?["prometheus"] else {
            self = .unconfigured
            return
        }
        var buckets: [Double] = []
        if case .list(let items) = prometheus["buckets"] ?? .null {
            buckets = items.compactMap(Self.number)
        } else if case .string(let text) = prometheus["buckets"] ?? .null {
            // The CLI form: `--metrics.prometheus.buckets=0.1,0.3,1.2,5.0`.
            buckets = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        self.init(
            buckets: buckets.isEmpty ? Self.unconfigured.buckets : buckets,
            addEntryPointsLabels: Self.flag(prometheus["addEntryPointsLabels"]) ?? true,
            addRoutersLabels: Self.flag(prometheus["addRoutersLabels"]) ?? false,
            addServicesLabels: Self.flag(prometheus["addServicesLabels"]) ?? true
        )
    }

    private static func number(_ value: ConfigValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        case .string(let text): Double(text)
        default: nil
        }
    }

    private static func flag(_ value: ConfigValue?) -> Bool? {
        switch value {
        case .bool(let flag): flag
        case .string(let text): Bool(text.lowercased())
        default: nil
        }
    }
}

extension StaticConfiguration {
    /// `metrics.prometheus`, interpreted.
    public var prometheus: PrometheusMetrics { PrometheusMetrics(metrics) }
}
