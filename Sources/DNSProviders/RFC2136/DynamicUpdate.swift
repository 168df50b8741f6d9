import DNS

/// An RFC 2136 UPDATE for one zone: TXT records to add and TXT records to delete by value.
///
/// RFC 2136 §2: the zone section names the zone (class IN, type SOA); there are no
/// prerequisites; the update section holds the changes. An addition is the record itself
/// (class IN, §2.5.1); a deletion of one value is the record with class NONE and TTL 0
/// (§2.5.4), which leaves the name's other TXT values alone (an apex and its wildcard share a
/// name).
public struct DynamicUpdate: Sendable, Hashable {
    /// One change in the update section.
    public enum Change: Sendable, Hashable {
        /// Adds a TXT record holding `value` at `name`; an identical record already there is
        /// left as is (RFC 2136 §3.4.2.2).
        case addTXT(name: DomainName, value: String, ttl: UInt32)
        /// Deletes the TXT record holding `value` at `name`, if any.
        case deleteTXT(name: DomainName, value: String)
    }

    /// The zone changed.
    public var zone: DomainName
    /// The changes, applied in order and atomically by the server.
    public var changes: [Change]

    /// - Parameters: see the properties.
    public init(zone: DomainName, changes: [Change]) {
        self.zone = zone
        self.changes = changes
    }

    /// The UPDATE message with `id`.
    public func message(id: UInt16) -> DNSMessage {
        DNSMessage(
            id: id,
            opcode: .update,
            questions: [Question(name: self.zone, type: .soa)],
            authority: self.changes.map { change in
                switch change {
                case .addTXT(let name, let value, let ttl):
                    ResourceRecord(name: name, recordClass: .internet, ttl: ttl, data: .txt(value: value))
                case .deleteTXT(let name, let value):
                    ResourceRecord(name: name, recordClass: .none, ttl: 0, data: .txt(value: value))
                }
            }
        )
    }
}
