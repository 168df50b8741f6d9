/// A fully qualified domain name as a sequence of labels, compared without regard to ASCII case.
///
/// RFC 1035 §2.3.4 and §3.1: a label is 1 to 63 octets, a name is at most 255 octets in wire
/// form (each label with its length octet, plus the terminating zero-length root label).
/// RFC 4343: comparisons ignore the case of ASCII letters only; other octets compare exactly.
/// The original spelling is kept, so a response can echo a query's name exactly as asked (some
/// resolvers randomise the case of their queries and check the echo).
public struct DomainName: Sendable, Hashable, CustomStringConvertible {
    /// The most octets a name takes in wire form, root label included.
    public static let maximumWireLength = 255
    /// The most octets in one label.
    public static let maximumLabelLength = 63

    /// The root name, `.`.
    public static let root = DomainName(uncheckedLabels: [])

    /// The labels from the leftmost (most specific) to the one just below the root; empty for
    /// the root. Each is 1…63 octets.
    public let labels: [[UInt8]]

    /// Makes a name from labels, leftmost first.
    /// - Throws: ``DomainNameError`` when a label is empty or longer than 63 octets, or the
    ///   whole name is longer than 255 octets in wire form.
    public init(labels: [[UInt8]]) throws(DomainNameError) {
        var length = 1
        for label in labels {
            guard !label.isEmpty else { throw DomainNameError(text: Self.render(labels), reason: .emptyLabel) }
            guard label.count <= Self.maximumLabelLength else {
                throw DomainNameError(text: Self.render(labels), reason: .labelTooLong)
            }
            length += 1 + label.count
        }
        guard length <= Self.maximumWireLength else { throw DomainNameError(text: Self.render(labels), reason: .nameTooLong) }
        self.labels = labels
    }

    /// Labels already checked by the caller (the wire parser checks as it reads).
    init(uncheckedLabels: [[UInt8]]) {
        self.labels = uncheckedLabels
    }

    /// Parses the presentation form: labels separated by dots, the final dot optional
    /// (`example.com` and `example.com.` are the same name), `.` alone for the root.
    ///
    /// Inside a label, `\.` and `\\` stand for a literal dot and backslash, and `\DDD` (three
    /// decimal digits) for any octet, as in RFC 1035 §5.1 master files.
    /// - Throws: ``DomainNameError`` naming the text when it is empty, has an empty label
    ///   (`a..b`), a label over 63 octets, a name over 255 octets or a bad escape.
    public init(_ text: String) throws(DomainNameError) {
        if text == "." {
            self = .root
            return
        }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw DomainNameError(text: text, reason: .emptyLabel) }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "."):
                guard !label.isEmpty else { throw DomainNameError(text: text, reason: .emptyLabel) }
                labels.append(label)
                label = []
                index += 1
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw DomainNameError(text: text, reason: .badEscape) }
                let next = bytes[index + 1]
                if Self.isDigit(next) {
                    guard index + 3 < bytes.count, Self.isDigit(bytes[index + 2]), Self.isDigit(bytes[index + 3]) else {
                        throw DomainNameError(text: text, reason: .badEscape)
                    }
                    let value =
                        Int(next - 48) * 100 + Int(bytes[index + 2] - 48) * 10 + Int(bytes[index + 3] - 48)
                    guard value <= 255 else { throw DomainNameError(text: text, reason: .badEscape) }
                    label.append(UInt8(value))
                    index += 4
                } else {
                    label.append(next)
                    index += 2
                }
            default:
                label.append(byte)
                index += 1
            }
        }
        if !label.isEmpty {
            labels.append(label)
        }
        do {
            try self.init(labels: labels)
        } catch {
            throw DomainNameError(text: text, reason: error.reason)
        }
    }

    /// True for the root name.
    public var isRoot: Bool { self.labels.isEmpty }

    /// The octets this name takes in uncompressed wire form.
    public var wireLength: Int {
        self.labels.reduce(1) { $0 + 1 + $1.count }
    }

    /// The name with its leftmost label removed; `nil` for the root.
    public var parent: DomainName? {
        guard !self.labels.isEmpty else { return nil }
        return DomainName(uncheckedLabels: Array(self.labels.dropFirst()))
    }

    /// The name with every ASCII letter in lower case.
    public var lowercased: DomainName {
        DomainName(uncheckedLabels: self.labels.map { $0.map(Self.lowercase) })
    }

    /// True when this name equals `other` or lies below it (`a.example.com` is a subdomain of
    /// `example.com` and of itself; every name is a subdomain of the root).
    public func isSubdomain(of other: DomainName) -> Bool {
        guard self.labels.count >= other.labels.count else { return false }
        let offset = self.labels.count - other.labels.count
        for index in 0..<other.labels.count where !Self.labelsEqual(self.labels[offset + index], other.labels[index]) {
            return false
        }
        return true
    }

    /// The name made of `label` followed by this name.
    /// - Throws: ``DomainNameError`` when the label is empty or too long, or the result is.
    public func prepending(_ label: String) throws(DomainNameError) -> DomainName {
        try DomainName(labels: [Array(label.utf8)] + self.labels)
    }

    /// True when the leftmost label is `label`, ignoring ASCII case.
    public func firstLabel(is label: String) -> Bool {
        guard let first = self.labels.first else { return false }
        return Self.labelsEqual(first, Array(label.utf8))
    }

    /// The name in presentation form with a final dot, such as `_acme-challenge.example.com.`;
    /// dots and backslashes inside labels and octets outside printable ASCII are escaped.
    public var description: String {
        Self.render(self.labels)
    }

    /// Equal when every label is, ignoring ASCII case (RFC 4343).
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (left, right) in zip(lhs.labels, rhs.labels) where !labelsEqual(left, right) {
            return false
        }
        return true
    }

    /// Hashes the lower-cased labels, so names that compare equal hash alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.labels.count)
        for label in self.labels {
            hasher.combine(label.count)
            for byte in label {
                hasher.combine(Self.lowercase(byte))
            }
        }
    }

    // MARK: - Helpers

    static func labelsEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where lowercase(a) != lowercase(b) {
            return false
        }
        return true
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    private static func render(_ labels: [[UInt8]]) -> String {
        guard !labels.isEmpty else { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text.append("\\")
                    text.append(Character(Unicode.Scalar(byte)))
                case 0x21...0x7E:
                    text.append(Character(Unicode.Scalar(byte)))
                default:
                    let digits = String(byte)
                    text.append("\\" + String(repeating: "0", count: 3 - digits.count) + digits)
                }
            }
            text.append(".")
        }
        return text
    }
}
