// SlotTable.swift — numbers by integer key: open addressing with a multiplicative
// hash, for the look-ups made once per statement (the store's group of each
// row as it clusters them; the evaluator's group of each row as it sums).
// Swift's Dictionary hashes with SipHash, several times slower here.

/// A key `SlotTable` hashes: its bits mixed into one integer; `empty` is any value (a slot's number, not its
/// key, says whether it is taken).
public protocol SlotKey: Equatable { static var empty: Self { get }; var hashBits: UInt64 { get } }

/// One column's integer (a code, a text's id).
extension UInt32: SlotKey {
    public static let empty: UInt32 = 0
    @inlinable public var hashBits: UInt64 { UInt64(self) &* 0x9E37_79B9_7F4A_7C15 }
}

/// Integers packed side by side (a group's unit, year, phase and measure).
extension UInt64: SlotKey {
    public static let empty: UInt64 = 0
    @inlinable public var hashBits: UInt64 { self &* 0x9E37_79B9_7F4A_7C15 }
}

/// Slot numbers (0 and up) by key. A slot's key and number lie side by side (one cache miss a probe, where
/// rows come in no order and the table is larger than the caches).
public struct SlotTable<Key: SlotKey> {
    @usableFromInline struct Entry { @usableFromInline var key: Key; @usableFromInline var value: Int32
        @inlinable init(key: Key, value: Int32) { self.key = key; self.value = value } }
    @usableFromInline var entries: [Entry]
    @usableFromInline var mask: Int
    @usableFromInline var taken = 0
    @inlinable public var count: Int { taken }

    @inlinable public init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        entries = Array(repeating: Entry(key: .empty, value: -1), count: n)
        mask = n - 1
    }

    @inlinable @inline(__always) func home(_ k: Key) -> Int {
        let h = k.hashBits
        return Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
    }

    @inlinable @inline(__always) public subscript(_ k: Key) -> Int32? {
        var i = home(k)
        while entries[i].value >= 0 {
            if entries[i].key == k { return entries[i].value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `k` (not yet in the table) with `v` (0 or more).
    @inlinable public mutating func insert(_ k: Key, _ v: Int32) {
        if (taken + 1) * 2 > mask + 1 { grow() }
        var i = home(k)
        while entries[i].value >= 0 { i = (i + 1) & mask }
        entries[i] = Entry(key: k, value: v)
        taken += 1
    }

    @inlinable mutating func grow() {
        let old = entries
        self = SlotTable(capacity: mask + 1)
        for e in old where e.value >= 0 { insert(e.key, e.value) }
    }
}

extension SlotTable: Sendable where Key: Sendable {}
extension SlotTable.Entry: Sendable where Key: Sendable {}
