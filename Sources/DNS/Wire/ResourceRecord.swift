/// One resource record (RFC 1035 §3.2.1, §4.1.3): an owner name, a class, a time to live and
/// typed data. The record's TYPE follows from its ``data``.
public struct ResourceRecord: Sendable, Hashable, CustomStringConvertible {
    /// The owner name.
    public var name: DomainName
    /// The class; ``RecordClass/internet`` for everything Gatehouse serves.
    public var recordClass: RecordClass
    /// Seconds a resolver may cache the record.
    public var ttl: UInt32
    /// The typed data.
    public var data: RecordData

    /// Makes a value from its fields; defaults are documented on each property.
    public init(name: DomainName, recordClass: RecordClass = .internet, ttl: UInt32, data: RecordData) {
        self.name = name
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// The record's TYPE, from its data.
    public var type: RecordType { self.data.type }

    /// The record in master-file style: `name ttl class type data`.
    public var description: String {
        "\(self.name) \(self.ttl) \(self.recordClass) \(self.type) \(self.data)"
    }
}
