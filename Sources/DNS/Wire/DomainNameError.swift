/// Why a text or a list of labels is not a valid ``DomainName``.
public struct DomainNameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with a name.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case emptyLabel
            case labelTooLong
            case nameTooLong
            case badEscape
        }

        private let base: Base

        /// An empty label: an empty text, two dots in a row, or a leading dot.
        public static let emptyLabel = Reason(base: .emptyLabel)
        /// A label longer than 63 octets.
        public static let labelTooLong = Reason(base: .labelTooLong)
        /// More than 255 octets in wire form.
        public static let nameTooLong = Reason(base: .nameTooLong)
        /// A backslash at the end, or `\DDD` that is not three digits worth at most 255.
        public static let badEscape = Reason(base: .badEscape)

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .emptyLabel: "empty label"
            case .labelTooLong: "a label is longer than 63 octets"
            case .nameTooLong: "longer than 255 octets in wire form"
            case .badEscape: "bad backslash escape"
            }
        }
    }

    /// The name as given (labels joined by dots when the name came as labels).
    public let text: String
    /// What is wrong.
    public let reason: Reason

    /// A readable form for logs and error messages.
    public var description: String {
        "DomainNameError: \"\(self.text)\": \(self.reason)"
    }
}
