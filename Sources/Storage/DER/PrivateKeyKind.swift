/// What kind of private key a DER structure holds, and its Gatehouse key type name (`EC256`,
/// `EC384`, `RSA2048`, `RSA4096`, … the names Traefik's `keyType` option uses), found by
/// walking the outer structure of PKCS#1 (`RSA PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`) or
/// PKCS#8 (`PRIVATE KEY`) without touching the secret values' meaning.
struct PrivateKeyKind: Hashable {
    /// The PEM label that fits the structure.
    var pemLabel: String
    /// The key type name, e.g. `EC256`, `RSA4096`, `Ed25519`; `nil` when the curve or algorithm
    /// is not one Gatehouse names.
    var keyType: String?

    private static let rsaEncryption = "1.2.840.113549.1.1.1"
    private static let ecPublicKey = "1.2.840.10045.2.1"
    private static let ed25519 = "1.3.101.112"

    /// Recognizes `der` as PKCS#8, PKCS#1 RSA or SEC 1 EC.
    init(der: [UInt8]) throws {
        var outer = DERReader(der)
        let sequence = try outer.next(DERReader.Tag.sequence, "private key")
        var fields = DERReader(sequence.content)
        _ = try fields.next(DERReader.Tag.integer, "private key version")
        switch fields.peekTag {
        case DERReader.Tag.sequence:
            // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING privateKey.
            let algorithm = try fields.next()
            var algorithmFields = DERReader(algorithm.content)
            let oid = try DERReader.objectIdentifier(try algorithmFields.next(DERReader.Tag.objectIdentifier, "key algorithm").content)
            self.pemLabel = "PRIVATE KEY"
            switch oid {
            case Self.rsaEncryption:
                let inner = try fields.next(DERReader.Tag.octetString, "PKCS#8 private key")
                self.keyType = try Self.rsaKeyType(Array(inner.content))
            case Self.ecPublicKey:
                let curve = try algorithmFields.next(DERReader.Tag.objectIdentifier, "EC curve")
                self.keyType = Self.ecKeyType(curve: try DERReader.objectIdentifier(curve.content))
            case Self.ed25519:
                self.keyType = "Ed25519"
            default:
                self.keyType = nil
            }
        case DERReader.Tag.integer:
            // PKCS#1 RSAPrivateKey: version, modulus, …
            self.pemLabel = "RSA PRIVATE KEY"
            self.keyType = try Self.rsaKeyType(der)
        case DERReader.Tag.octetString:
            // SEC 1 ECPrivateKey: version, OCTET STRING key, [0] curve OID, [1] public key.
            _ = try fields.next()
            self.pemLabel = "EC PRIVATE KEY"
            self.keyType = nil
            if fields.peekTag == DERReader.Tag.contextConstructed0 {
                var parameters = DERReader(try fields.next().content)
                let curve = try parameters.next(DERReader.Tag.objectIdentifier, "EC curve")
                self.keyType = Self.ecKeyType(curve: try DERReader.objectIdentifier(curve.content))
            }
        default:
            throw DERReader.ParseError(description: "not a PKCS#1, PKCS#8 or SEC 1 private key")
        }
    }

    /// The key type of the first private key block in `pem`.
    init(pem: String) throws {
        guard let block = try PEMDocument.parseAll(pem).first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw DERReader.ParseError(description: "no PRIVATE KEY block")
        }
        try self.init(der: block.der)
    }

    private static func rsaKeyType(_ pkcs1: [UInt8]) throws -> String {
        var outer = DERReader(pkcs1)
        var fields = DERReader(try outer.next(DERReader.Tag.sequence, "RSA private key").content)
        _ = try fields.next(DERReader.Tag.integer, "RSA version")
        let modulus = try fields.next(DERReader.Tag.integer, "RSA modulus").content.drop(while: { $0 == 0 })
        guard let top = modulus.first else { throw DERReader.ParseError(description: "RSA modulus is zero") }
        let bits = (modulus.count - 1) * 8 + (8 - top.leadingZeroBitCount)
        // Round to the nominal size (a 4096-bit key's modulus has exactly 4096 bits; be lenient).
        let nominal = ((bits + 7) / 8) * 8
        return "RSA\(nominal)"
    }

    private static func ecKeyType(curve: String) -> String? {
        switch curve {
        case "1.2.840.10045.3.1.7": "EC256"
        case "1.3.132.0.34": "EC384"
        case "1.3.132.0.35": "EC521"
        default: nil
        }
    }
}
