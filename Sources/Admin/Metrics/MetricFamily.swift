/// One metric as Prometheus groups it: a name, a help text, a type and its samples.
public struct MetricFamily: Sendable, Hashable {
    /// The Prometheus metric types Gatehouse writes.
    public enum Kind: String, Sendable, Hashable {
        /// Only goes up (reset on restart).
        case counter
        /// Goes up and down.
        case gauge
        /// Observations counted into buckets, with their sum and count.
        case histogram
    }

    /// The metric name, e.g. `gatehouse_entrypoint_requests_total`.
    public var name: String
    /// One line saying what it measures.
    public var help: String
    /// Its type.
    public var kind: Kind
    /// Its samples, one per label set.
    public var samples: [MetricSample]

    /// A family.
    public init(name: String, help: String, kind: Kind, samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }
}

/// One label set of a family and its value.
public struct MetricSample: Sendable, Hashable {
    /// Label names and values, in the order written.
    public var labels: [MetricLabel]
    /// The value.
    public var value: MetricValue

    /// A sample.
    public init(labels: [MetricLabel], value: MetricValue) {
        self.labels = labels
        self.value = value
    }

    /// A counter or gauge sample.
    public init(_ labels: [MetricLabel], _ number: Double) {
        self.init(labels: labels, value: .number(number))
    }
}

/// A label: a name (`[a-zA-Z_][a-zA-Z0-9_]*`) and any text as its value.
public struct MetricLabel: Sendable, Hashable {
    /// The label's name.
    public var name: String
    /// Its value, escaped when written.
    public var value: String

    /// A label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The value of a sample.
public enum MetricValue: Sendable, Hashable {
    /// A counter's or gauge's value.
    case number(Double)
    /// A histogram's buckets, sum and count.
    case histogram(HistogramValue)
}

/// A histogram's observations.
public struct HistogramValue: Sendable, Hashable {
    /// Bucket upper bounds, ascending (`+Inf` is implied).
    public var bounds: [Double]
    /// Observations per bucket, not cumulative: `counts[i]` counts values above `bounds[i-1]`
    /// and up to `bounds[i]`. The text format's cumulative `_bucket` lines are derived from it.
    public var counts: [Int]
    /// The sum of every observation.
    public var sum: Double
    /// How many observations there were (the `+Inf` bucket), including those above the last bound.
    public var count: Int

    /// A histogram.
    public init(bounds: [Double], counts: [Int], sum: Double, count: Int) {
        self.bounds = bounds
        self.counts = counts
        self.sum = sum
        self.count = count
    }
}
