import Config
import Routing

/// Parses every router rule of a dynamic configuration, the way ``SnapshotBuilder`` will, and
/// reports the ones that do not parse; `gatehouse check-config` adds these to what the Config
/// part finds on its own (it knows nothing of rule syntax).
public enum RuleCheck {
    /// An issue per HTTP or TCP router whose rule does not parse (a missing rule is reported by
    /// the configuration's own validation).
    public static func issues(_ dynamic: DynamicConfiguration) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (name, router) in dynamic.http.routers.sorted(by: { $0.key < $1.key }) {
            guard let text = router.rule else { continue }
            do {
                _ = try Rule.parse(text, kind: .http)
            } catch {
                issues.append(ConfigIssue(item: ConfigItem(kind: .httpRouter, name: name), keyPath: "http.routers.\(name).rule",
                                          message: "rule \"\(text)\" does not parse: \(error)"))
            }
        }
        for (name, router) in dynamic.tcp.routers.sorted(by: { $0.key < $1.key }) {
            guard let text = router.rule else { continue }
            do {
                _ = try Rule.parse(text, kind: .tcp)
            } catch {
                issues.append(ConfigIssue(item: ConfigItem(kind: .tcpRouter, name: name), keyPath: "tcp.routers.\(name).rule",
                                          message: "rule \"\(text)\" does not parse: \(error)"))
            }
        }
        return issues
    }
}
