import Foundation

/// One block of a PEM file (RFC 7468): its label (`CERTIFICATE`, `EC PRIVATE KEY` …) and the
/// DER bytes between the BEGIN and END lines.
struct PEMDocument: Hashable {
    var label: String
    var der: [UInt8]

    /// Every block in `text`, in order. Text outside blocks (explanatory lines) is ignored;
    /// blocks with RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) are read as ordinary blocks and
    /// their base64 fails to decode, which the caller reports.
    static func parseAll(_ text: String) throws -> [PEMDocument] {
        var documents: [PEMDocument] = []
        var label: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let current = label {
                if line == "-----END \(current)-----" {
                    guard let der = Data(base64Encoded: body) else {
                        throw DERReader.ParseError(description: "the \(current) block is not valid base64")
                    }
                    documents.append(PEMDocument(label: current, der: Array(der)))
                    label = nil
                    body = ""
                } else if line.hasPrefix("-----") {
                    throw DERReader.ParseError(description: "the \(current) block has no END line")
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                label = String(line.dropFirst(11).dropLast(5))
            }
        }
        if let label {
            throw DERReader.ParseError(description: "the \(label) block has no END line")
        }
        return documents
    }

    /// The PEM text of `der` under `label`, 64 base64 characters per line.
    static func encode(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines: [Substring] = []
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(base64[index..<end])
            index = end
        }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }
}
