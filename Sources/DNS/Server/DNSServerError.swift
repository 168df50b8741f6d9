/// Why the DNS server could not start, naming the address.
public struct DNSServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Reason: Sendable, CustomStringConvertible {
        private enum Base: Sendable {
            case bindFailed(transport: String, error: String)
            case noLocalAddress
        }

        private let base: Base

        /// A socket could not be bound; `transport` is "UDP" or "TCP".
        static func bindFailed(transport: String, error: any Error) -> Reason {
            Reason(base: .bindFailed(transport: transport, error: "\(error)"))
        }

        /// A bound socket reported no local address.
        static let noLocalAddress = Reason(base: .noLocalAddress)

        /// True when a socket could not be bound.
        public var isBindFailure: Bool {
            if case .bindFailed = self.base { return true }
            return false
        }

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .bindFailed(let transport, let error): "cannot listen on \(transport): \(error)"
            case .noLocalAddress: "the socket has no local address"
            }
        }
    }

    /// The listening address, `host:port`.
    public let address: String
    /// What went wrong.
    public let reason: Reason

    /// A readable form for logs and error messages.
    public var description: String {
        "DNSServerError: \(self.address): \(self.reason)"
    }
}
