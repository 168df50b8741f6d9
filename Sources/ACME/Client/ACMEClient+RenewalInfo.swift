import Foundation
import X509

extension ACMEClient {
    /// The CA's renewal information for a certificate (RFC 9773 §4.1): an unauthenticated GET
    /// of `<renewalInfo>/<certificate identifier>`.
    ///
    /// - Returns: the suggested window, explanation URL and `Retry-After`; nil when the CA's
    ///   directory has no `renewalInfo` (fall back to a fraction of the lifetime then).
    /// - Throws: ``ACMEError``: ``ACMEError/Code/server`` or
    ///   ``ACMEError/Code/unexpectedResponse`` when the CA refuses or answers nonsense (a window
    ///   that ends before it starts, say).
    public func renewalInfo(for identifier: ACMECertificateIdentifier) async throws -> ACMERenewalInfo? {
        guard var base = try await self.directory().renewalInfo else { return nil }
        if base.hasSuffix("/") { base.removeLast() }
        let url = base + "/" + identifier.rawValue
        let response = try await self.send(ACMEHTTPRequest(method: .get, url: url), step: .renewalInfo)
        guard response.isSuccess else { throw self.error(for: response, step: .renewalInfo, url: url) }
        var info: ACMERenewalInfo = try self.decode(response, step: .renewalInfo, url: url)
        guard info.suggestedWindow.end > info.suggestedWindow.start else {
            throw ACMEError(
                code: .unexpectedResponse, step: .renewalInfo, url: url,
                message: "the suggested window does not end after it starts", httpStatus: response.status
            )
        }
        info.retryAfter = self.retryAfter(of: response).map(ACMERenewalInfo.clamp(retryAfter:))
        return info
    }

    /// ``renewalInfo(for:)`` for a parsed certificate; its identifier is computed from the
    /// authority key identifier and serial number (``ACMECertificateIdentifier/init(certificate:)``).
    public func renewalInfo(for certificate: Certificate) async throws -> ACMERenewalInfo? {
        guard try await self.directory().renewalInfo != nil else { return nil }
        return try await self.renewalInfo(for: try ACMECertificateIdentifier(certificate: certificate))
    }
}
