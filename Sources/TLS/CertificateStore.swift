import Synchronization

/// The certificate index currently in force, swapped atomically when certificates change.
///
/// Readers take ``current`` once per connection and use that index for the whole handshake; a
/// ``replace(with:)`` affects connections that start afterwards. Safe to use from any thread.
public final class CertificateStore: Sendable {
    private let index: Mutex<CertificateIndex>

    /// - Parameter index: the initial index.
    public init(_ index: CertificateIndex) {
        self.index = Mutex(index)
    }

    /// The index to use for a new connection.
    public var current: CertificateIndex {
        self.index.withLock { $0 }
    }

    /// Publishes `index` for connections that start from now on.
    public func replace(with index: CertificateIndex) {
        self.index.withLock { $0 = index }
    }
}
