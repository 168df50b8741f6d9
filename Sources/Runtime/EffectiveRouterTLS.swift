import Config

/// The TLS an HTTP router serves with on an entry point: its own `tls` section, else the entry
/// point's `http.tls` defaults (Traefik makes every router on such an entry point a TLS router,
/// with those options, resolver and domains).
struct EffectiveRouterTLS: Equatable {
    /// `tls.options`, as written (with any provider suffix); `nil` means `default`.
    var options: String?
    /// The resolver that obtains the router's certificates.
    var certResolver: String?
    /// The names to obtain certificates for, instead of the rule's.
    var domains: [Domain]?
}

extension HTTPRouter {
    /// The TLS this router has on an entry point whose `http.tls` is `defaults`, or `nil` when it
    /// is a plain HTTP router there.
    func effectiveTLS(entryPointDefaults defaults: EntryPoint.TLS?) -> EffectiveRouterTLS? {
        if let tls {
            return EffectiveRouterTLS(options: tls.options, certResolver: tls.certResolver, domains: tls.domains)
        }
        if let defaults {
            return EffectiveRouterTLS(options: defaults.options, certResolver: defaults.certResolver, domains: defaults.domains)
        }
        return nil
    }
}

extension Dictionary where Key == String, Value == EntryPoint {
    /// The TLS `router` has on the entry point named `entryPoint`, or `nil` when it is a plain
    /// HTTP router there.
    func effectiveTLS(of router: HTTPRouter, on entryPoint: String) -> EffectiveRouterTLS? {
        router.effectiveTLS(entryPointDefaults: self[entryPoint]?.http?.tls)
    }
}
