/// Merges the dynamic configurations of several files.
///
/// A name defined in two or more files is dropped everywhere and reported once,
/// naming every file that defines it; Traefik's file provider would keep the first
/// copy, but silently picking one hides a mistake that is cheap to fix.
enum DynamicMerger {
    static func merge(
        _ parts: [(file: String, configuration: DynamicConfiguration)]
    ) -> (DynamicConfiguration, [ConfigIssue]) {
        var merged = DynamicConfiguration()
        var issues: [ConfigIssue] = []

        func mergeSection<V>(
            _ kind: ConfigItemKind, _ keyPrefix: String,
            _ extract: (DynamicConfiguration) -> [String: V]
        ) -> [String: V] {
            var owners: [String: [String]] = [:]
            var values: [String: V] = [:]
            for part in parts {
                for (name, value) in extract(part.configuration) {
                    owners[name, default: []].append(part.file)
                    values[name] = value
                }
            }
            for (name, files) in owners.sorted(by: { $0.key < $1.key }) where files.count > 1 {
                values[name] = nil
                issues.append(ConfigIssue(
                    item: ConfigItem(kind: kind, name: name),
                    keyPath: "\(keyPrefix).\(name)",
                    message: "\(kind) \"\(name)\" is defined in \(files.count) files; every copy is ignored",
                    files: files
                ))
            }
            return values
        }

        merged.http.routers = mergeSection(.httpRouter, "http.routers") { $0.http.routers }
        merged.http.services = mergeSection(.httpService, "http.services") { $0.http.services }
        merged.http.middlewares = mergeSection(.httpMiddleware, "http.middlewares") { $0.http.middlewares }
        merged.http.serversTransports = mergeSection(.httpServersTransport, "http.serversTransports") { $0.http.serversTransports }
        merged.tcp.routers = mergeSection(.tcpRouter, "tcp.routers") { $0.tcp.routers }
        merged.tcp.services = mergeSection(.tcpService, "tcp.services") { $0.tcp.services }
        merged.tcp.middlewares = mergeSection(.tcpMiddleware, "tcp.middlewares") { $0.tcp.middlewares }
        merged.tcp.serversTransports = mergeSection(.tcpServersTransport, "tcp.serversTransports") { $0.tcp.serversTransports }
        merged.udp.routers = mergeSection(.udpRouter, "udp.routers") { $0.udp.routers }
        merged.udp.services = mergeSection(.udpService, "udp.services") { $0.udp.services }
        merged.tls.options = mergeSection(.tlsOptions, "tls.options") { $0.tls.options }
        merged.tls.stores = mergeSection(.tlsStore, "tls.stores") { $0.tls.stores }
        merged.tls.certificates = parts.flatMap(\.configuration.tls.certificates)
        return (merged, issues)
    }
}
