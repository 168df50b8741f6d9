/// An immutable map from host name to the (ascending) positions of the routes that require it.
///
/// Open addressing with linear probing over a power-of-two table at most half full, keyed by a
/// fast 64-bit hash of the host's bytes with a per-table random seed; a lookup is one hash of the
/// request's host and, typically, one comparison. `Dictionary<String, _>` would spend most of a
/// lookup in SipHash.
struct HostIndex: Sendable {
    /// One slot of the table, with everything a lookup needs next to the hash, so that a lookup
    /// touches one slot, the key bytes and the positions.
    struct Slot: Sendable {
        var hash: UInt64 = 0
        /// -1: empty slot.
        var keyStart: Int32 = -1
        var keyLength: Int32 = 0
        var positionsStart: Int32 = 0
        var positionsCount: Int32 = 0
    }

    private let seed: UInt64
    private let mask: Int
    private let slots: [Slot]
    /// Every key's UTF-8 bytes, one after the other.
    private let keyBytes: [UInt8]
    private let positions: [Int32]
    let count: Int

    static let empty: [Int32] = []

    init(_ map: [String: [Int32]]) {
        var seedGenerator = SystemRandomNumberGenerator()
        let seed = seedGenerator.next() as UInt64
        var capacity = 8
        while capacity < map.count * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        var keyBytes: [UInt8] = []
        var positions: [Int32] = []
        for (key, list) in map {
            let hash = HostIndex.hash(key, seed: seed)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot].keyStart >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(
                hash: hash,
                keyStart: Int32(keyBytes.count),
                keyLength: Int32(key.utf8.count),
                positionsStart: Int32(positions.count),
                positionsCount: Int32(list.count)
            )
            keyBytes.append(contentsOf: key.utf8)
            positions.append(contentsOf: list)
        }
        self.seed = seed
        self.mask = capacity - 1
        self.slots = slots
        self.keyBytes = keyBytes
        self.positions = positions
        self.count = map.count
    }

    /// Calls `body` with the positions for `host` (empty when the host is not in the map).
    @inline(__always)
    func withPositions<R>(for host: String, _ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        if count > 0 && !host.isEmpty {
            let hash = HostIndex.hash(host, seed: seed)
            let found: Range<Int>? = slots.withUnsafeBufferPointer { slots in
                keyBytes.withUnsafeBufferPointer { keyBytes in
                    var index = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let slot = slots[index]
                        if slot.keyStart < 0 { return nil }
                        if slot.hash == hash && Int(slot.keyLength) == host.utf8.count {
                            let equal = host.utf8.withContiguousStorageIfAvailable {
                                Bytes.equal(keyBytes.baseAddress.map { $0 + Int(slot.keyStart) }, $0.baseAddress, Int(slot.keyLength))
                            } ?? host.utf8.elementsEqual(keyBytes[Int(slot.keyStart)..<Int(slot.keyStart + slot.keyLength)])
                            if equal {
                                return Int(slot.positionsStart)..<Int(slot.positionsStart + slot.positionsCount)
                            }
                        }
                        index = (index + 1) & mask
                    }
                }
            }
            if let found {
                return positions.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[found])) }
            }
        }
        return HostIndex.empty.withUnsafeBufferPointer(body)
    }

    /// A multiply-xorshift hash over 8-byte words (in the spirit of wyhash / FxHash); quality is
    /// ample for a half-full table of configured names.
    @inline(__always)
    static func hash(_ text: String, seed: UInt64) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes -> UInt64 in
            var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
            guard let base = bytes.baseAddress else { return mix(h) }
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= bytes.count {
                h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < bytes.count {
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < bytes.count {
                    tail |= UInt64(bytes[i]) << shift
                    shift += 8
                    i += 1
                }
                h = mix(h ^ tail)
            }
            return mix(h)
        }
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }
}
