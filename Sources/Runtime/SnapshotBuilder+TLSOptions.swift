import Config
import Routing
import TLS

/// The `tls.options` of a dynamic configuration, translated, and which routers cannot be
/// served because of them.
struct BuiltTLSOptions: Sendable {
    /// Which options each (entry point, server name) gets.
    let selection: TLSOptionsSelection
    /// HTTP routers to disable (by name, without provider), each with the reason.
    let disabledRouters: [String: String]
    /// Names claimed with different options (served with the default options), as warnings.
    let conflicts: [BuildIssue]
}

extension SnapshotBuilder {
    /// Translates every `tls.options` entry and maps the routers' names onto them, as Traefik
    /// does:
    ///
    /// - each HTTP router with `tls`, for each entry point and each name of its `Host(...)`
    ///   matchers, claims that name with its `tls.options` (`default` when absent); TCP routers
    ///   that terminate TLS claim their `HostSNI(...)` names the same way (`HostSNI(`*`)` and
    ///   regular expressions claim nothing);
    /// - a name claimed with different options gets the default options and is reported;
    /// - an options entry that fails to translate is reported with its key path; the routers
    ///   naming it (for `default`: the TLS routers naming none) are disabled, and the names
    ///   they claimed are refused at the handshake rather than served with other options;
    /// - without `tls.options.default`, the default is ``TLSOptions/builtInDefault``.
    func buildTLSOptions(_ dynamic: DynamicConfiguration, report: (String, String) -> Void) -> BuiltTLSOptions {
        var choices: [String: TLSOptionsSelection.Choice] = [:]
        var broken: [String: String] = [:]
        for (name, options) in dynamic.tls.options.sorted(by: { $0.key < $1.key }) {
            do {
                choices[name] = .options(try TLSOptions(Self.definition(name: name, options)))
            } catch {
                broken[name] = error.description
                report("tls.options.\(name)", error.description)
            }
        }
        let defaultName = TLSOptionsAssignment.defaultName
        let defaultChoice: TLSOptionsSelection.Choice = broken[defaultName] != nil
            ? .refuse : (choices[defaultName] ?? .options(.builtInDefault))

        var assignment = TLSOptionsAssignment()
        var disabled: [String: String] = [:]
        for (name, router) in dynamic.http.routers.sorted(by: { $0.key < $1.key }) {
            guard let rule = try? Rule.parse(router.rule ?? "") else { continue }
            for entryPoint in router.entryPoints ?? defaultEntryPoints {
                guard let tls = staticConfig.entryPoints.effectiveTLS(of: router, on: entryPoint) else { continue }
                let optionsName = tls.options.map(Self.stripProvider).flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
                if let reason = broken[optionsName] {
                    disabled[name] = "tls.options \"\(optionsName)\" cannot be used (\(reason))"
                }
                for domain in rule.domains {
                    assignment.claim(serverName: domain, entryPoint: entryPoint, optionsName: optionsName, router: dynamic.qualifiedName(.httpRouter, name))
                }
            }
        }
        for (name, router) in dynamic.tcp.routers.sorted(by: { $0.key < $1.key }) {
            guard let tls = router.tls, tls.passthrough != true,
                  let rule = try? Rule.parse(router.rule ?? "", kind: .tcp) else { continue }
            let optionsName = tls.options.map(Self.stripProvider).flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
            for entryPoint in router.entryPoints ?? defaultEntryPoints {
                for domain in rule.domains {
                    assignment.claim(serverName: domain, entryPoint: entryPoint, optionsName: optionsName, router: "\(dynamic.qualifiedName(.tcpRouter, name)) (tcp)")
                }
            }
        }

        let (selection, conflicts) = assignment.resolve(options: choices, defaultChoice: defaultChoice)
        var warnings: [BuildIssue] = []
        for conflict in conflicts {
            let issue = BuildIssue(item: "host \"\(conflict.serverName)\"", message: conflict.description)
            logger.warning("TLS options conflict", metadata: ["entryPoint": "\(conflict.entryPoint)", "host": "\(conflict.serverName)", "error": "\(conflict)"])
            warnings.append(issue)
        }
        return BuiltTLSOptions(selection: selection, disabledRouters: disabled, conflicts: warnings)
    }

    /// The TLS layer's view of one entry: the same strings, with the CA files read.
    private static func definition(name: String, _ options: Config.TLSConfiguration.Options) throws(TLSOptionsError) -> TLSOptionsDefinition {
        var caCertificates: [[UInt8]] = []
        for (i, file) in (options.clientAuth?.caFiles ?? []).enumerated() {
            do {
                caCertificates.append(Array(try file.read()))
            } catch {
                throw TLSOptionsError(keyPath: "tls.options.\(name).clientAuth.caFiles[\(i)]", message: "cannot read \(file)")
            }
        }
        return TLSOptionsDefinition(
            name: name,
            minVersion: options.minVersion,
            maxVersion: options.maxVersion,
            cipherSuites: options.cipherSuites,
            curvePreferences: options.curvePreferences,
            alpnProtocols: options.alpnProtocols,
            sniStrict: options.sniStrict,
            clientAuthType: options.clientAuth?.clientAuthType,
            caCertificates: caCertificates
        )
    }
}
