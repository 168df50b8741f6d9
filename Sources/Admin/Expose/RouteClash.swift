import Config
import Storage

/// What an expose request would clash with in the file provider's configuration: a router or
/// service of the same name, or a router already matching the same host. The API refuses such
/// a request (409) rather than override a file route, silently or not.
public enum RouteClash {
    /// The clashes of `spec` with `file`, as sentences naming the file's item (`…@file`) and,
    /// for a name clash, the API's item that would get it (`expose-<host>@api`); empty when none.
    public static func clashes(of spec: ExposeSpec, with file: DynamicConfiguration) -> [String] {
        var found: [String] = []
        let name = spec.itemName
        let own = ConfigProvider.api.qualify(name)
        let named: [(ConfigItemKind, String, Bool)] = [
            (.httpRouter, "router", file.http.routers[name] != nil),
            (.httpService, "service", file.http.services[name] != nil),
            (.tcpRouter, "tcp router", file.tcp.routers[name] != nil),
            (.tcpService, "tcp service", file.tcp.services[name] != nil),
        ]
        for (kind, label, taken) in named where taken {
            found.append("\(label) \"\(file.qualifiedName(kind, name))\" has the name this route's \(label) \"\(own)\" would get")
        }
        for (router, config) in file.http.routers.sorted(by: { $0.key < $1.key })
        where HostMatchers(rule: config.rule).names.contains(where: { $0.lowercased() == spec.host }) {
            found.append("router \"\(file.qualifiedName(.httpRouter, router))\" already serves Host(`\(spec.host)`)")
        }
        for (router, config) in file.tcp.routers.sorted(by: { $0.key < $1.key })
        where HostMatchers(rule: config.rule).names.contains(where: { $0.lowercased() == spec.host }) {
            found.append("tcp router \"\(file.qualifiedName(.tcpRouter, router))\" already serves HostSNI(`\(spec.host)`)")
        }
        return found
    }
}
