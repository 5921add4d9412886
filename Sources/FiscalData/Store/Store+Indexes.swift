// Store+Indexes.swift — the store's indexes: for unit, year, phase and
// measure, the ascending row numbers having each value, kept as stretches of
// rows (the store keeps a group's rows together, so a value's rows are a few
// stretches, not a list of millions); for functional codes, each code's rows
// as the gaps between them (a byte or two a row), codes ordered so that every
// node of the hierarchy (a 类, 款 or 项) is one range found by binary search.

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

/// The rows having each functional code, ascending, for every code a store holds: codes ordered by
/// (`Code.sortKey`, packed code), so that a node of the hierarchy (a 类, 款 or 项) is one range of codes found by
/// binary search; each code's rows kept as the gaps between them, a byte or two each (LEB128: seven bits a
/// byte, the high bit set on all but the last), not four bytes a row.
struct CodePostings: Equatable, Sendable {
    /// The distinct packed codes, by (sort key, code).
    var codes: [UInt32] = []
    /// Code k's gaps are `gaps[offsets[k]..<offsets[k + 1]]` (offsets has one more element than codes).
    var offsets: [Int64] = [0]
    /// Each row less the one before it (the first: its row plus one), one code's after another.
    var gaps: [UInt8] = []

    /// The postings of `function` (packed codes, 0: none): each code's rows gathered a row at a time.
    init(_ function: [UInt32]) {
        var index: [UInt32: Int] = [:]
        var lists: [[UInt8]] = []
        var previous: [Int] = []
        var last: (code: UInt32, k: Int) = (0, -1)
        for (row, code) in function.enumerated() where code != 0 {
            let k: Int
            if code == last.code { k = last.k } else if let known = index[code] { k = known } else {
                k = lists.count
                index[code] = k
                lists.append([])
                previous.append(-1)
            }
            last = (code, k)
            var gap = UInt(row - previous[k])
            previous[k] = row
            while gap >= 0x80 { lists[k].append(UInt8(gap & 0x7F) | 0x80); gap >>= 7 }
            lists[k].append(UInt8(gap))
        }
        let order = index.keys.sorted { a, b in
            let (x, y) = (Code(packed: a)!.sortKey, Code(packed: b)!.sortKey)
            return x != y ? x < y : a < b
        }
        codes = order
        gaps.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for c in order {
            gaps += lists[index[c]!]
            offsets.append(Int64(gaps.count))
        }
    }

    init() {}

    /// Whether the parts fit together (a snapshot's): an offset per code and one more, rising from 0 to the end.
    var isWellFormed: Bool {
        offsets.count == codes.count + 1 && offsets.first == 0 && offsets.last == Int64(gaps.count)
            && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }
    }

    /// The rows of code k, ascending (a gap that runs past the end of its list ends it).
    func rows(ofCode k: Int) -> RowList {
        var out = RowList()
        var row = -1, gap = 0, shift = 0
        for b in gaps[Int(offsets[k])..<Int(offsets[k + 1])] {
            gap |= Int(b & 0x7F) << shift
            if b & 0x80 != 0 { shift += 7; if shift > 56 { break }; continue }
            row += gap
            out.append(Int32(truncatingIfNeeded: row))
            (gap, shift) = (0, 0)
        }
        return out
    }

    /// Every (code, row), by code as `codes` orders them, rows ascending within a code.
    var all: [(code: UInt32, row: Int32)] {
        codes.indices.flatMap { k in rows(ofCode: k).map { (codes[k], $0) } }
    }
}

struct Indexes: Sendable {
    var byUnit: [UInt32: RowRanges] = [:]
    var byYear: [Int16: RowRanges] = [:]
    var byPhase: [UInt8: RowRanges] = [:]
    var byMeasure: [UInt8: RowRanges] = [:]
    /// Rows that have a functional code, by code.
    var byFunction = CodePostings()

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
                parts[1].byFunction = CodePostings(c.function)
            }
        }
        self = parts[0]
        byFunction = parts[1].byFunction
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
        let p = indexes.byFunction
        let key = { (k: Int) in Code(packed: p.codes[k])!.sortKey }
        let lo = lowerBound(p.codes.count, node.sortKey, key)
        let hi = lowerBound(p.codes.count, node.sortKey + node.sortSpan, key)
        // Codes in range may be shorter codes padded into it (a 类-level code has key 2120000, inside 21201's
        // range); only codes really under the node count.
        var out = RowList()
        var lists = 0
        for k in lo..<hi where node.contains(Code(packed: p.codes[k])!) {
            out += p.rows(ofCode: k)
            lists += 1
        }
        if lists > 1 { out.sort() }
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
