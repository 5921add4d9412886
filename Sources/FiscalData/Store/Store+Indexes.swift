// Store+Indexes.swift — the store's indexes: for unit, year, phase and
// measure, the ascending row numbers having each value; for functional
// codes, the rows ordered by code so that every node of the hierarchy
// (a 类, 款 or 项) is one contiguous range found by binary search.

/// Row numbers, ascending.
public typealias RowList = [Int32]

struct Indexes: Sendable {
    var byUnit: [UInt32: RowList] = [:]
    var byYear: [Int16: RowList] = [:]
    var byPhase: [UInt8: RowList] = [:]
    var byMeasure: [UInt8: RowList] = [:]
    /// Rows that have a functional code, ordered by (sortKey, row).
    var funcOrder: RowList = []
    /// sortKey of each entry of funcOrder, for binary search.
    var funcKeys: [UInt32] = []

    /// No rows (a snapshot's indexes are read into it).
    init() {}

    /// A large store's postings and its order of codes are made side by side.
    init(_ c: Columns) {
        let parts = UnsafeMutablePointer<Indexes>.allocate(capacity: 2)
        parts.initialize(repeating: Indexes(), count: 2)
        defer { parts.deinitialize(count: 2); parts.deallocate() }
        inTwoParts(parallel: c.count >= twoThreadRows) { k in
            if k == 0 {
                parts[0].byUnit = Indexes.postings(c.unit)
                parts[0].byYear = Indexes.postings(c.year)
                parts[0].byPhase = Indexes.postings(c.phase)
                parts[0].byMeasure = Indexes.postings(c.measure)
            } else {
                // (sortKey, row) packed in one integer: a plain sort of integers, rows ascending within a key.
                var withFunc: [UInt64] = []
                for i in 0..<c.count where c.function[i] != 0 {
                    withFunc.append(UInt64(Code(packed: c.function[i])!.sortKey) << 32 | UInt64(i))
                }
                withFunc.sort()
                parts[1].funcOrder = withFunc.map { Int32(truncatingIfNeeded: $0) }
                parts[1].funcKeys = withFunc.map { UInt32($0 >> 32) }
            }
        }
        self = parts[0]
        (funcOrder, funcKeys) = (parts[1].funcOrder, parts[1].funcKeys)
    }
}

extension Indexes {
    /// The rows of each value of a column of small non-negative integers (ids, years, enum bytes), ascending:
    /// lists indexed by the value while they are made, no hashing per row.
    static func postings<T: BinaryInteger & Hashable>(_ column: [T]) -> [T: RowList] {
        guard let top = column.max() else { return [:] }
        var counts = [Int](repeating: 0, count: Int(top) + 1)
        for v in column { counts[Int(v)] += 1 }
        var lists = counts.map { n -> RowList in
            var l = RowList()
            l.reserveCapacity(n)
            return l
        }
        for (i, v) in column.enumerated() { lists[Int(v)].append(Int32(i)) }
        var out: [T: RowList] = [:]
        for (v, l) in lists.enumerated() where !l.isEmpty { out[T(v)] = l }
        return out
    }
}

extension Store {
    /// Rows of `unit` (its full name), ascending; empty if the unit is unknown.
    public func rows(unit: String) -> RowList {
        columns.pool.id(of: unit).flatMap { indexes.byUnit[$0] } ?? []
    }

    /// Rows of fiscal `year`, ascending.
    public func rows(year: Int) -> RowList {
        guard let y = Int16(exactly: year) else { return [] }
        return indexes.byYear[y] ?? []
    }

    /// Rows of `phase`, ascending.
    public func rows(phase: Phase) -> RowList { indexes.byPhase[Phase.code(phase)] ?? [] }

    /// Rows of `measure`, ascending.
    public func rows(measure: Measure) -> RowList { indexes.byMeasure[Measure.code(measure)] ?? [] }

    /// Rows whose functional code lies under `node` (or is it), ascending.
    public func rows(functionUnder node: Code) -> RowList {
        guard node.scheme == .function else { return [] }
        let lo = lowerBound(indexes.funcKeys, node.sortKey)
        let hi = lowerBound(indexes.funcKeys, node.sortKey + node.sortSpan)
        // Keys in range may belong to a shorter code padded into it (a 类-level row has key 2120000,
        // inside 21201's range); keep only rows whose code really lies under the node.
        var out = indexes.funcOrder[lo..<hi].filter { r in
            node.contains(Code(packed: columns.function[Int(r)])!)
        }
        out.sort()
        return out
    }

    /// The distinct units, sorted.
    public var units: [String] {
        indexes.byUnit.keys.compactMap { columns.pool[$0] }.sorted()
    }

    /// The distinct years, ascending.
    public var years: [Int] { indexes.byYear.keys.map(Int.init).sorted() }

    /// The rows in both ascending lists.
    public static func intersect(_ a: RowList, _ b: RowList) -> RowList {
        var out: RowList = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { i += 1 } else if a[i] > b[j] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }
}

/// The first index in sorted `keys` whose value is ≥ `key`.
func lowerBound(_ keys: [UInt32], _ key: UInt32) -> Int {
    var lo = 0, hi = keys.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if keys[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
