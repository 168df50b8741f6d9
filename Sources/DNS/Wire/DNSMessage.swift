/// A DNS message (RFC 1035 §4.1): header fields, the question and three record sections, and the
/// EDNS(0) information when the message carries an OPT record (RFC 6891).
///
/// Parse with ``init(parsing:)``, write with ``write(to:maximumLength:)`` or ``serialized(maximumLength:)``.
public struct DNSMessage: Sendable, Hashable {
    /// Matches a response to its query.
    public var id: UInt16
    /// QR: false for a query, true for a response.
    public var isResponse: Bool
    /// The kind of query.
    public var opcode: Opcode
    /// AA: the responding server is an authority for the name in the question.
    public var isAuthoritativeAnswer: Bool
    /// TC: the message was cut to fit the transport; ask again over TCP.
    public var isTruncated: Bool
    /// RD: the client asks the server to recurse.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    /// AD: the data was authenticated by DNSSEC (RFC 4035 §3.2.3).
    public var authenticData: Bool
    /// CD: the client does not want DNSSEC checking (RFC 4035 §3.2.2).
    public var checkingDisabled: Bool
    /// The full 12-bit response code (header RCODE plus the OPT record's extension).
    public var responseCode: ResponseCode
    /// The question section; one entry in every message Gatehouse sends.
    public var questions: [Question]
    /// The answer section.
    public var answers: [ResourceRecord]
    /// The authority section.
    public var authority: [ResourceRecord]
    /// The additional section, without the OPT record (see ``edns``).
    public var additional: [ResourceRecord]
    /// The EDNS(0) information, `nil` when the message has no OPT record.
    public var edns: EDNS?

    /// Makes a value from its fields; defaults are documented on each property.
    public init(
        id: UInt16,
        isResponse: Bool = false,
        opcode: Opcode = .query,
        isAuthoritativeAnswer: Bool = false,
        isTruncated: Bool = false,
        recursionDesired: Bool = false,
        recursionAvailable: Bool = false,
        authenticData: Bool = false,
        checkingDisabled: Bool = false,
        responseCode: ResponseCode = .noError,
        questions: [Question] = [],
        answers: [ResourceRecord] = [],
        authority: [ResourceRecord] = [],
        additional: [ResourceRecord] = [],
        edns: EDNS? = nil
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritativeAnswer = isAuthoritativeAnswer
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.edns = edns
    }

    /// The size of the fixed header.
    public static let headerLength = 12
    /// The most a UDP message may carry without EDNS (RFC 1035 §4.2.1).
    public static let classicUDPLimit = 512
}
