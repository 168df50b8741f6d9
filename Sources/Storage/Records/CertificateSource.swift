/// Where a certificate record came from. New sources can be added without breaking callers.
public struct CertificateSource: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored name of the source.
    public let rawValue: String

    /// A source stored under `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Ordered by Gatehouse over ACME.
    public static let acme = CertificateSource(rawValue: "acme")
    /// Imported from a Traefik `acme.json` file.
    public static let traefikACMEJSON = CertificateSource(rawValue: "traefik-acme-json")

    /// The raw value.
    public var description: String { rawValue }
}
