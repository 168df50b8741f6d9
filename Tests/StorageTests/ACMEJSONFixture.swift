import Crypto
import Foundation

/// A realistic Traefik v3 acme.json, written the way Traefik writes it, from real keys and
/// certificates made in the test: an RSA account key (PKCS#1 DER, as Traefik stores it), a CA,
/// and two leaves signed by it, one with an openssl SEC 1 key (as lego writes them) and one with
/// a swift-crypto P-384 key (PKCS#8), plus an entry without certificate, which Traefik drops.
struct ACMEJSONFixture {
    static let caSubject = "/O=Gatehouse Tests/CN=Gatehouse Test Intermediate"
    static let caIssuer = "CN=Gatehouse Test Intermediate,O=Gatehouse Tests"
    static let accountURL = "https://acme.example/acme/acct/123456"

    var accountKeyDER: [UInt8]
    var firstChainPEM: String
    var firstKeyPEM: String
    var firstLeafPath: String
    var secondChainPEM: String
    var secondKeyPEM: String
    /// The file's JSON object.
    var json: [String: Any]

    /// Makes the keys and certificates with openssl in `directory`.
    init(directory: String) throws {
        try openssl(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "365", "-subj", Self.caSubject,
            ],
            in: directory
        )
        try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "account.pem"], in: directory)
        try openssl(["rsa", "-in", "account.pem", "-traditional", "-outform", "DER", "-out", "account.der"], in: directory)
        accountKeyDER = try Self.bytes("account.der", in: directory)

        // Leaf 1: SEC 1 "EC PRIVATE KEY", as lego writes certificate keys.
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf1.key"], in: directory)
        try Self.issue(
            key: "leaf1.key", name: "leaf1", serial: "0x00ab12cd34",
            sans: "DNS:example.com,DNS:www.example.com", in: directory
        )
        firstKeyPEM = try Self.text("leaf1.key", in: directory)
        firstChainPEM = try Self.text("leaf1.crt", in: directory) + Self.text("ca.crt", in: directory)
        firstLeafPath = (directory as NSString).appendingPathComponent("leaf1.crt")

        // Leaf 2: a swift-crypto P-384 key, PKCS#8 "PRIVATE KEY".
        secondKeyPEM = P384.Signing.PrivateKey().pemRepresentation + "\n"
        try secondKeyPEM.write(toFile: (directory as NSString).appendingPathComponent("leaf2.key"), atomically: false, encoding: .utf8)
        try Self.issue(
            key: "leaf2.key", name: "leaf2", serial: "0x7f01",
            sans: "DNS:*.wild.example.org,DNS:wild.example.org", in: directory
        )
        secondChainPEM = try Self.text("leaf2.crt", in: directory) + Self.text("ca.crt", in: directory)

        json = [
            "le": [
                "Account": [
                    "Email": "ops@example.com",
                    "Registration": [
                        "body": ["status": "valid", "contact": ["mailto:ops@example.com"]],
                        "uri": Self.accountURL,
                    ],
                    "PrivateKey": Data(accountKeyDER).base64EncodedString(),
                    "KeyType": "4096",
                ] as [String: Any],
                "Certificates": [
                    [
                        "domain": ["main": "example.com", "sans": ["www.example.com"]],
                        "certificate": Data(firstChainPEM.utf8).base64EncodedString(),
                        "key": Data(firstKeyPEM.utf8).base64EncodedString(),
                        "Store": "default",
                    ] as [String: Any],
                    [
                        "domain": ["main": "*.wild.example.org", "sans": ["wild.example.org"]],
                        "certificate": Data(secondChainPEM.utf8).base64EncodedString(),
                        "key": Data(secondKeyPEM.utf8).base64EncodedString(),
                        "Store": "default",
                    ] as [String: Any],
                    [
                        "domain": ["main": "broken.example.net"],
                        "certificate": "",
                        "key": "",
                        "Store": "default",
                    ] as [String: Any],
                ],
            ] as [String: Any],
            "staging": ["Account": NSNull(), "Certificates": NSNull()] as [String: Any],
        ]
    }

    /// The JSON text, indented as Traefik writes it.
    func data() throws -> Data {
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    }

    private static func issue(key: String, name: String, serial: String, sans: String, in directory: String) throws {
        try "subjectAltName=\(sans)\n".write(
            toFile: (directory as NSString).appendingPathComponent("\(name).ext"), atomically: false, encoding: .utf8
        )
        try openssl(["req", "-new", "-key", key, "-subj", "/CN=\(name)", "-out", "\(name).csr"], in: directory)
        try openssl(
            [
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial,
                "-days", "90", "-extfile", "\(name).ext", "-out", "\(name).crt",
            ],
            in: directory
        )
    }

    private static func bytes(_ name: String, in directory: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name))))
    }

    private static func text(_ name: String, in directory: String) throws -> String {
        try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)
    }
}
