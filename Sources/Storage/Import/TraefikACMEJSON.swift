import Foundation

/// The content of a Traefik v2/v3 `acme.json` file, as Traefik's local store writes it
/// (`pkg/provider/acme/local_store.go`, `account.go`, `provider.go` in Traefik):
///
/// ```json
/// { "<resolver>": {
///     "Account": { "Email": "…", "Registration": { "body": { "status": "valid", … }, "uri": "https://…/acct/1" },
///                  "PrivateKey": "<base64 of the account key, PKCS#1 DER>", "KeyType": "4096" },
///     "Certificates": [ { "domain": { "main": "example.com", "sans": ["www.example.com"] },
///                         "certificate": "<base64 of the PEM chain>", "key": "<base64 of the PEM key>",
///                         "Store": "default" } ] } }
/// ```
///
/// Go's JSON decoder matches field names case-insensitively, so this reader does too (an exact
/// match wins). Byte slices are standard base64. Certificates with an empty certificate or key
/// are skipped, as Traefik itself drops them when it loads the file.
struct TraefikACMEJSON {
    struct Account {
        var email: String?
        var registrationURL: String?
        var privateKeyDER: [UInt8]?
        var keyType: String?
    }

    struct Certificate {
        /// Where in the file, for messages: `Certificates[2]`.
        var location: String
        var names: [String]
        var certificatePEM: String
        var keyPEM: String
    }

    struct Resolver {
        var account: Account?
        var certificates: [Certificate]
        /// Entries left out, with the reason (no secrets).
        var skipped: [String]
    }

    /// Resolver name → data.
    var resolvers: [String: Resolver]

    /// Why the content is not an acme.json; the importer adds the file name.
    struct FormatError: Error {
        var reason: String
    }

    /// Parses the bytes of a non-empty file.
    init(bytes: [UInt8]) throws {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String).map { " (\($0))" } ?? ""
            throw FormatError(reason: "it is not valid JSON\(detail)")
        }
        guard let top = root as? [String: Any] else {
            throw FormatError(reason: "the top level is not a JSON object of resolvers")
        }
        if let account = Self.field(top, "Account") as? [String: Any], Self.field(account, "PrivateKey") != nil {
            throw FormatError(
                reason: "it is in the Traefik v1 format (an \"Account\" at the top level, no resolver names); "
                    + "convert it with traefik-migration-tool first"
            )
        }
        var resolvers: [String: Resolver] = [:]
        for (name, value) in top {
            if value is NSNull { continue }
            guard let object = value as? [String: Any] else {
                throw FormatError(reason: "resolver \"\(name)\" is not a JSON object")
            }
            resolvers[name] = try Self.resolver(object, name: name)
        }
        self.resolvers = resolvers
    }

    private static func resolver(_ object: [String: Any], name: String) throws -> Resolver {
        let place = "resolver \"\(name)\""
        var account: Account?
        if let value = field(object, "Account") {
            guard let fields = value as? [String: Any] else {
                throw FormatError(reason: "\(place): Account is not a JSON object")
            }
            account = try self.account(fields, place: "\(place): Account")
        }
        var certificates: [Certificate] = []
        var skipped: [String] = []
        if let value = field(object, "Certificates") {
            guard let list = value as? [Any] else {
                throw FormatError(reason: "\(place): Certificates is not a JSON array")
            }
            for (index, item) in list.enumerated() {
                let location = "Certificates[\(index)]"
                guard let fields = item as? [String: Any] else {
                    throw FormatError(reason: "\(place): \(location) is not a JSON object")
                }
                let names = try domainNames(fields, place: "\(place): \(location)")
                let certificate = try base64Field(fields, "certificate", place: "\(place): \(location)")
                let key = try base64Field(fields, "key", place: "\(place): \(location)")
                guard let certificate, !certificate.isEmpty, let key, !key.isEmpty else {
                    skipped.append("\(location) (\(names.joined(separator: ", "))): no certificate or no key")
                    continue
                }
                guard let certificatePEM = String(validating: certificate, as: UTF8.self),
                      let keyPEM = String(validating: key, as: UTF8.self)
                else {
                    throw FormatError(reason: "\(place): \(location): certificate or key is not PEM text")
                }
                certificates.append(Certificate(location: location, names: names, certificatePEM: certificatePEM, keyPEM: keyPEM))
            }
        }
        return Resolver(account: account, certificates: certificates, skipped: skipped)
    }

    private static func account(_ fields: [String: Any], place: String) throws -> Account {
        var account = Account()
        account.email = try stringField(fields, "Email", place: place)
        account.keyType = try stringField(fields, "KeyType", place: place)
        account.privateKeyDER = try base64Field(fields, "PrivateKey", place: place)
        if let value = field(fields, "Registration") {
            guard let registration = value as? [String: Any] else {
                throw FormatError(reason: "\(place): Registration is not a JSON object")
            }
            account.registrationURL = try stringField(registration, "uri", place: "\(place).Registration")
        }
        return account
    }

    private static func domainNames(_ fields: [String: Any], place: String) throws -> [String] {
        guard let value = field(fields, "domain") else {
            throw FormatError(reason: "\(place) has no domain")
        }
        guard let domain = value as? [String: Any] else {
            throw FormatError(reason: "\(place): domain is not a JSON object")
        }
        var names: [String] = []
        if let main = try stringField(domain, "main", place: "\(place).domain"), !main.isEmpty {
            names.append(main)
        }
        if let value = field(domain, "sans") {
            guard let sans = value as? [Any], sans.allSatisfy({ $0 is String }) else {
                throw FormatError(reason: "\(place): domain.sans is not an array of strings")
            }
            names += sans.compactMap { $0 as? String }.filter { !$0.isEmpty }
        }
        guard !names.isEmpty else {
            throw FormatError(reason: "\(place): domain has no main name and no sans")
        }
        return names
    }

    /// The value of `name`: the exact key if present, else a key equal ignoring case. JSON
    /// `null` counts as absent.
    private static func field(_ object: [String: Any], _ name: String) -> Any? {
        let value = object[name] ?? object.first(where: { $0.key.caseInsensitiveCompare(name) == .orderedSame })?.value
        if value is NSNull { return nil }
        return value
    }

    private static func stringField(_ object: [String: Any], _ name: String, place: String) throws -> String? {
        guard let value = field(object, name) else { return nil }
        guard let string = value as? String else {
            throw FormatError(reason: "\(place): \(name) is not a string")
        }
        return string
    }

    /// A Go `[]byte` field: a base64 string.
    private static func base64Field(_ object: [String: Any], _ name: String, place: String) throws -> [UInt8]? {
        guard let string = try stringField(object, name, place: place) else { return nil }
        guard let data = Data(base64Encoded: string) else {
            throw FormatError(reason: "\(place): \(name) is not base64")
        }
        return Array(data)
    }
}
