/// Why a text is not a usable ``DNSAddress``.
public struct DNSAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with an address.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case badHost
            case badPort
            case noHost
        }

        private let base: Base

        /// The host is not an IP address (host names are not resolved here).
        public static let badHost = Reason(base: .badHost)
        /// The port is not a number in 0…65535.
        public static let badPort = Reason(base: .badPort)
        /// An address without a host (`:53`) where one is needed, such as a resolver.
        public static let noHost = Reason(base: .noHost)

        /// A readable form for logs and error messages.
        public var description: String {
            switch self.base {
            case .badHost: "the host is not an IP address"
            case .badPort: "the port is not a number from 0 to 65535"
            case .noHost: "no host given"
            }
        }
    }

    /// The address as given.
    public let text: String
    /// What is wrong.
    public let reason: Reason

    /// A readable form for logs and error messages.
    public var description: String {
        "DNSAddressError: \"\(self.text)\": \(self.reason)"
    }
}
