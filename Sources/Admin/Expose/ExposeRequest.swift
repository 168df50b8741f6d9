import Foundation
import Storage

/// The body of `POST /api/v1/expose`, checked field by field into an ``Storage/ExposeSpec``.
///
/// ```json
/// {"hostname": "app.example.com", "protocol": "https", "backends": ["http://10.0.0.5:8080"],
///  "resolver": "le", "challenge": "http-01", "entry_points": ["websecure"]}
/// ```
///
/// - `hostname` (an FQDN) or `name` (a label under `gateway.domain`), exactly one;
/// - `protocol`: `http` or `https` (default);
/// - `backends`: one or more `http(s)://host:port` URLs, or `host:port` with `tls_passthrough`;
/// - `tls_passthrough`: https only; the backends terminate TLS, no certificate is obtained;
/// - `resolver`: default `gateway.resolver`, else the only resolver;
/// - `challenge`: `http-01`, `tls-alpn-01` or `dns-01`, one the resolver can solve (a name
///   proxy's wildcard needs `dns-01`); with `dns_credential`, `dns-01` even when the resolver
///   has no `dnsChallenge`;
/// - `dns_credential`: the id of a stored DNS credential, with `dns-01` only: its provider and
///   its lego tuning publish the DNS-01 records;
/// - `entry_points`: default `web` for http and `websecure` for https.
///
/// Every field is checked before anything is created; all errors are reported together.
public enum ExposeRequest {
    /// The fields a request may hold.
    static let fields: Set<String> = [
        "hostname", "name", "protocol", "backends", "tls_passthrough", "resolver", "challenge", "dns_credential", "entry_points",
    ]
    /// The challenge types.
    static let challenges = ["http-01", "tls-alpn-01", "dns-01"]

    /// The spec `body` asks for under `settings`.
    ///
    /// - Throws: ``InvalidRequest`` with every field at fault.
    public static func parse(_ body: Data, settings: ExposeSettings) throws(InvalidRequest) -> ExposeSpec {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw InvalidRequest(errors: [FieldError(field: "body", message: "expected a JSON object")])
        }
        return try parse(object, settings: settings)
    }

    /// The spec `object` (a decoded JSON object) asks for under `settings`.
    ///
    /// - Throws: ``InvalidRequest`` with every field at fault.
    public static func parse(_ object: [String: Any], settings: ExposeSettings) throws(InvalidRequest) -> ExposeSpec {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        for key in object.keys.sorted() where !fields.contains(key) {
            fail(key, "unknown field (fields: \(fields.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else {
                fail(key, "expected a string")
                return nil
            }
            return text
        }
        func strings(_ key: String) -> [String]? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let array = value as? [Any], array.allSatisfy({ $0 is String }) else {
                fail(key, "expected an array of strings")
                return nil
            }
            return array.compactMap { $0 as? String }
        }

        // Protocol and passthrough first: they decide what the backends are.
        var scheme = "https"
        if let text = string("protocol") {
            if ["http", "https"].contains(text.lowercased()) { scheme = text.lowercased() } else { fail("protocol", "must be \"http\" or \"https\"") }
        }
        var passthrough = false
        if let value = object["tls_passthrough"], !(value is NSNull) {
            if let flag = value as? Bool {
                passthrough = flag
            } else {
                fail("tls_passthrough", "expected true or false")
            }
        }
        if passthrough && scheme == "http" { fail("tls_passthrough", "passthrough forwards TLS: it needs protocol https") }

        // The host: an FQDN, or a name under the gateway's domain.
        var host = ""
        var nameProxy = false
        let hostname = string("hostname")
        let name = string("name")
        switch (hostname, name) {
        case (nil, nil):
            fail("hostname", "give hostname (an FQDN) or name (a name under the gateway's domain)")
        case (.some, .some):
            fail("name", "give hostname or name, not both")
        case (let hostname?, nil):
            if let normalized = HostName.normalized(hostname) {
                host = normalized
                if let domain = settings.gatewayDomain, HostName.isUnder(normalized, domain: domain) {
                    fail("hostname", "\(normalized) is under the gateway's domain \(domain): expose it as a name proxy with \"name\"")
                }
            } else {
                fail("hostname", "\"\(hostname)\" is not a DNS name of two or more labels (letters, digits, hyphens; no wildcard)")
            }
        case (nil, let label?):
            let lowered = label.lowercased()
            if let domain = settings.gatewayDomain {
                if HostName.isLabel(lowered) {
                    host = "\(lowered).\(domain)"
                    nameProxy = true
                } else {
                    fail("name", "\"\(label)\" is not one DNS label (letters, digits, inner hyphens; at most 63)")
                }
            } else {
                fail("name", "name proxies need gateway.domain in the static configuration; give a hostname")
            }
        }
        if nameProxy && passthrough { fail("tls_passthrough", "a name proxy is served under the gateway's wildcard certificate; passthrough is for hostnames") }

        // Backends.
        var backends: [String] = []
        if let list = strings("backends") {
            if list.isEmpty { fail("backends", "at least one backend is required") }
            for (index, text) in list.enumerated() {
                let field = "backends[\(index)]"
                if passthrough {
                    if HostName.hostPort(text) == nil { fail(field, "\"\(text)\" is not host:port (passthrough backends are TCP addresses)") }
                    backends.append(text)
                } else if let url = URL(string: text), let backendScheme = url.scheme?.lowercased(), ["http", "https"].contains(backendScheme),
                          let backendHost = url.host, !backendHost.isEmpty, url.port != nil, url.query == nil, url.fragment == nil,
                          url.user == nil {
                    backends.append(text)
                } else {
                    fail(field, "\"\(text)\" is not an http(s)://host:port URL")
                }
            }
            if Set(backends).count != backends.count { fail("backends", "a backend is listed twice") }
        } else if object["backends"] == nil || object["backends"] is NSNull {
            fail("backends", "at least one backend is required")
        }

        // Certificate: resolver and challenge.
        let needsCertificate = scheme == "https" && !passthrough
        var resolver = string("resolver")
        var challenge = string("challenge").map { $0.lowercased() }
        let dnsCredential = string("dns_credential")
        if let given = challenge, !challenges.contains(given) {
            fail("challenge", "must be one of \(challenges.joined(separator: ", "))")
            challenge = nil
        }
        if needsCertificate {
            if resolver == nil { resolver = settings.defaultResolver }
            if let chosen = resolver {
                if var solvable = settings.resolvers[chosen] {
                    // A stored DNS credential brings its own DNS-01 provider, even to a resolver
                    // without dnsChallenge.
                    if let dnsCredential, !dnsCredential.isEmpty, !solvable.contains("dns-01") { solvable.append("dns-01") }
                    if nameProxy {
                        if let given = challenge, given != "dns-01" {
                            fail("challenge", "a name proxy is served under the wildcard *.\(settings.gatewayDomain ?? ""), which needs dns-01")
                        } else if !solvable.contains("dns-01") {
                            fail("resolver", "resolver \"\(chosen)\" has no DNS-01 challenge; the wildcard *.\(settings.gatewayDomain ?? "") needs one")
                        }
                        challenge = challenge ?? "dns-01"
                    } else if let given = challenge, !solvable.contains(given) {
                        fail("challenge", "resolver \"\(chosen)\" solves \(solvable.isEmpty ? "no challenge" : solvable.joined(separator: ", ")), not \(given)")
                    }
                } else {
                    let known = settings.resolvers.keys.sorted()
                    fail("resolver", "unknown resolver \"\(chosen)\" (resolvers: \(known.isEmpty ? "none configured" : known.joined(separator: ", ")))")
                }
            } else {
                let known = settings.resolvers.keys.sorted()
                fail("resolver", known.isEmpty
                    ? "https needs a certificate and no certificate resolver is configured"
                    : "no default resolver: name one of \(known.joined(separator: ", "))")
            }
        } else {
            if object["resolver"] != nil && !(object["resolver"] is NSNull) { fail("resolver", "only https without passthrough obtains a certificate") }
            if challenge != nil { fail("challenge", "only https without passthrough obtains a certificate") }
            resolver = nil
            challenge = nil
        }
        if let dnsCredential {
            if dnsCredential.isEmpty { fail("dns_credential", "must not be empty") }
            if challenge != "dns-01" { fail("dns_credential", "a DNS credential is used by the dns-01 challenge only") }
        }

        // Entry points.
        var entryPoints: [String] = []
        if let list = strings("entry_points") {
            if list.isEmpty { fail("entry_points", "give at least one entry point, or leave it out for the default") }
            for (index, entryPoint) in list.enumerated() where !settings.entryPoints.contains(entryPoint) {
                fail("entry_points[\(index)]", "unknown entry point \"\(entryPoint)\" (entry points: \(settings.entryPoints.sorted().joined(separator: ", ")))")
            }
            entryPoints = list
        } else {
            let preferred = scheme == "http" ? "web" : "websecure"
            if settings.entryPoints.contains(preferred) {
                entryPoints = [preferred]
            } else {
                fail("entry_points", "no entry point named \(preferred) to default to: name one of \(settings.entryPoints.sorted().joined(separator: ", "))")
            }
        }

        if !errors.isEmpty { throw InvalidRequest(errors: errors) }
        let certificateNames: [String]
        if !needsCertificate {
            certificateNames = []
        } else if nameProxy, let domain = settings.gatewayDomain {
            certificateNames = ["*.\(domain)"]
        } else {
            certificateNames = [host]
        }
        return ExposeSpec(host: host, scheme: scheme, backends: backends, tlsPassthrough: passthrough, resolver: resolver,
                          challenge: challenge, dnsCredential: dnsCredential, entryPoints: entryPoints, nameProxy: nameProxy,
                          certificateNames: certificateNames)
    }
}
