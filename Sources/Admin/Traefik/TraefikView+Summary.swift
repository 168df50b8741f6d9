import Config
import Storage

extension TraefikView {
    /// `/api/rawdata`: every item's info, by qualified name, grouped as Traefik's
    /// `RunTimeRepresentation` (empty groups left out).
    func rawData() -> JSONValue {
        var object = JSONObject()
        func put(_ key: String, _ infos: [String: JSONObject]) {
            guard !infos.isEmpty else { return }
            object.set(key, JSONValue.object(infos.mapValues(\.value)))
        }
        put("routers", httpRouterInfos())
        put("middlewares", httpMiddlewareInfos())
        put("services", httpServiceInfos())
        put("tcpRouters", tcpRouterInfos())
        put("tcpMiddlewares", tcpMiddlewareInfos())
        put("tcpServices", tcpServiceInfos())
        put("udpRouters", udpRouterInfos())
        put("udpServices", udpServiceInfos())
        return object.value
    }

    /// `/api/overview`: totals, warnings and errors per kind of item, features and providers.
    func overview() -> JSONValue {
        func counts(_ infos: [String: JSONObject]) -> JSONValue {
            let disabled = infos.values.filter { $0["status"] == .string("disabled") }.count
            let warnings = infos.values.filter { $0["status"] == .string("warning") }.count
            return .object(["total": .int(infos.count), "warnings": .int(warnings), "errors": .int(disabled)])
        }
        let empty = counts([:])
        return .object([
            "http": .object([
                "routers": counts(httpRouterInfos()),
                "services": counts(httpServiceInfos()),
                "middlewares": counts(httpMiddlewareInfos()),
            ]),
            "tcp": .object([
                "routers": counts(tcpRouterInfos()),
                "services": counts(tcpServiceInfos()),
                "middlewares": counts(tcpMiddlewareInfos()),
            ]),
            "udp": .object([
                "routers": counts(udpRouterInfos()),
                "services": counts(udpServiceInfos()),
                "middlewares": empty,
            ]),
            "features": .object([
                "tracing": .string(""),
                "metrics": .string(""),
                "accessLog": .bool(state.accessLog),
            ]),
            "providers": .strings(state.providers),
        ])
    }

    /// `/api/entrypoints`: the static entry points with their name, sorted by name.
    func entryPoints() -> [JSONObject] {
        state.entryPoints.sorted { $0.key < $1.key }.map { name, entryPoint in
            var object = JSONObject()
            object.set("name", name)
            object.set("address", entryPoint.address)
            object.set("asDefault", entryPoint.asDefault)
            var lifeCycle = JSONObject()
            lifeCycle.set("requestAcceptGraceTimeout", Self.duration(entryPoint.requestAcceptGraceTimeout))
            lifeCycle.set("graceTimeOut", Self.duration(entryPoint.graceTimeOut))
            var timeouts = JSONObject()
            timeouts.set("readTimeout", Self.duration(entryPoint.readTimeout))
            timeouts.set("writeTimeout", Self.duration(entryPoint.writeTimeout))
            timeouts.set("idleTimeout", Self.duration(entryPoint.idleTimeout))
            object.set("transport", JSONValue.object(["lifeCycle": lifeCycle.value, "respondingTimeouts": timeouts.value]))
            if let headers = entryPoint.forwardedHeaders {
                var forwarded = JSONObject()
                forwarded.set("insecure", headers.insecure)
                forwarded.set("trustedIPs", headers.trustedIPs)
                object.set("forwardedHeaders", forwarded)
            }
            if let http = entryPoint.http {
                var options = JSONObject()
                options.set("middlewares", http.middlewares)
                if let tls = http.tls {
                    var tlsObject = JSONObject()
                    tlsObject.set("options", tls.options)
                    tlsObject.set("certResolver", tls.certResolver)
                    options.set("tls", tlsObject)
                }
                if let redirect = http.redirections?.entryPoint {
                    var entry = JSONObject()
                    entry.set("to", redirect.to)
                    entry.set("scheme", redirect.scheme)
                    entry.set("permanent", redirect.permanent)
                    entry.set("priority", redirect.priority)
                    options.set("redirections", JSONValue.object(["entryPoint": entry.value]))
                }
                object.set("http", options)
            }
            return object
        }
    }
}
