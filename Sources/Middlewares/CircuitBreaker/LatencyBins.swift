/// The bins of a bounded, log-linear latency histogram in microseconds (the shape of an HDR
/// histogram): values below 32 µs have a bin each; above, every power of two is split into 32
/// equal bins, so a bin is at most about 3 % wide relative to its values. Values from 2³² µs
/// (about 71 minutes) on share the last bin. 896 bins in all.
enum LatencyBins {
    /// Sub-bins per power of two, as a power of two.
    private static let subBits = 5
    private static let subCount = 1 << subBits
    /// The largest value kept apart; larger ones count as this.
    static let maxMicroseconds: UInt64 = (1 << 32) - 1
    /// How many bins there are.
    static let count = subCount + (32 - subBits) * subCount

    /// The bin of `microseconds`.
    static func index(of microseconds: UInt64) -> Int {
        let value = min(microseconds, maxMicroseconds)
        if value < UInt64(subCount) { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount
        let shift = exponent - subBits
        let sub = Int(value >> UInt64(shift)) - subCount
        return subCount + shift * subCount + sub
    }

    /// The highest value that falls in bin `index` (what an HDR histogram reports for a quantile).
    static func highestValue(of index: Int) -> UInt64 {
        if index < subCount { return UInt64(index) }
        let shift = (index - subCount) / subCount
        let sub = (index - subCount) % subCount
        return (UInt64(subCount + sub + 1) << UInt64(shift)) - 1
    }
}
