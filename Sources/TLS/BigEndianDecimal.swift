/// A big-endian unsigned integer of any length (a certificate serial number) in decimal, as Go
/// prints a `*big.Int` and Traefik passes it on.
public enum BigEndianDecimal {
    /// `bytes` read as one big-endian number, in decimal digits; `"0"` for none.
    public static func string(_ bytes: some Collection<UInt8>) -> String {
        // Repeated division of the big-endian bytes by 10.
        var number = Array(bytes.drop { $0 == 0 })
        var digits: [UInt8] = []
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(number.count)
            for byte in number {
                let value = remainder * 256 + Int(byte)
                let digit = value / 10
                remainder = value % 10
                if !(quotient.isEmpty && digit == 0) { quotient.append(UInt8(digit)) }
            }
            digits.append(UInt8(remainder))
            number = quotient
        }
        return digits.isEmpty ? "0" : String(digits.reversed().map { Character(String($0)) })
    }
}
