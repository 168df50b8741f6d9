import Config
import Storage

/// What an expose request would clash with in the file provider's configuration: a router or
/// service of the same name, or a router already matching the same host. The API refuses such
/// a request (409) rather than override a file route, silently or not.
public enum RouteClash {
    /// The clashes of `spec` with `file`, as sentences naming the file's item; empty when none.
    public static func clashes(of spec: ExposeSpec, with file: DynamicConfiguration) -> [String] {
        var found: [String] = []
        let name = spec.itemName
        if file.http.routers[name] != nil { found.append("router \"\(name)@file\" has the name this route would get") }
        if file.http.services[name] != nil { found.append("service \"\(name)@file\" has the name this route would get") }
        if file.tcp.routers[name] != nil { found.append("tcp router \"\(name)@file\" has the name this route would get") }
        if file.tcp.services[name] != nil { found.append("tcp service \"\(name)@file\" has the name this route would get") }
        for (router, config) in file.http.routers.sorted(by: { $0.key < $1.key })
        where HostMatchers(rule: config.rule).names.contains(where: { $0.lowercased() == spec.host }) {
            found.append("router \"\(router)@file\" already serves Host(`\(spec.host)`)")
        }
        for (router, config) in file.tcp.routers.sorted(by: { $0.key < $1.key })
        where HostMatchers(rule: config.rule).names.contains(where: { $0.lowercased() == spec.host }) {
            found.append("tcp router \"\(router)@file\" already serves HostSNI(`\(spec.host)`)")
        }
        return found
    }
}
