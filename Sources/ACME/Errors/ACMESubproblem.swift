import Foundation

/// One identifier's problem inside a compound problem document.
public struct ACMESubproblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The problem type URI.
    public var type: ACMEProblem.ProblemType
    /// What went wrong, in the server's words.
    public var detail: String?
    /// The identifier the problem is about; RFC 8555 says it should be present.
    public var identifier: ACMEIdentifier?

    /// A subproblem, e.g. for tests.
    public init(type: ACMEProblem.ProblemType, detail: String? = nil, identifier: ACMEIdentifier? = nil) {
        self.type = type
        self.detail = detail
        self.identifier = identifier
    }

    /// `dns:example.com: type: detail`.
    public var description: String {
        var text = ""
        if let identifier { text += "\(identifier): " }
        text += self.type.rawValue
        if let detail { text += ": \(detail)" }
        return text
    }
}
