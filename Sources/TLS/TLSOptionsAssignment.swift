/// Collects which routers claim which server names with which named TLS options, and resolves
/// them into a ``TLSOptionsSelection`` as Traefik does.
///
/// Per entry point, each name of an HTTP router's `Host(...)` (or a TCP router's `HostSNI(...)`)
/// is claimed with the router's `tls.options` (`default` when it names none). A name claimed
/// with one options name gets those options; a name claimed with different ones falls back to
/// the default options, and the conflict is reported.
public struct TLSOptionsAssignment: Sendable {
    /// Routers on one entry point claiming one name with different options.
    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        /// The entry point.
        public let entryPoint: String
        /// The normalised server name.
        public let serverName: String
        /// The options names claimed, sorted.
        public let optionsNames: [String]
        /// The routers claiming the name, sorted.
        public let routers: [String]

        public var description: String {
            "found different TLS options (\(self.optionsNames.joined(separator: ", "))) for routers on the same host \(self.serverName) on entry point \(self.entryPoint) (routers \(self.routers.joined(separator: ", "))), so using the default TLS options instead"
        }
    }

    /// The name routers use for the default options.
    public static let defaultName = "default"

    /// Entry point → normalised name → options name → routers.
    private var claims: [String: [String: [String: Set<String>]]] = [:]

    /// Nothing claimed.
    public init() {}

    /// Records that `router` on `entryPoint` serves `serverName` with the options `optionsName`
    /// (`nil` or `default`: the default options). A `*` or empty name claims nothing.
    public mutating func claim(serverName: String, entryPoint: String, optionsName: String?, router: String) {
        let name = ServerName.normalize(serverName)
        guard !name.isEmpty, name != "*" else { return }
        let options = optionsName.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultName
        self.claims[entryPoint, default: [:]][name, default: [:]][options, default: []].insert(router)
    }

    /// The selection for these claims.
    ///
    /// - Parameters:
    ///   - options: the usable choice for each options name other than `default`; a claimed
    ///     name missing here (unknown or broken options) maps to ``TLSOptionsSelection/Choice/refuse``.
    ///   - defaultChoice: what `default` (and every unclaimed name) gets.
    /// - Returns: the selection, and the names that fell back to the default because of a
    ///   conflict, sorted by entry point and name.
    public func resolve(
        options: [String: TLSOptionsSelection.Choice], defaultChoice: TLSOptionsSelection.Choice
    ) -> (selection: TLSOptionsSelection, conflicts: [Conflict]) {
        var selection = TLSOptionsSelection(defaultChoice: defaultChoice)
        var conflicts: [Conflict] = []
        for (entryPoint, names) in self.claims.sorted(by: { $0.key < $1.key }) {
            for (name, byOptions) in names.sorted(by: { $0.key < $1.key }) {
                guard byOptions.count == 1, let optionsName = byOptions.keys.first else {
                    conflicts.append(Conflict(
                        entryPoint: entryPoint, serverName: name, optionsNames: byOptions.keys.sorted(),
                        routers: byOptions.values.flatMap { $0 }.sorted()
                    ))
                    continue
                }
                guard optionsName != Self.defaultName else { continue }
                selection.set(options[optionsName] ?? .refuse, forServerName: name, entryPoint: entryPoint)
            }
        }
        return (selection, conflicts)
    }
}
