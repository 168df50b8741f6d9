/// Writes metric families in the Prometheus text exposition format, version 0.0.4:
/// `# HELP` and `# TYPE` lines, then one line per sample; histograms as cumulative `_bucket`
/// lines with an `le` label ending at `+Inf`, then `_sum` and `_count`.
public enum PrometheusText {
    /// The Content-Type of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `families` as text, in the order given.
    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                switch sample.value {
                case .number(let number):
                    line(&out, family.name, sample.labels, format(number))
                case .histogram(let histogram):
                    var cumulative = 0
                    for (index, bound) in histogram.bounds.enumerated() {
                        cumulative += index < histogram.counts.count ? histogram.counts[index] : 0
                        line(&out, family.name + "_bucket", sample.labels + [MetricLabel("le", format(bound))], String(cumulative))
                    }
                    line(&out, family.name + "_bucket", sample.labels + [MetricLabel("le", "+Inf")], String(histogram.count))
                    line(&out, family.name + "_sum", sample.labels, format(histogram.sum))
                    line(&out, family.name + "_count", sample.labels, String(histogram.count))
                }
            }
        }
        return out
    }

    private static func line(_ out: inout String, _ name: String, _ labels: [MetricLabel], _ value: String) {
        out += name
        if !labels.isEmpty {
            out += "{"
            out += labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",")
            out += "}"
        }
        out += " "
        out += value
        out += "\n"
    }

    /// A label value with `\`, `"` and line feeds escaped.
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// A help text with `\` and line feeds escaped.
    static func escapeHelp(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// A number as Go's strconv writes it for Prometheus: integers without a fraction,
    /// `+Inf`, `-Inf`, `NaN`.
    static func format(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }
}
