/// `host:port` as TCP and UDP server addresses are written (`10.0.0.5:53`, `[::1]:53`,
/// `dns.internal:53`).
enum ServerAddress {
    /// The host (without brackets) and port.
    ///
    /// - Throws: ``TCPAddressError`` when the host or port is missing, an IPv6 address lacks its
    ///   brackets, or the port is outside 1…65535.
    static func split(_ address: String) throws(TCPAddressError) -> (String, Int) {
        let host: Substring
        let portText: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]"), address[address.index(after: close)...].hasPrefix(":") else {
                throw TCPAddressError(address: address, reason: "an IPv6 address needs the form [address]:port")
            }
            host = address[address.index(after: address.startIndex)..<close]
            portText = address[address.index(close, offsetBy: 2)...]
        } else {
            guard let colon = address.lastIndex(of: ":") else {
                throw TCPAddressError(address: address, reason: "missing port")
            }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
            if host.contains(":") {
                throw TCPAddressError(address: address, reason: "an IPv6 address needs brackets: [address]:port")
            }
        }
        guard !host.isEmpty else { throw TCPAddressError(address: address, reason: "missing host") }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw TCPAddressError(address: address, reason: "port must be a number from 1 to 65535")
        }
        return (String(host), port)
    }
}
