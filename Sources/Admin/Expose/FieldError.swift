/// One invalid field of a request: the field's name as sent (`backends[1]`) and what is wrong.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field, e.g. `hostname`, `backends[0]`.
    public let field: String
    /// What is wrong with it.
    public let message: String

    /// - Parameters: see the properties.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `hostname: not a DNS name`.
    public var description: String { "\(field): \(message)" }
}

/// Every invalid field of a request (the request is refused as a whole, 422).
public struct InvalidRequest: Error, Sendable, Hashable, CustomStringConvertible {
    /// The fields at fault, in the order they were checked.
    public let errors: [FieldError]

    /// `invalid request: hostname: …; backends: …`.
    public var description: String {
        "invalid request: " + errors.map(\.description).joined(separator: "; ")
    }
}
