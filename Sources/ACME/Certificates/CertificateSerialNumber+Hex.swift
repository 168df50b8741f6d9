import X509

extension Certificate.SerialNumber {
    /// The serial number as lowercase hexadecimal, two digits per byte, no separators
    /// (`43fecc3843ead80c`): the form CAs and `openssl x509 -serial` use, unlike
    /// `description`, which drops each byte's leading zero.
    var hexString: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in self.bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
