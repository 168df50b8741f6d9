import Foundation
import SwiftASN1
import X509

/// The ARI certificate identifier (RFC 9773 §4.1):
/// `base64url(AKI keyIdentifier) "." base64url(serial number DER content bytes)`.
/// It names a certificate in renewalInfo requests and in a new order's `replaces`.
public struct ACMECertificateIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The identifier text, `<AKI>.<serial>`.
    public let rawValue: String

    /// Wraps an identifier string as received (e.g. an order's `replaces`).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Builds the identifier from the authority key identifier and the serial number's
    /// DER content bytes (two's complement, with its leading zero when the high bit is set).
    public init(authorityKeyIdentifier: some Sequence<UInt8>, serialNumber: some Sequence<UInt8>) {
        self.rawValue = Base64URL.encode(authorityKeyIdentifier) + "." + Base64URL.encode(serialNumber)
    }

    /// The identifier of `certificate`.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when the certificate
    ///   has no authority key identifier with a keyIdentifier.
    public init(certificate: Certificate) throws {
        let aki: AuthorityKeyIdentifier?
        do {
            aki = try certificate.extensions.authorityKeyIdentifier
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: .renewalInfo, url: nil,
                message: "certificate \(certificate.serialNumber) has an unreadable authority key identifier: \(error)",
                underlying: error
            )
        }
        guard let keyIdentifier = aki?.keyIdentifier, !keyIdentifier.isEmpty else {
            throw ACMEError(
                code: .invalidArgument, step: .renewalInfo, url: nil,
                message: "certificate \(certificate.serialNumber) has no authority key identifier, so it has no ARI identifier"
            )
        }
        self.init(authorityKeyIdentifier: keyIdentifier, serialNumber: Self.derContentBytes(of: certificate.serialNumber))
    }

    /// The content octets of the serial number's DER INTEGER: swift-certificates keeps the
    /// magnitude without leading zeros, DER adds one zero byte when the high bit is set
    /// (RFC 9773 §4.1 example: serial `0x87654321` → `AIdlQyE`).
    static func derContentBytes(of serialNumber: Certificate.SerialNumber) -> [UInt8] {
        var bytes = Array(serialNumber.bytes.drop { $0 == 0 })
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return bytes
    }

    /// The raw value.
    public var description: String { self.rawValue }
}
