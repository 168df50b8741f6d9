/// Which TLS options a connection gets, by entry point and server name (SNI): names claimed by
/// routers with `tls.options`, else the default.
///
/// Names are compared normalised (``ServerName/normalize(_:)``: lowercase, no trailing dot) and
/// exactly; wildcards and regular expressions are not mapped (Traefik cannot map `HostRegexp`
/// either). A connection without SNI gets the default.
public struct TLSOptionsSelection: Sendable, Hashable {
    /// What a connection gets.
    public enum Choice: Sendable, Hashable {
        /// Handshake with these options.
        case options(TLSOptions)
        /// Close the connection without a handshake: the options meant for it are broken, and
        /// serving it with others (say, without the client certificate check it asked for)
        /// would be worse than not serving it.
        case refuse
    }

    /// What connections get when their name is not mapped. Default: ``TLSOptions/builtInDefault``.
    public var defaultChoice: Choice
    /// Entry point → normalised server name → choice.
    private(set) var byEntryPoint: [String: [String: Choice]] = [:]

    /// A selection giving every connection `defaultChoice`.
    public init(defaultChoice: Choice = .options(.builtInDefault)) {
        self.defaultChoice = defaultChoice
    }

    /// Gives connections to `entryPoint` that name `serverName` the choice `choice`.
    public mutating func set(_ choice: Choice, forServerName serverName: String, entryPoint: String) {
        self.byEntryPoint[entryPoint, default: [:]][ServerName.normalize(serverName)] = choice
    }

    /// The choice for a connection to `entryPoint` with SNI `serverName`.
    public func choice(forServerName serverName: String?, entryPoint: String) -> Choice {
        guard let serverName else { return self.defaultChoice }
        return self.choice(forNormalizedName: ServerName.normalize(serverName), entryPoint: entryPoint)
    }

    func choice(forNormalizedName name: String, entryPoint: String) -> Choice {
        self.byEntryPoint[entryPoint]?[name] ?? self.defaultChoice
    }

    /// Every option set a connection can get: the default's and each mapped one, without
    /// duplicates, the default first.
    var distinctOptions: [TLSOptions] {
        var seen: [TLSOptions] = []
        var all = [self.defaultChoice]
        for names in self.byEntryPoint.values { all += names.values }
        for case .options(let options) in all where !seen.contains(options) {
            seen.append(options)
        }
        return seen
    }
}
