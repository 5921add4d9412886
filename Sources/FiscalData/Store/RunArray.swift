// RunArray.swift — a column of small integers that keeps runs of equal values
// as one entry each when that is smaller than a value per row. The store keeps
// each group's rows together, so the fields a group shares (unit, year,
// phase, measure, region) are one run per group, and the fields a table or a
// document shares (document, table, level, derivation, printed unit; project,
// category, government code, mostly none) are a few runs per group: a few
// bytes for millions of rows. A column whose values change from row to row
// is kept dense, one value per row, as a plain array would be.
//
// Reading row i of a run-kept column finds its run through a block index
// (then a search among the block's runs, mostly one or two); a scan reads run
// by run (`forEachRun`) or through a `Cursor`, which steps from one run to the
// next.

/// A column of integers, dense or as runs of equal values (whichever is smaller), read by row.
public struct RunArray<Element: FixedWidthInteger & Sendable>: RandomAccessCollection, Sendable, Equatable {
    /// Dense: `values[i]` is row i's stored value. Runs: run k covers rows `starts[k]..<starts[k + 1]` (the last
    /// up to `count`) and holds `values[k]`.
    public private(set) var values: [Element] = []
    /// Each run's first row (runs only; empty when dense).
    public private(set) var starts: [Int32] = []
    public private(set) var isDense = false
    public private(set) var count = 0
    /// Whether a row's value is stored less its row number (line numbers, which mostly rise by one a row: a
    /// stretch of consecutive lines is then one run).
    public let stepped: Bool
    /// For a column kept as runs, once its rows are all in (`index()`): the run holding the first row of each
    /// block of `1 << blockShift` rows (about a run's length), so that finding a row's run searches only the
    /// runs of its block, mostly one or two. Empty: search all runs. Appending a row drops it.
    public private(set) var blockRun: [Int32] = []
    public private(set) var blockShift = 0

    public static func == (a: RunArray, b: RunArray) -> Bool {
        (a.count, a.isDense, a.stepped, a.values, a.starts) == (b.count, b.isDense, b.stepped, b.values, b.starts)
    }

    /// Makes `blockRun` for the runs as they are now.
    public mutating func index() {
        guard !isDense, starts.count > 1 else { blockRun = []; return }
        let average = Swift.max(1, count / starts.count)
        blockShift = Int.bitWidth - 1 - average.leadingZeroBitCount   // the power of two at most a run's average
        let blocks = (count + (1 << blockShift) - 1) >> blockShift
        var out = [Int32]()
        out.reserveCapacity(blocks)
        var k = 0
        for b in 0..<blocks {
            let row = b << blockShift
            while k + 1 < starts.count && Int(starts[k + 1]) <= row { k += 1 }
            out.append(Int32(k))
        }
        blockRun = out
    }

    public init(stepped: Bool = false) { self.stepped = stepped }

    /// The values of `a`, kept as runs when that is smaller.
    public init(_ a: [Element], stepped: Bool = false) {
        self.stepped = stepped
        values = stepped ? a.enumerated().map { $1 &- Element(truncatingIfNeeded: $0) } : a
        (isDense, count) = (true, a.count)
        compact()
    }

    /// The values of `a`, one per row as they are (no copy: the array is shared).
    public init(dense a: [Element]) {
        (values, isDense, count, stepped) = (a, true, a.count, false)
    }

    /// A column from its parts as `values`, `starts`, `isDense` and `stepped` give them (a snapshot); nil when
    /// they do not make one of `count` rows.
    public init?(values: [Element], starts: [Int32], isDense: Bool, stepped: Bool, count: Int) {
        self.stepped = stepped
        if isDense {
            guard starts.isEmpty, values.count == count else { return nil }
        } else {
            guard starts.count == values.count, starts.first.map({ $0 == 0 }) ?? (count == 0) else { return nil }
            for k in starts.indices.dropFirst() where starts[k] <= starts[k - 1] { return nil }
            guard let last = starts.last.map(Int.init) ?? Optional(0), count == 0 || last < count else { return nil }
        }
        (self.values, self.starts, self.isDense, self.count) = (values, starts, isDense, count)
        index()
    }

    static func denseIsSmaller(runs: Int, rows: Int) -> Bool {
        runs * (MemoryLayout<Int32>.stride + MemoryLayout<Element>.stride) > rows * MemoryLayout<Element>.stride
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The number of runs (of rows, when dense).
    public var runCount: Int { values.count }

    /// Row `i`'s value.
    @inlinable @inline(__always)
    public subscript(i: Int) -> Element {
        let v = isDense ? values[i] : values[run(containing: i)]
        return stepped ? v &+ Element(truncatingIfNeeded: i) : v
    }

    /// The run holding row `i` (runs only): the last run whose first row is at most `i`.
    @inlinable @inline(__always)
    public func run(containing i: Int) -> Int {
        var lo = 0, hi = starts.count
        if !blockRun.isEmpty {
            // Rows of block b lie in the runs from the one holding its first row to the one holding the next
            // block's first row.
            let b = i >> blockShift
            lo = Int(blockRun[b])
            if b + 1 < blockRun.count { hi = Int(blockRun[b + 1]) + 1 }
        }
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if Int(starts[mid]) <= i { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The rows of run `k` (runs only).
    @inlinable @inline(__always)
    public func rows(ofRun k: Int) -> Range<Int> {
        Int(starts[k])..<(k + 1 < starts.count ? Int(starts[k + 1]) : count)
    }

    /// How many rows the column is expected to reach (`reserveRows`): the room taken at once if it turns dense.
    var expectedRows = 0

    /// Room for `n` rows if the column is or turns dense (a column kept as runs needs none).
    mutating func reserveRows(_ n: Int) {
        expectedRows = n
        if isDense { values.reserveCapacity(n) }
    }

    mutating func reserveRuns(_ n: Int) {
        values.reserveCapacity(n)
        if !isDense { starts.reserveCapacity(n) }
    }

    /// Adds a row; turns dense once runs would take more room than a value per row.
    @inline(__always)
    public mutating func append(_ v: Element) {
        let s = stepped ? v &- Element(truncatingIfNeeded: count) : v
        if !blockRun.isEmpty { blockRun = [] }
        if isDense {
            values.append(s)
        } else if startRun(stored: s, at: count), values.count >= 64,
                  RunArray.denseIsSmaller(runs: values.count, rows: count + 1) {
            count += 1
            makeDense()
            return
        }
        count += 1
    }

    /// Begins a run of stored value `s` at row `row` unless the last run holds it already (runs only);
    /// whether one began.
    @inline(__always)
    private mutating func startRun(stored s: Element, at row: Int) -> Bool {
        guard values.isEmpty || values[values.count - 1] != s else { return false }
        starts.append(Int32(truncatingIfNeeded: row))
        values.append(s)
        return true
    }

    /// Adds `k` rows of `v` (not for a stepped column): one run, or part of the last.
    mutating func append(_ v: Element, count k: Int) {
        precondition(!stepped)
        appendRun(stored: v, count: k)
    }

    /// Adds `k` rows rising by one from `first` (a stepped column): one run, or part of the last.
    mutating func appendRising(from first: Element, count k: Int) {
        precondition(stepped)
        appendRun(stored: first &- Element(truncatingIfNeeded: count), count: k)
    }

    /// Adds `k` rows whose stored value is `s`.
    private mutating func appendRun(stored s: Element, count k: Int) {
        guard k > 0 else { return }
        blockRun = []
        if isDense {
            values.append(contentsOf: repeatElement(s, count: k))
        } else {
            _ = startRun(stored: s, at: count)
        }
        count += k
    }

    /// Once every row is in: dense if runs turned out larger, and the runs indexed.
    mutating func finish() {
        if !isDense && RunArray.denseIsSmaller(runs: values.count, rows: count) { makeDense() }
        index()
    }

    /// Keeps a value per row from now on.
    private mutating func makeDense() {
        guard !isDense else { return }
        var out = [Element]()
        out.reserveCapacity(Swift.max(count, expectedRows))
        for k in starts.indices { out.append(contentsOf: repeatElement(values[k], count: rows(ofRun: k).count)) }
        // A stepped column's stored values (each less its row) are per row already: spreading keeps them.
        values = out
        starts = []
        blockRun = []
        isDense = true
    }

    /// Keeps runs again if the rows turned out to have few (a column made dense while rows came in another
    /// order than the store's).
    public mutating func compact() {
        guard isDense else { return }
        var runs = 0
        var last: Element? = nil
        for s in values where s != last { runs += 1; last = s }
        guard !RunArray.denseIsSmaller(runs: runs, rows: count) else { return }
        let dense = values
        (values, starts, isDense) = ([], [], false)
        reserveRuns(runs)
        for (i, s) in dense.enumerated() { _ = startRun(stored: s, at: i) }
        index()
    }

    /// The rows one value per row, as a plain array.
    public var expanded: [Element] {
        if isDense && !stepped { return values }
        var out = [Element]()
        out.reserveCapacity(count)
        if isDense {
            for (i, s) in values.enumerated() { out.append(s &+ Element(truncatingIfNeeded: i)) }
        } else {
            for k in starts.indices {
                let r = rows(ofRun: k)
                if stepped { for i in r { out.append(values[k] &+ Element(truncatingIfNeeded: i)) } }
                else { out.append(contentsOf: repeatElement(values[k], count: r.count)) }
            }
        }
        return out
    }

    /// The values per row as a plain array when they are kept so (dense, not stepped); nil otherwise.
    @inlinable
    public var denseValues: [Element]? { isDense && !stepped ? values : nil }

    /// Calls `body` with each stretch of rows of `range` that share a value, and that value; for a stepped
    /// column, each stretch whose values rise by one a row, and the value of its first row.
    @inlinable @inline(__always)
    public func forEachRun(in range: Range<Int>, _ body: (Range<Int>, Element) throws -> Void) rethrows {
        guard !range.isEmpty else { return }
        let step = { (s: Element, i: Int) in self.stepped ? s &+ Element(truncatingIfNeeded: i) : s }
        if isDense {
            var lo = range.lowerBound
            var v = values[lo]
            for i in range.dropFirst() where values[i] != v {
                try body(lo..<i, step(v, lo))
                (lo, v) = (i, values[i])
            }
            try body(lo..<range.upperBound, step(v, lo))
            return
        }
        var k = run(containing: range.lowerBound)
        var lo = range.lowerBound
        while lo < range.upperBound {
            let hi = Swift.min(rows(ofRun: k).upperBound, range.upperBound)
            try body(lo..<hi, step(values[k], lo))
            lo = hi
            k += 1
        }
    }

    /// The values of the rows of `range`, as an array (a run at a time).
    @inlinable
    public func array(_ range: Range<Int>) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(range.count)
        forEachRun(in: range) { r, v in
            if stepped { for k in 0..<r.count { out.append(v &+ Element(truncatingIfNeeded: k)) } }
            else { out.append(contentsOf: repeatElement(v, count: r.count)) }
        }
        return out
    }

    /// Whether every row of `range` holds `v` (not for a stepped column).
    @inlinable
    public func allEqual(_ v: Element, in range: Range<Int>) -> Bool {
        precondition(!stepped)
        var all = true
        forEachRun(in: range) { _, x in if x != v { all = false } }
        return all
    }

    /// Whether some row of `range` holds a value other than zero (not for a stepped column).
    @inlinable
    public func anyNonZero(in range: Range<Int>) -> Bool { !allEqual(0, in: range) }

    /// The rows `order` names, in that order (a column reordered).
    func gathered(_ order: [Int32]) -> RunArray {
        // One value on every row (a file's one document, a field no row has): so in any order.
        if !isDense && !stepped && values.count <= 1 && order.count == count { return self }
        let all = expanded
        return RunArray(order.map { all[Int($0)] }, stepped: stepped)
    }

    /// Each value mapped through `f` (not for a stepped column; runs stay runs, except where two neighbours
    /// now agree).
    func mapped(_ f: (Element) -> Element) -> RunArray {
        precondition(!stepped)
        var out = self
        for k in out.values.indices { out.values[k] = f(out.values[k]) }   // runs unchanged: the index holds
        return out
    }

    /// Appends the rows of `other` (a run at a time when both keep runs).
    mutating func append(contentsOf other: RunArray) {
        precondition(stepped == other.stepped)
        if other.isDense || isDense {
            for i in 0..<other.count { append(other[i]) }
            return
        }
        let base = count
        for k in other.starts.indices {
            // A stepped value is stored less its row: other's row i is row base + i here.
            let s = stepped ? other.values[k] &- Element(truncatingIfNeeded: base) : other.values[k]
            _ = startRun(stored: s, at: base + Int(other.starts[k]))
        }
        count = base + other.count
        blockRun = []
        if RunArray.denseIsSmaller(runs: values.count, rows: count) { makeDense() }
    }

    /// Rows in order, a run at a time (a `for` loop, `map` or `contains` over the column searches no run).
    public struct Iterator: IteratorProtocol {
        @usableFromInline var cursor: Cursor
        @usableFromInline var i = 0

        @inlinable init(cursor: Cursor) { self.cursor = cursor }

        @inlinable
        public mutating func next() -> Element? {
            guard i < cursor.column.count else { return nil }
            defer { i += 1 }
            return cursor(i)
        }
    }

    @inlinable
    public func makeIterator() -> Iterator { Iterator(cursor: Cursor(self)) }

    /// Reads rows in ascending order without a search per row: `cursor(i)` is row i's value, stepping from
    /// one run to the next (a jump back or far ahead searches).
    public struct Cursor {
        @usableFromInline let column: RunArray
        @usableFromInline var run = 0
        @usableFromInline var lo = 0, hi = 0

        @inlinable public init(_ column: RunArray) { self.column = column }

        @inlinable @inline(__always)
        public mutating func callAsFunction(_ i: Int) -> Element {
            if column.isDense { return column[i] }
            if i < lo || i >= hi {
                run = i == hi && run + 1 < column.starts.count && hi > 0 ? run + 1 : column.run(containing: i)
                let r = column.rows(ofRun: run)
                (lo, hi) = (r.lowerBound, r.upperBound)
            }
            let v = column.values[run]
            return column.stepped ? v &+ Element(truncatingIfNeeded: i) : v
        }
    }
}
