/// A UDP entry point could not start: which one, on which address, and why.
public struct UDPEntryPointError: Error, CustomStringConvertible {
    enum Reason: Sendable {
        case bindFailed(any Error)
        case noLocalAddress
    }

    /// The entry point's name.
    public let entryPoint: String
    /// The address it was to listen on, `host:port`.
    public let address: String
    let reason: Reason

    init(entryPoint: String, address: String, reason: Reason) {
        self.entryPoint = entryPoint
        self.address = address
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .bindFailed(let error):
            return "UDP entry point \"\(entryPoint)\": cannot listen on \(address)/udp: \(error)"
        case .noLocalAddress:
            return "UDP entry point \"\(entryPoint)\": socket on \(address)/udp has no local address"
        }
    }
}
