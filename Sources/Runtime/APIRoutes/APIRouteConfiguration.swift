import Certificates
import Config
import Storage

/// The dynamic configuration of the routes made through the admin API: plain data, as any
/// provider emits it, so the same builder, validation and certificate demands apply.
///
/// Each active route gives a router and a service named ``Storage/ExposeSpec/itemName``:
/// - http: an HTTP router on its entry points (`web` by default) with a load balancer;
/// - https: an HTTP router with `tls.certResolver` and `tls.domains` (the certificate's names),
///   so the certificate manager keeps renewing it while the route exists;
/// - passthrough: a TCP router on `HostSNI` with `tls.passthrough` and a TCP load balancer.
///
/// Every item is recorded as the ``Config/ConfigProvider/api`` provider's (``Config/ItemOrigins``),
/// so it is named `expose-<host>@api` wherever the gateway names items.
///
/// A prepared route (its operation waiting for the certificate) is not served; it only
/// demands its certificate (``demands(for:)``).
public enum APIRouteConfiguration {
    /// The configuration serving the active routes of `routes`.
    public static func configuration(for routes: [StoredRoute]) -> DynamicConfiguration {
        var configuration = DynamicConfiguration()
        for route in routes where route.state == .active {
            let spec = route.spec
            let name = spec.itemName
            if spec.tlsPassthrough {
                var router = TCPRouter(rule: "HostSNI(`\(spec.host)`)", service: name, entryPoints: spec.entryPoints)
                var tls = RouterTLS()
                tls.passthrough = true
                router.tls = tls
                configuration.tcp.routers[name] = router
                configuration.tcp.services[name] = .loadBalancer(TCPService.LoadBalancer(addresses: spec.backends))
                configuration.origins[.tcpRouter, name] = .api
                configuration.origins[.tcpService, name] = .api
                continue
            }
            var router = HTTPRouter(rule: "Host(`\(spec.host)`)", service: name, entryPoints: spec.entryPoints)
            if spec.scheme == "https" {
                var tls = RouterTLS()
                tls.certResolver = spec.resolver
                if let main = spec.certificateNames.first {
                    tls.domains = [Domain(main: main, sans: spec.certificateNames.count > 1 ? Array(spec.certificateNames.dropFirst()) : nil)]
                }
                router.tls = tls
            }
            configuration.http.routers[name] = router
            configuration.http.services[name] = .loadBalancer(HTTPService.LoadBalancer(urls: spec.backends))
            configuration.origins[.httpRouter, name] = .api
            configuration.origins[.httpService, name] = .api
        }
        return configuration
    }

    /// The certificates demanded by prepared routes (active ones demand theirs through their
    /// router's `tls`).
    public static func demands(for routes: [StoredRoute]) -> [CertificateDemand] {
        routes.compactMap { route in
            guard route.state == .prepared, route.spec.needsCertificate, let resolver = route.spec.resolver,
                  !route.spec.certificateNames.isEmpty else { return nil }
            return CertificateDemand(resolver: resolver, names: route.spec.certificateNames, routers: [ConfigProvider.api.qualify(route.spec.itemName)],
                                     challenge: route.spec.challenge, dnsCredential: route.spec.dnsCredential)
        }
    }

    /// `api` merged into `file`, each item keeping its provider in the merged configuration's
    /// ``Config/DynamicConfiguration/origins``. An API item whose name the file configuration
    /// already uses is left out (the file's stays) and reported: the admin API refuses such
    /// names, so this happens only when a file added one later.
    public static func merge(_ api: DynamicConfiguration, into file: DynamicConfiguration) -> (DynamicConfiguration, [String]) {
        var merged = file
        var origins = file.origins
        var clashes: [String] = []
        func add<V>(_ items: [String: V], to target: inout [String: V], kind: ConfigItemKind, label: String) {
            for (name, value) in items.sorted(by: { $0.key < $1.key }) {
                if target[name] != nil {
                    clashes.append("\(label) \"\(api.qualifiedName(kind, name))\" of the admin API is also defined as "
                        + "\"\(file.qualifiedName(kind, name))\"; that one is used")
                } else {
                    target[name] = value
                    origins[kind, name] = api.provider(of: kind, name)
                }
            }
        }
        add(api.http.routers, to: &merged.http.routers, kind: .httpRouter, label: "router")
        add(api.http.services, to: &merged.http.services, kind: .httpService, label: "service")
        add(api.tcp.routers, to: &merged.tcp.routers, kind: .tcpRouter, label: "tcp router")
        add(api.tcp.services, to: &merged.tcp.services, kind: .tcpService, label: "tcp service")
        merged.origins = origins
        return (merged, clashes)
    }
}
