import NIOSSL

extension ACMEPrivateKey {
    /// The key for NIOSSL, e.g. to serve a TLS-ALPN-01 challenge certificate or an issued
    /// certificate. Treat the result as a secret.
    ///
    /// - Throws: ``ACMEError`` with code ``ACMEError/Code/invalidArgument`` when BoringSSL
    ///   refuses the key (it should not: the key came from swift-crypto).
    public func nioSSLPrivateKey() throws -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(bytes: self.derRepresentation, format: .der)
        } catch {
            throw ACMEError(
                code: .invalidArgument, step: .configuration, url: nil,
                message: "the \(self.keyType) key cannot be loaded into NIOSSL: \(error)", underlying: error
            )
        }
    }
}
