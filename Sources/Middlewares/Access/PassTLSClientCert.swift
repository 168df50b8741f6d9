import Config
import Foundation
import TLS

/// `passTLSClientCert`: passes the client's TLS certificate (mutual TLS) to the backend, as
/// Traefik does: the PEM without its delimiters and line breaks, URL-escaped, in
/// `X-Forwarded-Tls-Client-Cert`; the selected fields, URL-escaped, in
/// `X-Forwarded-Tls-Client-Cert-Info`, as `Subject="…";Issuer="…";SerialNumber="…";NB="…";NA="…";SAN="…"`.
/// A request without a client certificate passes unchanged.
public struct PassTLSClientCert: HTTPMiddleware {
    static let pemHeader = "X-Forwarded-Tls-Client-Cert"
    static let infoHeader = "X-Forwarded-Tls-Client-Cert-Info"

    let pem: Bool
    let info: Middleware.CertInfo?

    /// A middleware with `config`'s selection.
    public init(_ config: Middleware.PassTLSClientCert) {
        self.pem = config.pem == true
        self.info = config.info
    }

    public func handleRequest(_ request: inout MiddlewareRequest) -> MiddlewareOutcome {
        guard let certificate = request.clientCertificate else { return .proceed }
        if pem {
            request.head.headers.replaceOrAdd(name: Self.pemHeader, value: Self.queryEscape(Self.bare(certificate.pem)))
        }
        if let info {
            request.head.headers.replaceOrAdd(name: Self.infoHeader, value: Self.queryEscape(Self.describe(certificate, info)))
        }
        return .proceed
    }

    /// The base-64 body of a PEM block, on one line.
    static func bare(_ pem: String) -> String {
        pem.replacingOccurrences(of: "-----BEGIN CERTIFICATE-----", with: "")
            .replacingOccurrences(of: "-----END CERTIFICATE-----", with: "")
            .replacingOccurrences(of: "\n", with: "")
            .replacingOccurrences(of: "\r", with: "")
    }

    /// The selected fields of one certificate, in Traefik's order and spelling.
    static func describe(_ certificate: ClientCertificateInfo, _ info: Middleware.CertInfo) -> String {
        var fields: [String] = []
        if let subject = distinguishedName(certificate.subject, info.subject) { fields.append("Subject=\"\(subject)\"") }
        if let issuer = distinguishedName(certificate.issuer, info.issuer) { fields.append("Issuer=\"\(issuer)\"") }
        if info.serialNumber == true { fields.append("SerialNumber=\"\(certificate.serialNumberDecimal)\"") }
        if info.notBefore == true { fields.append("NB=\"\(Int64(certificate.notBefore.timeIntervalSince1970))\"") }
        if info.notAfter == true { fields.append("NA=\"\(Int64(certificate.notAfter.timeIntervalSince1970))\"") }
        if info.sans == true {
            let sans = certificate.dnsNames + certificate.emailAddresses + certificate.ipAddresses + certificate.uris
            if !sans.isEmpty { fields.append("SAN=\"\(sans.joined(separator: ","))\"") }
        }
        return fields.joined(separator: ";")
    }

    private static func distinguishedName(_ name: ClientCertificateInfo.Name, _ options: Middleware.DistinguishedName?) -> String? {
        guard let options else { return nil }
        var parts: [String] = []
        func add(_ enabled: Bool?, _ key: String, _ values: [String]) {
            if enabled == true { parts += values.map { "\(key)=\($0)" } }
        }
        add(options.domainComponent, "DC", name.domainComponent)
        add(options.country, "C", name.country)
        add(options.province, "ST", name.province)
        add(options.locality, "L", name.locality)
        add(options.organization, "O", name.organization)
        add(options.organizationalUnit, "OU", name.organizationalUnit)
        add(options.serialNumber, "SN", name.serialNumber)
        add(options.commonName, "CN", name.commonName)
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }

    /// Go's `url.QueryEscape`: unreserved characters stay, a space becomes `+`, the rest `%XX`.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
