// Store+Indexes.swift — the store's indexes: for unit, year, phase and
// measure, the ascending row numbers having each value, kept as stretches of
// rows (the store keeps a group's rows together, so a value's rows are a few
// stretches, not a list of millions); for functional codes, the rows ordered
// by code so that every node of the hierarchy (a 类, 款 or 项) is one
// contiguous range found by binary search.

/// Row numbers, ascending.
public typealias RowList = [Int32]

/// Ascending row numbers kept as stretches: `bounds` holds each stretch's first row and the row after its
/// last, one stretch after another (a unit's rows in a store clustered by group: one stretch; a year's: one
/// per group of that year).
struct RowRanges: Equatable, Sendable {
    var bounds: [Int32] = []

    /// The rows, one by one.
    var rows: RowList {
        var out = RowList()
        out.reserveCapacity(count)
        for k in stride(from: 0, to: bounds.count, by: 2) { out += bounds[k]..<bounds[k + 1] }
        return out
    }

    var count: Int { stride(from: 0, to: bounds.count, by: 2).reduce(0) { $0 + Int(bounds[$1 + 1] - bounds[$1]) } }

    /// Whether the bounds are stretches of rows below `n`, ascending, none empty, none touching the next.
    func isValid(below n: Int) -> Bool {
        guard bounds.count % 2 == 0 else { return false }
        var previous: Int32 = -1
        for k in stride(from: 0, to: bounds.count, by: 2) {
            let (lo, hi) = (bounds[k], bounds[k + 1])
            guard lo > previous, lo < hi, Int(hi) <= n else { return false }
            previous = hi
        }
        return true
    }
}

struct Indexes: Sendable {
    var byUnit: [UInt32: RowRanges] = [:]
    var byYear: [Int16: RowRanges] = [:]
    var byPhase: [UInt8: RowRanges] = [:]
    var byMeasure: [UInt8: RowRanges] = [:]
    /// Rows that have a functional code, ordered by (sortKey, row); searched by the keys of their codes, read
    /// from the function column (no column of keys kept beside it).
    var funcOrder: RowList = []

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
            }
        }
        self = parts[0]
        funcOrder = parts[1].funcOrder
    }
}

extension Indexes {
    /// The rows of each value of a column of small non-negative integers (ids, years, enum bytes), ascending,
    /// as stretches: lists indexed by the value while they are made, no hashing per row.
    static func postings<T: FixedWidthInteger & Sendable>(_ column: RunArray<T>) -> [T: RowRanges] {
        guard column.count > 0, let top = column.values.max() else { return [:] }
        var lists = [RowRanges](repeating: RowRanges(), count: Int(top) + 1)
        // A stretch of one value at a time (the store keeps a group's rows together).
        column.forEachRun(in: 0..<column.count) { rows, v in
            lists[Int(v)].bounds += [Int32(rows.lowerBound), Int32(rows.upperBound)]
        }
        var out: [T: RowRanges] = [:]
        for (v, l) in lists.enumerated() where !l.bounds.isEmpty { out[T(v)] = l }
        return out
    }
}

extension Store {
    /// Rows of `unit` (its full name), ascending; empty if the unit is unknown.
    public func rows(unit: String) -> RowList {
        columns.pool.id(of: unit).flatMap { indexes.byUnit[$0]?.rows } ?? []
    }

    /// Rows of fiscal `year`, ascending.
    public func rows(year: Int) -> RowList {
        guard let y = Int16(exactly: year) else { return [] }
        return indexes.byYear[y]?.rows ?? []
    }

    /// Rows of `phase`, ascending.
    public func rows(phase: Phase) -> RowList { indexes.byPhase[Phase.code(phase)]?.rows ?? [] }

    /// Rows of `measure`, ascending.
    public func rows(measure: Measure) -> RowList { indexes.byMeasure[Measure.code(measure)]?.rows ?? [] }

    /// Rows whose functional code lies under `node` (or is it), ascending.
    public func rows(functionUnder node: Code) -> RowList {
        guard node.scheme == .function else { return [] }
        let key = { (i: Int) in Code(packed: self.columns.function[Int(self.indexes.funcOrder[i])])!.sortKey }
        let lo = lowerBound(indexes.funcOrder.count, node.sortKey, key)
        let hi = lowerBound(indexes.funcOrder.count, node.sortKey + node.sortSpan, key)
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

/// The first of `count` positions, whose keys (`keyAt`) ascend, whose key is ≥ `key`.
func lowerBound(_ count: Int, _ key: UInt32, _ keyAt: (Int) -> UInt32) -> Int {
    var lo = 0, hi = count
    while lo < hi {
        let mid = (lo + hi) / 2
        if keyAt(mid) < key { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
