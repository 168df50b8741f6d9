import NIOCore

/// What a circuit breaker has seen over the last ten seconds, as oxy's `memmetrics` keeps it: ten
/// buckets of one second each for the answers (all, network errors, per status code) and for the
/// latencies (a ``LatencyBins`` histogram per bucket).
///
/// All storage is allocated once; recording writes counters in place. Not thread-safe by itself:
/// the breaker keeps it behind its lock.
struct RollingStatistics {
    /// Buckets in the window.
    static let bucketCount = 10
    /// The width of one bucket.
    static let bucketWidth: Int64 = 1_000_000_000
    /// Status codes counted one by one: 100 to 599. Others count in the totals only.
    private static let lowestCode = 100
    private static let codeCount = 500

    /// The second (uptime nanoseconds / 1 s) each bucket holds, or -1 for an empty bucket.
    private var seconds: [Int64]
    private var totals: [UInt32]
    private var networkErrors: [UInt32]
    /// `bucketCount × codeCount`, bucket-major.
    private var codes: [UInt32]
    /// `bucketCount × LatencyBins.count`, bucket-major.
    private var latencies: [UInt32]
    private var latencyTotals: [UInt32]

    init() {
        seconds = Array(repeating: -1, count: Self.bucketCount)
        totals = Array(repeating: 0, count: Self.bucketCount)
        networkErrors = Array(repeating: 0, count: Self.bucketCount)
        codes = Array(repeating: 0, count: Self.bucketCount * Self.codeCount)
        latencies = Array(repeating: 0, count: Self.bucketCount * LatencyBins.count)
        latencyTotals = Array(repeating: 0, count: Self.bucketCount)
    }

    /// Forgets everything (the breaker does when it trips).
    mutating func reset() {
        for bucket in 0..<Self.bucketCount { clear(bucket) }
    }

    /// Counts an answer with `status` at `now`. 502 and 504 are network errors, as oxy counts them.
    mutating func recordAnswer(status: Int, at now: NIODeadline) {
        let bucket = self.bucket(at: now)
        totals[bucket] &+= 1
        if status == 502 || status == 504 { networkErrors[bucket] &+= 1 }
        let code = status - Self.lowestCode
        if code >= 0 && code < Self.codeCount {
            codes[bucket * Self.codeCount + code] &+= 1
        }
    }

    /// Counts a request that took `latency`, finished at `now`.
    mutating func recordLatency(_ latency: TimeAmount, at now: NIODeadline) {
        let bucket = self.bucket(at: now)
        let microseconds = UInt64(max(0, latency.nanoseconds / 1000))
        latencies[bucket * LatencyBins.count + LatencyBins.index(of: microseconds)] &+= 1
        latencyTotals[bucket] &+= 1
    }

    /// The value of `metric` over the window ending at `now`.
    func value(of metric: BreakerMetric, at now: NIODeadline) -> Double {
        switch metric {
        case .networkErrorRatio:
            return networkErrorRatio(at: now)
        case .responseCodeRatio(let from, let to, let dividedByFrom, let dividedByTo):
            return responseCodeRatio(from: from, to: to, dividedByFrom: dividedByFrom, dividedByTo: dividedByTo, at: now)
        case .latencyAtQuantileMS(let quantile):
            return Double(latencyAtQuantile(quantile, at: now) / 1000)
        }
    }

    /// Network errors over all answers; 0 without answers.
    func networkErrorRatio(at now: NIODeadline) -> Double {
        var total: UInt64 = 0
        var errors: UInt64 = 0
        for bucket in live(at: now) {
            total += UInt64(totals[bucket])
            errors += UInt64(networkErrors[bucket])
        }
        return total == 0 ? 0 : Double(errors) / Double(total)
    }

    /// Answers with a status in `from..<to` over answers in `dividedByFrom..<dividedByTo`; 0 when
    /// there are none of the latter.
    func responseCodeRatio(from: Int, to: Int, dividedByFrom: Int, dividedByTo: Int, at now: NIODeadline) -> Double {
        let a = count(codesFrom: from, to: to, at: now)
        let b = count(codesFrom: dividedByFrom, to: dividedByTo, at: now)
        return b == 0 ? 0 : Double(a) / Double(b)
    }

    /// The latency in microseconds at `quantile` percent (the highest value of the bin it falls
    /// in, as an HDR histogram answers); 0 without requests.
    func latencyAtQuantile(_ quantile: Double, at now: NIODeadline) -> UInt64 {
        let buckets = live(at: now)
        var total: UInt64 = 0
        for bucket in buckets { total += UInt64(latencyTotals[bucket]) }
        guard total > 0 else { return 0 }
        let q = min(max(quantile, 0), 100)
        let wanted = max(1, UInt64((q / 100 * Double(total)).rounded()))
        var seen: UInt64 = 0
        for bin in 0..<LatencyBins.count {
            for bucket in buckets { seen += UInt64(latencies[bucket * LatencyBins.count + bin]) }
            if seen >= wanted { return LatencyBins.highestValue(of: bin) }
        }
        return LatencyBins.maxMicroseconds
    }

    /// All answers in the window (for tests and logs).
    func answers(at now: NIODeadline) -> UInt64 {
        live(at: now).reduce(0) { $0 + UInt64(totals[$1]) }
    }

    private func count(codesFrom from: Int, to: Int, at now: NIODeadline) -> UInt64 {
        let low = max(from, Self.lowestCode) - Self.lowestCode
        let high = min(to, Self.lowestCode + Self.codeCount) - Self.lowestCode
        guard low < high else { return 0 }
        var sum: UInt64 = 0
        for bucket in live(at: now) {
            let base = bucket * Self.codeCount
            for code in low..<high { sum += UInt64(codes[base + code]) }
        }
        return sum
    }

    /// The buckets that hold one of the last ``bucketCount`` seconds up to `now`.
    private func live(at now: NIODeadline) -> LiveBuckets {
        LiveBuckets(seconds: seconds, current: Self.second(of: now))
    }

    /// The bucket for `now`, emptied first if it still holds an older second.
    private mutating func bucket(at now: NIODeadline) -> Int {
        let second = Self.second(of: now)
        let bucket = Int(second % Int64(Self.bucketCount))
        if seconds[bucket] != second {
            clear(bucket)
            seconds[bucket] = second
        }
        return bucket
    }

    private mutating func clear(_ bucket: Int) {
        seconds[bucket] = -1
        totals[bucket] = 0
        networkErrors[bucket] = 0
        latencyTotals[bucket] = 0
        let codeBase = bucket * Self.codeCount
        for index in codeBase..<(codeBase + Self.codeCount) { codes[index] = 0 }
        let latencyBase = bucket * LatencyBins.count
        for index in latencyBase..<(latencyBase + LatencyBins.count) { latencies[index] = 0 }
    }

    private static func second(of time: NIODeadline) -> Int64 {
        Int64(clamping: time.uptimeNanoseconds) / bucketWidth
    }

    /// The indices of the buckets within the window, without allocating.
    private struct LiveBuckets: Sequence {
        let seconds: [Int64]
        let current: Int64

        func makeIterator() -> Iterator { Iterator(seconds: seconds, current: current) }

        struct Iterator: IteratorProtocol {
            let seconds: [Int64]
            let current: Int64
            var index = 0

            mutating func next() -> Int? {
                while index < seconds.count {
                    let bucket = index
                    index += 1
                    let second = seconds[bucket]
                    if second >= 0 && second <= current && current - second < Int64(RollingStatistics.bucketCount) {
                        return bucket
                    }
                }
                return nil
            }
        }
    }
}
