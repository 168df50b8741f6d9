import Synchronization

/// A `mirroring` service: the main service answers every request; each mirror gets a copy of its
/// `percent` share of the requests, whose answer is thrown away.
///
/// Which requests are copied is decided by counting, as Traefik does, not at random: request
/// number n (from 1) goes to a mirror when the mirror has had fewer than n × percent / 100 copies
/// so far — with 50 %, every other request; with 10 %, the 1st, 11th, 21st…
public final class Mirroring: Sendable {
    /// One mirror and its share.
    public struct Target: Sendable {
        /// The service the copies go to.
        public let service: Service
        /// Percentage of requests copied, 0–100.
        public let percent: Int

        /// A mirror getting `percent` % of the requests.
        public init(service: Service, percent: Int) {
            self.service = service
            self.percent = min(100, max(0, percent))
        }
    }

    /// The service whose response goes to the client.
    public let main: Service
    /// The mirrors.
    public let targets: [Target]
    /// Requests with a larger body are not copied; `nil` means no limit (Traefik's -1).
    public let maxBodySize: Int64?
    /// Whether copies carry the request body (`mirrorBody`, default true).
    public let mirrorBody: Bool
    private let counts: Mutex<(total: UInt64, sent: [UInt64])>

    /// - Parameters:
    ///   - maxBodySize: negative for no limit.
    public init(main: Service, targets: [Target], maxBodySize: Int64 = -1, mirrorBody: Bool = true) {
        self.main = main
        self.targets = targets
        self.maxBodySize = maxBodySize < 0 ? nil : maxBodySize
        self.mirrorBody = mirrorBody
        self.counts = Mutex((0, [UInt64](repeating: 0, count: targets.count)))
    }

    /// The mirrors that get a copy of the next request (indices into ``targets``); counts the
    /// request.
    public func nextCopies() -> [Int] {
        counts.withLock { state in
            state.total &+= 1
            var chosen: [Int] = []
            for index in targets.indices where state.sent[index] * 100 < state.total * UInt64(targets[index].percent) {
                state.sent[index] += 1
                chosen.append(index)
            }
            return chosen
        }
    }

    /// Whether a request whose body is `bytes` long may be copied.
    @inline(__always)
    public func allowsBody(_ bytes: Int) -> Bool {
        maxBodySize.map { Int64(bytes) <= $0 } ?? true
    }
}
