import Storage
import SwiftASN1
import X509

extension CertificateRecord {
    /// The leaf of the stored chain (its first PEM certificate), or `nil` when nothing was issued.
    func leafCertificate() throws -> Certificate? {
        guard let chain = chainPEM, let first = try PEMDocument.parseMultiple(pemString: chain).first else { return nil }
        return try Certificate(pemDocument: first)
    }
}
