#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The resolvers the system uses, from `resolv.conf`.
public enum SystemResolvers {
    /// The default location of the resolver configuration.
    public static let defaultPath = "/etc/resolv.conf"

    /// The `nameserver` addresses in the file at `path`, port 53; `127.0.0.1:53` when the file
    /// is missing or names none, which is what the C library does.
    public static func load(path: String = SystemResolvers.defaultPath) -> [DNSAddress] {
        let found = Self.readFile(path).map(Self.parse) ?? []
        return found.isEmpty ? [DNSAddress(host: "127.0.0.1", port: 53)] : found
    }

    /// The `nameserver` lines of a resolv.conf text (resolv.conf(5)); comments start with `#`
    /// or `;`; addresses that are not IP literals are skipped.
    public static func parse(_ text: String) -> [DNSAddress] {
        var resolvers: [DNSAddress] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.prefix { $0 != "#" && $0 != ";" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            let host = String(fields[1])
            // A bare address here, never host:port; parse it as a host only.
            let text = host.contains(":") ? "[\(host)]" : host
            if let address = try? DNSAddress(parsing: text, defaultPort: 53) {
                resolvers.append(address)
            }
        }
        return resolvers
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = fread(&chunk, 1, chunk.count, file)
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
