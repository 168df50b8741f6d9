/// The EDNS(0) pseudo-record of a message (RFC 6891 §6.1): the sender's UDP payload size, the
/// EDNS version, the DO bit and options.
///
/// It travels as an OPT record in the additional section; ``DNSMessage`` takes it out of that
/// section when parsing and puts it back when writing. The upper 8 bits of an extended response
/// code, which the OPT record also carries, live in ``DNSMessage/responseCode``.
public struct EDNS: Sendable, Hashable {
    /// One EDNS option (RFC 6891 §6.1.2), kept as octets.
    public struct Option: Sendable, Hashable {
        /// The OPTION-CODE.
        public var code: UInt16
        /// The OPTION-DATA.
        public var data: [UInt8]

        /// Makes a value from its fields; defaults are documented on each property.
        public init(code: UInt16, data: [UInt8]) {
            self.code = code
            self.data = data
        }
    }

    /// The largest UDP payload the sender can reassemble. Values below 512 mean 512
    /// (RFC 6891 §6.2.3).
    public var udpPayloadSize: UInt16
    /// The EDNS version; only 0 is defined.
    public var version: UInt8
    /// The DNSSEC OK bit (RFC 3225).
    public var dnssecOK: Bool
    /// Options in the order received.
    public var options: [Option]

    /// Makes a value from its fields; defaults are documented on each property.
    public init(udpPayloadSize: UInt16, version: UInt8 = 0, dnssecOK: Bool = false, options: [Option] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }
}
