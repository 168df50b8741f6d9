/// One entry of a message's question section (RFC 1035 §4.1.2).
public struct Question: Sendable, Hashable, CustomStringConvertible {
    /// The name asked about.
    public var name: DomainName
    /// The type asked for.
    public var type: RecordType
    /// The class asked for.
    public var recordClass: RecordClass

    /// Makes a value from its fields; defaults are documented on each property.
    public init(name: DomainName, type: RecordType, recordClass: RecordClass = .internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    /// A readable form for logs and error messages.
    public var description: String {
        "\(self.name) \(self.recordClass) \(self.type)"
    }
}
