import Foundation
import SwiftASN1
import X509

extension ACMEClient {
    private struct RevocationPayload: Encodable {
        var certificate: String
        var reason: Int?
    }

    /// Downloads the certificate chain at `url` (RFC 8555 §7.4.2) and, when
    /// `preferredChain` is given and the default chain does not lead to it, the alternate
    /// chains the CA links (`Link: <…>;rel="alternate"`), one by one until one matches.
    ///
    /// - Parameter preferredChain: the common name of the root the chain should lead to,
    ///   matched against the issuer of the chain's topmost certificate (as Traefik and lego
    ///   do). Without a match the default chain is returned.
    public func downloadCertificate(at url: String, preferredChain: String? = nil) async throws -> ACMECertificateChain {
        try await self.downloadChains(at: url, preferredChain: preferredChain).selected
    }

    /// The default chain at `url` followed by every alternate chain the CA links.
    public func downloadCertificateChains(at url: String) async throws -> [ACMECertificateChain] {
        let (chain, alternates) = try await self.downloadChain(at: url)
        var chains = [chain]
        for alternate in alternates {
            chains.append(try await self.downloadChain(at: alternate).chain)
        }
        return chains
    }

    /// The chain chosen for `preferredChain`, every chain downloaded to choose it (default
    /// first), and the alternate URLs the CA linked.
    func downloadChains(
        at url: String,
        preferredChain: String?
    ) async throws -> (selected: ACMECertificateChain, considered: [ACMECertificateChain], alternateURLs: [String]) {
        let (chain, alternates) = try await self.downloadChain(at: url)
        var considered = [chain]
        if let preferredChain, !preferredChain.isEmpty, chain.topIssuerCommonName != preferredChain {
            for alternate in alternates {
                let candidate = try await self.downloadChain(at: alternate).chain
                considered.append(candidate)
                if candidate.topIssuerCommonName == preferredChain {
                    self.logger.debug("ACME chose alternate chain", metadata: [
                        "acme.url": .string(alternate), "acme.preferredChain": .string(preferredChain),
                    ])
                    break
                }
            }
        }
        return (ACMECertificateChain.select(from: considered, preferredChain: preferredChain), considered, alternates)
    }

    private func downloadChain(at url: String) async throws -> (chain: ACMECertificateChain, alternates: [String]) {
        let response = try await self.postAsGet(url, step: .downloadCertificate, accept: "application/pem-certificate-chain")
        guard let pem = String(data: response.body, encoding: .utf8) else {
            throw ACMEError(
                code: .unexpectedResponse, step: .downloadCertificate, url: url,
                message: "the certificate chain is not UTF-8 text", httpStatus: response.status
            )
        }
        let chain = try ACMECertificateChain(pem: pem, url: url)
        let alternates = LinkHeader.targets(response.headers.values("Link"), rel: "alternate", base: url)
        return (chain, alternates)
    }

    /// Revokes a certificate, signed by the account key (RFC 8555 §7.6, `kid`). The CA accepts
    /// it from the account that ordered the certificate, or one holding valid authorizations
    /// for all its names.
    ///
    /// - Parameters:
    ///   - certificate: the certificate to revoke.
    ///   - reason: an RFC 5280 reason code; omitted when nil (the CA records "unspecified").
    /// - Throws: ``ACMEError``: ``ACMEError/Code/noAccount`` without an account URL,
    ///   ``ACMEError/Code/server`` for refusals (`alreadyRevoked`, `unauthorized`, …).
    public func revoke(certificate: Certificate, reason: RevocationReason? = nil) async throws {
        try await self.revoke(try Self.der(certificate), reason: reason, signer: .account)
    }

    /// Revokes a certificate, signed by the certificate's own private key (`jwk` header, no
    /// account needed): for a key that is known or feared to be compromised.
    ///
    /// - Parameters:
    ///   - certificate: the certificate to revoke.
    ///   - reason: an RFC 5280 reason code, e.g. ``RevocationReason/keyCompromise``.
    ///   - certificateKey: the certificate's private key.
    public func revoke(
        certificate: Certificate,
        reason: RevocationReason? = nil,
        certificateKey: ACMEPrivateKey
    ) async throws {
        try await self.revoke(try Self.der(certificate), reason: reason, signer: .jwk(certificateKey))
    }

    /// ``revoke(certificate:reason:)`` for a DER-encoded certificate.
    public func revoke(certificateDER: [UInt8], reason: RevocationReason? = nil) async throws {
        try await self.revoke(certificateDER, reason: reason, signer: .account)
    }

    /// ``revoke(certificate:reason:certificateKey:)`` for a DER-encoded certificate.
    public func revoke(
        certificateDER: [UInt8],
        reason: RevocationReason? = nil,
        certificateKey: ACMEPrivateKey
    ) async throws {
        try await self.revoke(certificateDER, reason: reason, signer: .jwk(certificateKey))
    }

    private func revoke(_ certificate: [UInt8], reason: RevocationReason?, signer: Signer) async throws {
        let url = try await self.directoryURL(\.revokeCert, name: "revokeCert", step: .revokeCertificate)
        let payload = RevocationPayload(certificate: Base64URL.encode(certificate), reason: reason?.code)
        let body = try self.encode(payload, step: .revokeCertificate, url: url)
        _ = try await self.post(url, payload: body, step: .revokeCertificate, signer: signer)
    }

    private static func der(_ certificate: Certificate) throws -> [UInt8] {
        do {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: .revokeCertificate, url: nil,
                message: "certificate \(certificate.serialNumber) does not serialize: \(error)", underlying: error
            )
        }
    }
}
