import Foundation

/// A problem document (RFC 7807, as RFC 8555 §6.7 uses it): what the ACME server said went
/// wrong. Unknown members are ignored; an unknown `type` is kept as it is.
public struct ACMEProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The problem's `type` URI. ACME's own types are static members, e.g. ``badNonce``.
    public struct ProblemType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The value as sent on the wire.
        public let rawValue: String

        /// Wraps a value as received.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// An ACME error type by its short name, e.g. `acme("badNonce")`.
        public static func acme(_ name: String) -> ProblemType {
            ProblemType(rawValue: "urn:ietf:params:acme:error:\(name)")
        }

        /// The short name of an ACME error type (`badNonce`), or nil for other URIs.
        public var acmeName: String? {
            let prefix = "urn:ietf:params:acme:error:"
            return self.rawValue.hasPrefix(prefix) ? String(self.rawValue.dropFirst(prefix.count)) : nil
        }

        /// The raw value.
        public var description: String { self.rawValue }

        /// `urn:ietf:params:acme:error:accountDoesNotExist`.
        public static let accountDoesNotExist = acme("accountDoesNotExist")
        /// `urn:ietf:params:acme:error:alreadyReplaced`.
        public static let alreadyReplaced = acme("alreadyReplaced")
        /// `urn:ietf:params:acme:error:alreadyRevoked`.
        public static let alreadyRevoked = acme("alreadyRevoked")
        /// `urn:ietf:params:acme:error:badCSR`.
        public static let badCSR = acme("badCSR")
        /// `urn:ietf:params:acme:error:badNonce`.
        public static let badNonce = acme("badNonce")
        /// `urn:ietf:params:acme:error:badPublicKey`.
        public static let badPublicKey = acme("badPublicKey")
        /// `urn:ietf:params:acme:error:badRevocationReason`.
        public static let badRevocationReason = acme("badRevocationReason")
        /// `urn:ietf:params:acme:error:badSignatureAlgorithm`.
        public static let badSignatureAlgorithm = acme("badSignatureAlgorithm")
        /// `urn:ietf:params:acme:error:caa`.
        public static let caa = acme("caa")
        /// `urn:ietf:params:acme:error:compound`.
        public static let compound = acme("compound")
        /// `urn:ietf:params:acme:error:connection`.
        public static let connection = acme("connection")
        /// `urn:ietf:params:acme:error:dns`.
        public static let dns = acme("dns")
        /// `urn:ietf:params:acme:error:externalAccountRequired`.
        public static let externalAccountRequired = acme("externalAccountRequired")
        /// `urn:ietf:params:acme:error:incorrectResponse`.
        public static let incorrectResponse = acme("incorrectResponse")
        /// `urn:ietf:params:acme:error:invalidContact`.
        public static let invalidContact = acme("invalidContact")
        /// `urn:ietf:params:acme:error:invalidProfile`.
        public static let invalidProfile = acme("invalidProfile")
        /// `urn:ietf:params:acme:error:malformed`.
        public static let malformed = acme("malformed")
        /// `urn:ietf:params:acme:error:orderNotReady`.
        public static let orderNotReady = acme("orderNotReady")
        /// `urn:ietf:params:acme:error:rateLimited`.
        public static let rateLimited = acme("rateLimited")
        /// `urn:ietf:params:acme:error:rejectedIdentifier`.
        public static let rejectedIdentifier = acme("rejectedIdentifier")
        /// `urn:ietf:params:acme:error:serverInternal`.
        public static let serverInternal = acme("serverInternal")
        /// `urn:ietf:params:acme:error:tls`.
        public static let tls = acme("tls")
        /// `urn:ietf:params:acme:error:unauthorized`.
        public static let unauthorized = acme("unauthorized")
        /// `urn:ietf:params:acme:error:unsupportedContact`.
        public static let unsupportedContact = acme("unsupportedContact")
        /// `urn:ietf:params:acme:error:unsupportedIdentifier`.
        public static let unsupportedIdentifier = acme("unsupportedIdentifier")
        /// `urn:ietf:params:acme:error:userActionRequired`.
        public static let userActionRequired = acme("userActionRequired")
    }

    /// The problem type URI.
    public var type: ProblemType
    /// A short summary, when the server gives one.
    public var title: String?
    /// What went wrong, in the server's words.
    public var detail: String?
    /// The HTTP status the server gave with the problem.
    public var status: Int?
    /// A URI for this occurrence, when the server gives one.
    public var instance: String?
    /// Per-identifier problems of a compound error (RFC 8555 §6.7.1).
    public var subproblems: [ACMESubproblem]

    /// A problem document, e.g. for tests.
    public init(
        type: ProblemType, title: String? = nil, detail: String? = nil, status: Int? = nil,
        instance: String? = nil, subproblems: [ACMESubproblem] = []
    ) {
        self.type = type
        self.title = title
        self.detail = detail
        self.status = status
        self.instance = instance
        self.subproblems = subproblems
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, detail, status, instance, subproblems
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // RFC 7807 §4.2: a missing type means "about:blank".
        self.type = try container.decodeIfPresent(ProblemType.self, forKey: .type) ?? ProblemType(rawValue: "about:blank")
        self.title = try container.decodeIfPresent(String.self, forKey: .title)
        self.detail = try container.decodeIfPresent(String.self, forKey: .detail)
        self.status = try container.decodeIfPresent(Int.self, forKey: .status)
        self.instance = try container.decodeIfPresent(String.self, forKey: .instance)
        self.subproblems = try container.decodeIfPresent([ACMESubproblem].self, forKey: .subproblems) ?? []
    }

    /// `type (status): detail; subproblems: …`, one line.
    public var description: String {
        var text = self.type.rawValue
        if let status { text += " (\(status))" }
        if let detail = self.detail ?? self.title { text += ": \(detail)" }
        if !self.subproblems.isEmpty {
            text += "; subproblems: " + self.subproblems.map(\.description).joined(separator: "; ")
        }
        return text
    }
}
