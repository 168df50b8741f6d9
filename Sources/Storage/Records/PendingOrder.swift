/// An ACME order in flight for a certificate record, stored before the order is finalized so a
/// restart (even after kill -9) resumes it with the same key and does not create a second record.
///
/// The manager stores the reserved key first, then the order URL once the CA has created the
/// order; a record with a key but no URL means "create the order with this key".
public struct PendingOrder: Hashable, Sendable {
    /// The order's URL at the CA, once known.
    public var orderURL: String?
    /// The private key reserved for the order's CSR (PEM bytes). Encrypted at rest.
    public var privateKey: SecretBytes
    /// The reserved key's type, e.g. `EC256` or `RSA2048`.
    public var keyType: String

    /// An in-flight order.
    public init(orderURL: String? = nil, privateKey: SecretBytes, keyType: String) {
        self.orderURL = orderURL
        self.privateKey = privateKey
        self.keyType = keyType
    }
}
