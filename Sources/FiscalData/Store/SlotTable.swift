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

/// Slot numbers (0 and up) by key.
public struct SlotTable<Key: SlotKey> {
    @usableFromInline var keys: [Key]
    @usableFromInline var values: [Int32]
    @usableFromInline var mask: Int
    @usableFromInline var taken = 0
    @inlinable public var count: Int { taken }

    @inlinable public init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        keys = Array(repeating: .empty, count: n)
        values = Array(repeating: -1, count: n)
        mask = n - 1
    }

    @inlinable @inline(__always) func home(_ k: Key) -> Int {
        let h = k.hashBits
        return Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
    }

    @inlinable @inline(__always) public subscript(_ k: Key) -> Int32? {
        var i = home(k)
        while values[i] >= 0 {
            if keys[i] == k { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `k` (not yet in the table) with `v` (0 or more).
    @inlinable public mutating func insert(_ k: Key, _ v: Int32) {
        if (taken + 1) * 2 > mask + 1 { grow() }
        var i = home(k)
        while values[i] >= 0 { i = (i + 1) & mask }
        keys[i] = k
        values[i] = v
        taken += 1
    }

    @inlinable mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        self = SlotTable(capacity: mask + 1)
        for i in oldValues.indices where oldValues[i] >= 0 { insert(oldKeys[i], oldValues[i]) }
    }
}

extension SlotTable: Sendable where Key: Sendable {}
