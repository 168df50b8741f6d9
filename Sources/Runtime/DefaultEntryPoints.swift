import Config

extension Dictionary where Key == String, Value == EntryPoint {
    /// Where routers without `entryPoints` attach: the entry points marked `asDefault`, else every
    /// TCP one (Traefik's rule), sorted by name.
    var defaultRouterEntryPoints: [String] {
        let marked = filter { $0.value.asDefault == true }.map(\.key)
        if !marked.isEmpty { return marked.sorted() }
        return filter { (try? $0.value.parsedAddress.transport) != .udp }.map(\.key).sorted()
    }
}
