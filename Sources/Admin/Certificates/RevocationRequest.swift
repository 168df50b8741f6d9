import Foundation
import NIOCore

/// The optional body of `POST /api/v1/certificates/{id}/revoke`: `{"reason": 4}` or
/// `{"reason": "superseded"}` (RFC 5280 §5.3.1 CRLReason; ACME allows the codes below, RFC 8555
/// §7.6). No body means unspecified.
enum RevocationRequest {
    /// The RFC 5280 reason names ACME accepts, by code.
    static let reasons: [String: Int] = [
        "unspecified": 0, "keyCompromise": 1, "affiliationChanged": 3, "superseded": 4, "cessationOfOperation": 5,
    ]

    /// A body that is not a usable revocation request.
    struct Invalid: Error, CustomStringConvertible {
        /// What is wrong with it.
        let reason: String
        /// `revocation request: …`.
        var description: String { "revocation request: \(reason)" }
    }

    /// The body's shape: `reason` as a code or a name.
    private struct Body: Decodable {
        enum Reason {
            case code(Int)
            case name(String)
        }

        var reason: Reason?

        private enum CodingKeys: String, CodingKey { case reason }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let code = try? container.decodeIfPresent(Int.self, forKey: .reason) {
                reason = .code(code)
            } else if let name = try? container.decodeIfPresent(String.self, forKey: .reason) {
                reason = .name(name)
            } else if container.contains(.reason), try !container.decodeNil(forKey: .reason) {
                throw Invalid(reason: "reason must be a number or a name")
            } else {
                reason = nil
            }
        }
    }

    /// The reason code in `body`; `nil` for an empty body or one without `reason`.
    static func reason(in body: ByteBuffer) throws -> Int? {
        guard body.readableBytes > 0 else { return nil }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(buffer: body))
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid(reason: "the body is not a JSON object with an optional reason")
        }
        let allowed = reasons.sorted { $0.value < $1.value }.map { "\($0.value) (\($0.key))" }.joined(separator: ", ")
        switch decoded.reason {
        case nil:
            return nil
        case .code(let code):
            guard reasons.values.contains(code) else { throw Invalid(reason: "reason \(code) is not one of \(allowed)") }
            return code
        case .name(let name):
            guard let code = reasons[name] else { throw Invalid(reason: "unknown reason \"\(name)\" (one of \(allowed))") }
            return code
        }
    }
}
