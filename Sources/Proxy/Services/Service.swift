import NIOHTTP1
import Synchronization

/// What a router forwards to: Traefik's `loadBalancer`, `weighted` and `failover` services,
/// built once per snapshot and nested as configured.
public final class Service: Sendable {
    /// The service's name as shown in logs, e.g. `api@file`.
    public let name: String
    let kind: Kind

    enum Kind: Sendable {
        case loadBalancer(LoadBalancer)
        case weighted(Weighted)
        case failover(main: Service, fallback: Service)
        case mirroring(Mirroring)
    }

    /// A load balancer over `servers` with weighted round robin.
    public convenience init(name: String, servers: [Upstream], passHostHeader: Bool = true) {
        self.init(name: name, loadBalancer: LoadBalancer(servers: servers, passHostHeader: passHostHeader))
    }

    /// `loadBalancer`.
    public init(name: String, loadBalancer: LoadBalancer) {
        self.name = name
        self.kind = .loadBalancer(loadBalancer)
    }

    /// `weighted`: weighted round robin over other services, optionally sticky, optionally
    /// skipping children that are down (`healthCheck: {}`).
    public init(name: String, weighted children: [(service: Service, weight: Int)], sticky: StickyCookie? = nil, followsHealth: Bool = false) {
        self.name = name
        self.kind = .weighted(Weighted(children: children, sticky: sticky, followsHealth: followsHealth))
    }

    /// `failover`: `main` while it has an available server, else `fallback`.
    public init(name: String, failoverFrom main: Service, to fallback: Service) {
        self.name = name
        self.kind = .failover(main: main, fallback: fallback)
    }

    /// `mirroring`: `mirroring.main` answers; copies go to its mirrors.
    public init(name: String, mirroring: Mirroring) {
        self.name = name
        self.kind = .mirroring(mirroring)
    }

    /// The mirroring this service does, if it is a `mirroring` service.
    public var mirroring: Mirroring? {
        if case .mirroring(let mirroring) = kind { return mirroring }
        return nil
    }

    /// Whether some server behind the service can be picked.
    public var isAvailable: Bool {
        switch kind {
        case .loadBalancer(let balancer): return balancer.isAvailable
        case .weighted(let weighted): return weighted.children.contains { $0.weight > 0 && $0.service.isAvailable }
        case .failover(let main, let fallback): return main.isAvailable || fallback.isAvailable
        case .mirroring(let mirroring): return mirroring.main.isAvailable
        }
    }

    /// The server for a request with `headers` (whose cookies may pin it), and the cookies to set.
    public func select(_ headers: HTTPHeaders) -> ServerSelection? {
        var trail = SelectionTrail()
        guard let (balancer, upstream) = select(headers, trail: &trail) else { return nil }
        return ServerSelection(upstream: upstream, balancer: balancer, setCookies: trail.cookies, mirroring: trail.mirroring)
    }

    func select(_ headers: HTTPHeaders, trail: inout SelectionTrail) -> (LoadBalancer, Upstream)? {
        switch kind {
        case .loadBalancer(let balancer):
            guard let upstream = balancer.pick(headers, cookies: &trail.cookies) else { return nil }
            return (balancer, upstream)
        case .weighted(let weighted):
            return weighted.pick(headers, trail: &trail)
        case .failover(let main, let fallback):
            if main.isAvailable, let picked = main.select(headers, trail: &trail) { return picked }
            return fallback.select(headers, trail: &trail)
        case .mirroring(let mirroring):
            guard let picked = mirroring.main.select(headers, trail: &trail) else { return nil }
            // The outermost mirroring on the path is the one applied.
            trail.mirroring = mirroring
            return picked
        }
    }

    /// The next server with no cookies involved (tests and simple callers).
    public func nextServer() -> Upstream? {
        var ignored = SelectionTrail()
        return select(HTTPHeaders(), trail: &ignored)?.1
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

/// The server chosen for a request.
public struct ServerSelection {
    public let upstream: Upstream
    /// The load balancer the server belongs to (passHostHeader, passive health).
    public let balancer: LoadBalancer
    /// `Set-Cookie` values for the response (sticky sessions).
    public let setCookies: [String]
    /// The `mirroring` service on the path to the server (the outermost, if several), whose
    /// mirrors may get a copy of the request.
    public let mirroring: Mirroring?
}

/// What a selection collects on its way down nested services.
struct SelectionTrail {
    /// Sticky-session cookies to set.
    var cookies: [String] = []
    /// The mirroring service passed through.
    var mirroring: Mirroring?
}

/// A walk over a smooth weighted round-robin schedule shared by every event loop (lock-free).
final class WeightedCursor: Sendable {
    let schedule: [Int]
    private let counter = Atomic<Int>(0)

    init(weights: [Int]) {
        schedule = Service.smoothWeightedSchedule(weights: weights)
    }

    /// The next slot in schedule order.
    @inline(__always)
    func next() -> Int? {
        next { _ in true }
    }

    /// The first slot from the next one, in schedule order, that `acceptable` takes; `nil` when it
    /// takes none in a whole period. One position is taken from the shared counter whatever
    /// happens, so concurrent callers skipping the same slot cannot miss the others.
    @inline(__always)
    func next(where acceptable: (Int) -> Bool) -> Int? {
        let count = schedule.count
        switch count {
        case 0:
            return nil
        case 1:
            return acceptable(schedule[0]) ? schedule[0] : nil
        default:
            let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
            for step in 0..<count {
                let slot = schedule[(n &+ step) % count]
                if acceptable(slot) { return slot }
            }
            return nil
        }
    }
}

/// `weighted` services.
struct Weighted: Sendable {
    let children: [(service: Service, weight: Int)]
    let sticky: StickyCookie?
    let followsHealth: Bool
    let cursor: WeightedCursor
    let stickyValues: [String]

    init(children: [(service: Service, weight: Int)], sticky: StickyCookie?, followsHealth: Bool) {
        self.children = children
        self.sticky = sticky
        self.followsHealth = followsHealth
        self.cursor = WeightedCursor(weights: children.map(\.weight))
        self.stickyValues = children.map { StickyCookie.value(for: $0.service.name) }
    }

    func pick(_ headers: HTTPHeaders, trail: inout SelectionTrail) -> (LoadBalancer, Upstream)? {
        if let sticky, let value = sticky.value(in: headers), let index = stickyValues.firstIndex(where: { $0[...] == value }),
           children[index].weight > 0, !followsHealth || children[index].service.isAvailable,
           let picked = children[index].service.select(headers, trail: &trail) {
            return picked
        }
        var picked: (LoadBalancer, Upstream)? = nil
        let index = cursor.next { index in
            if followsHealth && !children[index].service.isAvailable { return false }
            picked = children[index].service.select(headers, trail: &trail)
            return picked != nil
        }
        if let index, let picked {
            if let sticky { trail.cookies.append(sticky.setCookie(stickyValues[index])) }
            return picked
        }
        return nil
    }
}
