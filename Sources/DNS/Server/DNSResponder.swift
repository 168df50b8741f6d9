import Logging
import NIOCore

/// Turns one query into one response: the authoritative logic of the built-in server, without
/// sockets, so the channel handlers only move octets.
///
/// Zones served: each `_acme-challenge.<domain>` name (the label a domain delegates to
/// Gatehouse with an NS record), each configured zone, and, for names in neither, each name
/// that has records (for CNAME targets outside any configured zone). A query for a name in a
/// zone gets an authoritative answer:
///
/// - TXT at a name with values: NOERROR, AA, one TXT record per value.
/// - A name that exists (the zone apex, a name with values, or a name above one: an empty
///   non-terminal) but has no data of the type asked: NOERROR with no answer and the zone's
///   SOA in the authority section (NODATA, RFC 2308 §2.2). SOA and NS at the apex are answered.
/// - Any other name in the zone: NXDOMAIN with the SOA (RFC 2308 §2.1).
///
/// Why the apex is never NXDOMAIN: the parent's NS record says it exists, and resolvers that
/// follow RFC 8020 take NXDOMAIN to mean nothing exists below it either, which would also
/// hide names under it. Between challenges the apex therefore answers NODATA, which validators
/// (pebble, Let's Encrypt's) report as "no TXT record found".
///
/// A name outside every zone gets REFUSED without AA, as authoritative servers answer for
/// zones they do not serve (RFC 8906 §3.1.5): a resolver then tries another server instead of
/// caching a false NXDOMAIN for someone else's name.
struct DNSResponder: Sendable {
    enum Transport: Sendable, CustomStringConvertible {
        case udp
        case tcp

        var description: String {
            switch self {
            case .udp: "udp"
            case .tcp: "tcp"
            }
        }
    }

    let records: DNSChallengeRecords
    let configuration: DNSServer.Configuration
    let logger: Logger

    private let hostmaster: DomainName

    init(records: DNSChallengeRecords, configuration: DNSServer.Configuration, logger: Logger) {
        self.records = records
        self.configuration = configuration
        self.logger = logger
        self.hostmaster = configuration.effectiveHostmaster
    }

    /// Answers the octets of one query. Returns `nil` when nothing should be sent back: fewer
    /// octets than a header, or a message that is itself a response (answering responses
    /// invites loops between servers). Over TCP the result carries the 2-octet length prefix.
    func respond(to query: ByteBuffer, over transport: Transport, from client: SocketAddress?, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let header = DNSMessageHeader(peeking: query), !header.isResponse else {
            self.logger.debug(
                "DNS message dropped",
                metadata: ["client": "\(client.map { "\($0)" } ?? "?")", "transport": "\(transport)", "size": "\(query.readableBytes)"]
            )
            return nil
        }

        let response: DNSMessage
        let maximumLength: Int
        do {
            let message = try DNSMessage(parsing: query)
            response = self.answer(message)
            maximumLength = transport == .tcp ? DNSMessage.maximumLength : self.udpLimit(for: message)
        } catch {
            // RFC 1035 §4.1.1: FORMERR, "the name server was unable to interpret the query".
            response = DNSMessage(
                id: header.id, isResponse: true, opcode: header.opcode,
                recursionDesired: header.has(DNSMessageHeader.recursionDesiredBit), responseCode: .formatError
            )
            maximumLength = DNSMessage.classicUDPLimit
            self.logger.debug(
                "malformed DNS query",
                metadata: ["client": "\(client.map { "\($0)" } ?? "?")", "transport": "\(transport)", "error": "\(error)"]
            )
        }

        var buffer = allocator.buffer(capacity: 512)
        if transport == .tcp {
            buffer.writeInteger(UInt16(0))
        }
        let truncated = response.write(to: &buffer, maximumLength: maximumLength)
        if transport == .tcp {
            buffer.setInteger(UInt16(buffer.readableBytes - 2), at: buffer.readerIndex)
        }
        self.logger.debug(
            "DNS query",
            metadata: [
                "client": "\(client.map { "\($0)" } ?? "?")",
                "transport": "\(transport)",
                "question": "\(response.questions.first.map { "\($0)" } ?? "-")",
                "rcode": "\(response.responseCode)",
                "answers": "\(response.answers.count)",
                "truncated": "\(truncated)",
            ]
        )
        return buffer
    }

    /// The most octets a UDP response to `query` may have: 512 without EDNS, else the smaller
    /// of the client's and our payload size, never below 512 (RFC 6891 §6.2.5).
    func udpLimit(for query: DNSMessage) -> Int {
        guard let edns = query.edns else { return DNSMessage.classicUDPLimit }
        return max(DNSMessage.classicUDPLimit, min(Int(edns.udpPayloadSize), Int(self.configuration.udpPayloadSize)))
    }

    /// The response to a well-formed query.
    func answer(_ query: DNSMessage) -> DNSMessage {
        var response = DNSMessage(
            id: query.id, isResponse: true, opcode: query.opcode,
            recursionDesired: query.recursionDesired, checkingDisabled: query.checkingDisabled,
            questions: query.questions
        )
        if query.edns != nil {
            response.edns = EDNS(udpPayloadSize: self.configuration.udpPayloadSize)
        }
        guard query.opcode == .query else {
            response.responseCode = .notImplemented
            return response
        }
        guard query.questions.count == 1, let question = query.questions.first else {
            response.responseCode = .formatError
            return response
        }
        if let edns = query.edns, edns.version != 0 {
            // RFC 6891 §6.1.3: BADVERS, with an OPT record giving the version we implement.
            response.responseCode = .badVersion
            return response
        }
        guard question.recordClass == .internet || question.recordClass == .any else {
            response.responseCode = .refused
            return response
        }
        guard question.type != .axfr, question.type != .ixfr else {
            // No zone transfers: there are no secondaries, and the records are short-lived.
            response.responseCode = .refused
            return response
        }

        let lookup = self.records.lookup(question.name)
        guard let apex = self.zone(containing: question.name, lookup: lookup) else {
            response.responseCode = .refused
            return response
        }
        response.isAuthoritativeAnswer = true
        let name = question.name
        let isApex = name == apex
        guard isApex || !lookup.values.isEmpty || lookup.hasDescendants else {
            response.responseCode = .nameError
            response.authority = [self.soaRecord(apex: apex)]
            return response
        }

        let ttl = self.configuration.ttl
        if question.type == .txt || question.type == .any {
            response.answers += lookup.values.map { ResourceRecord(name: name, ttl: ttl, data: .txt(value: $0)) }
        }
        if isApex, question.type == .soa || question.type == .any {
            response.answers.append(self.soaRecord(apex: name))
        }
        if isApex, question.type == .ns || question.type == .any {
            response.answers.append(ResourceRecord(name: name, ttl: ttl, data: .ns(self.configuration.nameServer)))
        }
        if response.answers.isEmpty {
            response.authority = [self.soaRecord(apex: apex)]
        }
        return response
    }

    /// The apex of the zone `name` belongs to, or `nil` when the server is not authoritative
    /// for it. The deepest configured zone or `_acme-challenge` name wins; names that are in
    /// neither fall back to the highest name with records at or above them.
    func zone(containing name: DomainName, lookup: DNSChallengeRecords.Lookup) -> DomainName? {
        var best: DomainName? = nil
        for zone in self.configuration.zones where name.isSubdomain(of: zone) {
            if zone.labels.count > best?.labels.count ?? -1 {
                best = zone
            }
        }
        var candidate: DomainName? = name
        while let current = candidate, current.labels.count > best?.labels.count ?? -1 {
            if current.firstLabel(is: "_acme-challenge") {
                // Spelled as in the query (it is a suffix of the query name), so the SOA owner
                // compresses to it and keeps the client's case.
                best = current
                break
            }
            candidate = current.parent
        }
        return best ?? lookup.outermostOwner
    }

    private func soaRecord(apex: DomainName) -> ResourceRecord {
        let ttl = self.configuration.ttl
        let soa = StartOfAuthority(
            primaryServer: self.configuration.nameServer,
            responsibleMailbox: self.hostmaster,
            serial: self.records.serial,
            refresh: 3600,
            retry: 600,
            expire: 86_400,
            minimum: ttl
        )
        return ResourceRecord(name: apex, ttl: ttl, data: .soa(soa))
    }
}
