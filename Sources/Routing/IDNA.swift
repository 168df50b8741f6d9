import Foundation

/// IDNA ToASCII for host names: `bücher.example` → `xn--bcher-kva.example`.
///
/// Each label is mapped as UTS #46 does for the common cases — compatibility-normalised (NFKC, so
/// full-width letters become ASCII), lowercased, then Punycode-encoded with the `xn--` prefix when
/// it is not ASCII. The ideographic full stops (U+3002, U+FF0E, U+FF61) separate labels like `.`.
/// There is no bidi or contextual-joiner validation: this maps names for comparison, it does not
/// police registrations.
public enum IDNA {
    /// The ASCII form of `host`, lowercased; `nil` when a label is empty (other than a final root
    /// label), longer than 63 bytes once encoded, or cannot be encoded.
    public static func toASCII(_ host: some StringProtocol) -> String? {
        if host.utf8.allSatisfy({ $0 < 0x80 }) {
            return asciiLowercased(host)
        }
        var labels: [String] = []
        var current = ""
        for scalar in host.unicodeScalars {
            switch scalar.value {
            case 0x2E, 0x3002, 0xFF0E, 0xFF61:
                labels.append(current)
                current = ""
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        labels.append(current)
        var output: [String] = []
        output.reserveCapacity(labels.count)
        for (index, label) in labels.enumerated() {
            if label.isEmpty {
                // Only the root label (a trailing dot) may be empty.
                guard index == labels.count - 1, index > 0 else { return nil }
                output.append("")
                continue
            }
            guard let encoded = encodeLabel(label) else { return nil }
            output.append(encoded)
        }
        return output.joined(separator: ".")
    }

    /// One label: ASCII labels are lowercased, others mapped and Punycode-encoded.
    static func encodeLabel(_ label: String) -> String? {
        if label.utf8.allSatisfy({ $0 < 0x80 }) {
            return asciiLowercased(label)
        }
        let mapped = label.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCanonicalMapping
        if mapped.utf8.allSatisfy({ $0 < 0x80 }) {
            return mapped
        }
        // A mapped label may contain a full stop again (e.g. from U+2488 "1."), which is not allowed.
        guard !mapped.unicodeScalars.contains(where: { $0 == "." }),
              let punycode = Punycode.encode(mapped) else { return nil }
        let encoded = "xn--" + punycode
        guard encoded.utf8.count <= 63 else { return nil }
        return encoded
    }

    static func asciiLowercased(_ text: some StringProtocol) -> String {
        if !text.utf8.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) { return String(text) }
        return String(decoding: text.utf8.map { Bytes.lowercase($0) }, as: UTF8.self)
    }
}
