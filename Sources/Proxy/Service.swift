import Synchronization

/// A load-balanced group of backends: Traefik's `http.services.<name>.loadBalancer`.
///
/// Picking a server is lock-free: weights are expanded once into a smooth weighted
/// round-robin schedule, and a shared atomic counter walks it.
public final class Service: Sendable {
    public let name: String
    public let servers: [Upstream]
    /// Forward the client's Host header (Traefik's `passHostHeader`, default `true`).
    public let passHostHeader: Bool
    private let schedule: [Int]
    private let counter = Atomic<Int>(0)

    public init(name: String, servers: [Upstream], passHostHeader: Bool = true) {
        self.name = name
        self.servers = servers
        self.passHostHeader = passHostHeader
        self.schedule = Service.smoothWeightedSchedule(weights: servers.map(\.weight))
    }

    /// The next server, or `nil` when the service has none with a positive weight.
    @inline(__always)
    public func nextServer() -> Upstream? {
        switch schedule.count {
        case 0: return nil
        case 1: return servers[schedule[0]]
        default:
            let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
            return servers[schedule[(n & Int.max) % schedule.count]]
        }
    }

    /// Nginx's smooth weighted round robin, unrolled into one period (weights reduced by their gcd,
    /// the period capped so that very large weights keep proportions approximately).
    static func smoothWeightedSchedule(weights: [Int]) -> [Int] {
        var w = weights.map { max(0, $0) }
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = w.reduce(0, gcd)
        guard g > 0 else { return [] }
        w = w.map { $0 / g }
        let total = w.reduce(0, +)
        if total > 4096 {
            let scale = Double(4096) / Double(total)
            w = w.map { $0 == 0 ? 0 : max(1, Int(Double($0) * scale)) }
        }
        let period = w.reduce(0, +)
        var current = [Int](repeating: 0, count: w.count)
        var out: [Int] = []
        out.reserveCapacity(period)
        for _ in 0..<period {
            var best = -1
            for i in w.indices where w[i] > 0 {
                current[i] += w[i]
                if best < 0 || current[i] > current[best] { best = i }
            }
            current[best] -= period
            out.append(best)
        }
        return out
    }
}
