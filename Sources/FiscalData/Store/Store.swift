// Store.swift — the in-memory statement store.
//
// Statements are kept as columns of small integers (structure of arrays):
// text fields are interned into one string pool, codes are packed into a
// UInt32, enums into a UInt8, amounts into an Int64. There is no object or
// dictionary per statement, so the store holds tens of millions of rows.
// Rows are kept clustered by group (unit, year, phase, measure) whatever
// the order the statements came in; `statements` gives them back in that
// order. A store is built once with `StoreBuilder` and is immutable afterwards;
// its indexes (Store+Indexes.swift) are built with it, and in debug builds
// its invariants (Store+Invariants.swift) are checked when it is built.

/// Interned strings; id 0 is reserved for "none".
public struct StringPool: Sendable {
    public private(set) var strings: [String] = [""]
    private var ids: [String: UInt32] = [:]

    mutating func intern(_ s: String?) -> UInt32 {
        guard let s else { return 0 }
        if let id = ids[s] { return id }
        let id = UInt32(strings.count)
        strings.append(s)
        ids[s] = id
        return id
    }

    public func id(of s: String) -> UInt32? { ids[s] }

    public subscript(id: UInt32) -> String? { id == 0 ? nil : strings[Int(id)] }
}

/// Stores enums as UInt8 with 0 for nil.
public protocol ByteCoded: CaseIterable, Equatable {}
extension ByteCoded {
    public static func code(_ v: Self?) -> UInt8 {
        guard let v else { return 0 }
        return UInt8(Array(allCases).firstIndex(of: v)! + 1)
    }
    /// The value coded as `b`; nil for 0 and for a byte no case has.
    public static func decode(_ b: UInt8) -> Self? {
        let all = Array(allCases)
        return b == 0 || Int(b) > all.count ? nil : all[Int(b) - 1]
    }
}
extension Phase: ByteCoded {}
extension Measure: ByteCoded {}
extension Nature: ByteCoded {}
extension Fund: ByteCoded {}
extension Cost: ByteCoded {}
extension RowLevel: ByteCoded {}

/// What is done to each column of `Columns`, told its key path (`Columns.eachColumn`): a column kept as runs
/// (`text`: its integers are ids in the pool), or a value per row.
protocol ColumnVisitor {
    mutating func runs<T>(_ column: WritableKeyPath<Columns, RunArray<T>>, text: Bool)
    mutating func dense<T>(_ column: WritableKeyPath<Columns, [T]>)
}

extension ColumnVisitor {
    mutating func runs<T>(_ column: WritableKeyPath<Columns, RunArray<T>>) { runs(column, text: false) }
}

/// The columns of a set of statements, row i across all arrays: the store's public, read-only face for
/// executors that read columns rather than statements. Text is an id into `pool` (0: none), a code is
/// `Code.packed` (0: none), an enum its `ByteCoded` byte (0: none), an amount `Money.units`.
public struct Columns: Sendable {
    public internal(set) var pool = StringPool()
    public internal(set) var unit = RunArray<UInt32>()
    public internal(set) var region = RunArray<UInt32>()
    public internal(set) var year = RunArray<Int16>()
    public internal(set) var phase = RunArray<UInt8>()
    public internal(set) var measure = RunArray<UInt8>()
    public internal(set) var function: [UInt32] = []
    public internal(set) var econDept: [UInt32] = []
    public internal(set) var econGov = RunArray<UInt32>()
    public internal(set) var nature = RunArray<UInt8>()
    public internal(set) var fund = RunArray<UInt8>()
    public internal(set) var cost = RunArray<UInt8>()
    public internal(set) var project = RunArray<UInt32>()
    public internal(set) var category = RunArray<UInt32>()
    public internal(set) var amount: [Int64] = []
    public internal(set) var doc = RunArray<UInt32>()
    public internal(set) var table = RunArray<UInt32>()
    public internal(set) var line = RunArray<Int32>(stepped: true)
    public internal(set) var level = RunArray<UInt8>()
    public internal(set) var derived = RunArray<UInt32>()
    /// `AmountUnit.byte` of the unit the document printed the figure in (0: 万元; 1: 元, converted).
    public internal(set) var printed = RunArray<UInt8>()

    public var count: Int { amount.count }

    /// Every column once, each by its key path: what reserving, joining, compacting, indexing and reordering
    /// walk (a column added is added here, and to `append(_:)`, the fast reader and the snapshot).
    static func eachColumn<V: ColumnVisitor>(_ v: inout V) {
        v.runs(\.unit, text: true); v.runs(\.region, text: true); v.runs(\.year); v.runs(\.phase)
        v.runs(\.measure); v.dense(\.function); v.dense(\.econDept); v.runs(\.econGov); v.runs(\.nature)
        v.runs(\.fund); v.runs(\.cost); v.runs(\.project, text: true); v.runs(\.category, text: true)
        v.dense(\.amount); v.runs(\.doc, text: true); v.runs(\.table, text: true); v.runs(\.line); v.runs(\.level)
        v.runs(\.derived, text: true); v.runs(\.printed)
    }

    /// Does one thing to every run-kept column.
    private struct EachRunColumn: ColumnVisitor {
        var columns: Columns
        let act: Act
        enum Act { case reserve(Int), compact, index }
        mutating func runs<T>(_ c: WritableKeyPath<Columns, RunArray<T>>, text: Bool) {
            switch act {
            case .reserve(let n): columns[keyPath: c].reserveRows(n)
            case .compact: columns[keyPath: c].compact()
            case .index: columns[keyPath: c].index()
            }
        }
        mutating func dense<T>(_ c: WritableKeyPath<Columns, [T]>) {
            if case .reserve(let n) = act { columns[keyPath: c].reserveCapacity(n) }
        }
    }

    private mutating func each(_ act: EachRunColumn.Act) {
        var v = EachRunColumn(columns: self, act: act)
        self = Columns()   // the columns are the visitor's while it works: each changed in place, none copied
        Columns.eachColumn(&v)
        self = v.columns
    }

    /// Room for `n` rows in the columns kept a value per row, and in the others should they turn dense.
    mutating func reserve(_ n: Int) { each(.reserve(n)) }

    /// Keeps runs in every column whose rows turned out to have few (after rows came in another order).
    mutating func compact() { each(.compact) }

    /// Indexes the runs of every column kept as runs (`RunArray.index`), once its rows are all in.
    mutating func indexRuns() { each(.index) }

    /// Appends the rows of `other`, its texts interned into this pool (new ones after this pool's, in the
    /// order `other` met them: as if one reader had read both).
    mutating func append(contentsOf other: Columns) {
        struct Join: ColumnVisitor {
            var columns: Columns
            let other: Columns
            let id: [UInt32]
            mutating func runs<T>(_ c: WritableKeyPath<Columns, RunArray<T>>, text: Bool) {
                // A text's id in `other` is another id here.
                let theirs = text ? other[keyPath: c].mapped { T(truncatingIfNeeded: id[Int($0)]) } : other[keyPath: c]
                columns[keyPath: c].append(contentsOf: theirs)
            }
            mutating func dense<T>(_ c: WritableKeyPath<Columns, [T]>) { columns[keyPath: c] += other[keyPath: c] }
        }
        var id = [UInt32](repeating: 0, count: other.pool.strings.count)
        for k in id.indices.dropFirst() { id[k] = pool.intern(other.pool.strings[k]) }
        reserve(count + other.count)
        var v = Join(columns: self, other: other, id: id)
        self = Columns()
        Columns.eachColumn(&v)
        self = v.columns
    }

    mutating func append(_ s: Statement) {
        unit.append(pool.intern(s.unit))
        region.append(pool.intern(s.region))
        year.append(Int16(s.year))
        phase.append(Phase.code(s.phase))
        measure.append(Measure.code(s.measure))
        function.append(s.function?.packed ?? 0)
        econDept.append(s.econDept?.packed ?? 0)
        econGov.append(s.econGov?.packed ?? 0)
        nature.append(Nature.code(s.nature))
        fund.append(Fund.code(s.fund))
        cost.append(Cost.code(s.cost))
        project.append(pool.intern(s.project))
        category.append(pool.intern(s.category))
        amount.append(s.amount.units)
        doc.append(pool.intern(s.doc))
        table.append(pool.intern(s.table))
        line.append(Int32(s.line))
        level.append(RowLevel.code(s.level))
        derived.append(pool.intern(s.derived))
        printed.append(s.printed.byte)
    }

    /// Rows' groups (unit, year, phase, measure) each as one integer, read in ascending order of rows without a
    /// search per row: the unit's id in the high half, then the year, the phase's byte and the measure's byte.
    struct GroupKeys {
        var unit: RunArray<UInt32>.Cursor, year: RunArray<Int16>.Cursor
        var phase: RunArray<UInt8>.Cursor, measure: RunArray<UInt8>.Cursor

        init(_ c: Columns) {
            (unit, year, phase, measure) = (.init(c.unit), .init(c.year), .init(c.phase), .init(c.measure))
        }

        @inline(__always)
        mutating func callAsFunction(_ i: Int) -> UInt64 {
            UInt64(unit(i)) << 32 | UInt64(UInt16(bitPattern: year(i))) << 16 | UInt64(phase(i)) << 8 | UInt64(measure(i))
        }
    }

    public func statement(_ i: Int) -> Statement {
        Statement(unit: pool[unit[i]]!, region: pool[region[i]] ?? "", year: Int(year[i]),
                  phase: Phase.decode(phase[i])!, measure: Measure.decode(measure[i])!,
                  function: Code(packed: function[i]), econDept: Code(packed: econDept[i]),
                  econGov: Code(packed: econGov[i]), nature: Nature.decode(nature[i]),
                  fund: Fund.decode(fund[i]), cost: Cost.decode(cost[i]),
                  project: pool[project[i]], category: pool[category[i]],
                  amount: Money(units: amount[i]), doc: pool[doc[i]]!, table: pool[table[i]] ?? "",
                  line: Int(line[i]), level: RowLevel.decode(level[i])!, derived: pool[derived[i]],
                  printed: AmountUnit(byte: printed[i])!)
    }
}

/// Why a statement cannot enter the store.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self { case let .invalid(m): return m }
    }
}

/// Collects statements, then builds an immutable, indexed `Store`.
public struct StoreBuilder: Sendable {
    var columns = Columns()

    public init(reserving n: Int = 0) { columns.reserve(n) }

    public var count: Int { columns.count }

    /// Adds a statement; throws if its fields contradict each other.
    public mutating func append(_ s: Statement) throws(StoreError) {
        try Store.validate(s)
        columns.append(s)
    }

    public func build() -> Store { Store(columns: columns) }
}

/// The immutable, indexed statement store. Its rows are kept clustered by group (unit, year, phase,
/// measure): each group's statements are contiguous, in the order they were given, so that a query reads
/// a group's facts from one place of each column whatever the order of the statements it was built from
/// (a file sorted otherwise, or shuffled). A row number is a place in the columns; `statements` gives them
/// back in the order they were given, and `givenPosition` says where a row was in it.
public struct Store: Sendable {
    public let columns: Columns
    let indexes: Indexes
    /// For each row, its position in the order the statements were given; nil when that is the rows' order.
    /// Kept stepped (a group's statements that came one after another are one run).
    let given: RunArray<Int32>?

    init(columns: Columns) {
        var (clustered, given) = Store.clustered(columns)
        if given == nil { clustered.compact() }
        clustered.indexRuns()
        self.init(unchecked: clustered, indexes: Indexes(clustered), given: given)
        #if DEBUG
        let problems = checkInvariants()
        assert(problems.isEmpty, "store invariants: \(problems.joined(separator: "; "))")
        #endif
    }

    /// A store from parts, without the debug invariant check (for tests that break invariants on purpose).
    init(unchecked columns: Columns, indexes: Indexes, given: RunArray<Int32>? = nil) {
        self.columns = columns
        self.indexes = indexes
        self.given = given
    }

    /// Where row `row` was in the order the statements were given.
    @inline(__always)
    public func givenPosition(_ row: Int) -> Int { given.map { Int($0[row]) } ?? row }

    /// Whether the rows are in another order than the statements were given in.
    public var isReordered: Bool { given != nil }

    /// The rows in the order the statements were given: `givenOrder[i]` is the row of the i-th statement.
    public var givenOrder: [Int32] {
        guard let given else { return (0..<Int32(count)).map { $0 } }
        var out = [Int32](repeating: 0, count: count)
        for (r, p) in given.enumerated() { out[Int(p)] = Int32(r) }
        return out
    }

    /// `columns` with each group's rows made contiguous, groups by year, phase, measure and unit, rows of a
    /// group in their order; and where each row came from. The columns as they are, and nil, when they are so
    /// already. A counting sort of rows: only the groups are compared.
    static func clustered(_ c: Columns, twoThreadsFrom: Int = twoThreadRows) -> (Columns, RunArray<Int32>?) {
        let n = c.count
        guard n > 1 else { return (c, nil) }
        // Each row's group, groups numbered in the order first met: on two threads, each half of the rows,
        // the second half's groups then numbered after the first's as one pass would have.
        var groupOf = [Int32](repeating: 0, count: n)
        let half = n >= twoThreadsFrom ? n / 2 : n
        let parts = UnsafeMutablePointer<GroupCount>.allocate(capacity: 2)
        parts.initialize(repeating: GroupCount(), count: 2)
        defer { parts.deinitialize(count: 2); parts.deallocate() }
        groupOf.withUnsafeMutableBufferPointer { rows in
            let rows = Unchecked(value: rows)
            inTwoParts(parallel: half < n) { k in parts[k].count(c, k == 0 ? 0..<half : half..<n, into: rows.value) }
        }
        var (all, second) = (parts[0], parts[1])
        if half < n {
            var renumber = [Int32](repeating: 0, count: second.keys.count)
            for (j, key) in second.keys.enumerated() {
                if let known = all.ids[key] {
                    renumber[j] = known
                    all.sizes[Int(known)] += second.sizes[j]
                    // Only the first half's last group may go on into the second half.
                    if j != 0 || known != groupOf[half - 1] { all.contiguous = false }
                } else {
                    renumber[j] = Int32(all.keys.count)
                    all.ids.insert(key, renumber[j])
                    all.keys.append(key)
                    all.sizes.append(second.sizes[j])
                }
            }
            all.contiguous = all.contiguous && second.contiguous
            if renumber.indices.contains(where: { renumber[$0] != Int32($0) }) {
                for i in half..<n { groupOf[i] = renumber[Int(groupOf[i])] }
            }
        }
        let (sizes, keys, contiguous) = (all.sizes, all.keys, all.contiguous)
        // Groups by year, phase and measure (the key's low bits), then unit by name: questions mostly ask
        // for a year and a phase, whose statements then lie together (and stay in the caches).
        let order = keys.indices.sorted { a, b in
            let (x, y) = (keys[a], keys[b])
            let (p, q) = (x & 0xFFFF_FFFF, y & 0xFFFF_FFFF)
            if p != q {
                let (yp, yq) = (Int16(bitPattern: UInt16(p >> 16)), Int16(bitPattern: UInt16(q >> 16)))
                return yp != yq ? yp < yq : p < q
            }
            return c.pool[UInt32(x >> 32)]! < c.pool[UInt32(y >> 32)]!
        }
        if contiguous && order.elementsEqual(keys.indices) { return (c, nil) }
        var next = [Int](repeating: 0, count: sizes.count)
        var at = 0
        for g in order { next[g] = at; at += sizes[g] }
        var given = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let g = Int(groupOf[i])
            given[next[g]] = Int32(i)
            next[g] += 1
        }
        groupOf = []
        // A group's own fields are one run per group in the new order: made from the groups' keys, not gathered.
        var own = (unit: RunArray<UInt32>(), year: RunArray<Int16>(), phase: RunArray<UInt8>(), measure: RunArray<UInt8>())
        for g in order {
            let (k, rows) = (keys[g], sizes[g])
            own.unit.append(UInt32(k >> 32), count: rows)
            own.year.append(Int16(bitPattern: UInt16(truncatingIfNeeded: k >> 16)), count: rows)
            own.phase.append(UInt8(truncatingIfNeeded: k >> 8), count: rows)
            own.measure.append(UInt8(truncatingIfNeeded: k), count: rows)
        }
        own.unit.finish(); own.year.finish(); own.phase.finish(); own.measure.finish()
        // Each column reordered, half of them on each of two threads (each writes only its own columns).
        let out = UnsafeMutablePointer<Columns>.allocate(capacity: 1)
        out.initialize(to: c)
        (out.pointee.unit, out.pointee.year, out.pointee.phase, out.pointee.measure) = own
        defer { out.deinitialize(count: 1); out.deallocate() }
        let from = given
        // Where rows came in group by group (a file in document order), the new order is a few stretches of
        // old rows in order: each copied whole (a run-kept column a run at a time), not a row at a time.
        var stretches: [(old: Int, count: Int)] = []
        var lo = 0
        for i in 1...n where i == n || from[i] != from[i - 1] + 1 {
            stretches.append((Int(from[lo]), i - lo))
            lo = i
            if stretches.count * 8 >= n { break }   // too many to be worth it: gathered row by row, none kept
        }
        let byStretch = stretches.count * 8 < n
        inTwoParts(parallel: n >= twoThreadRows) { k in
            var reorder = Reorder(from: from, stretches: byStretch ? stretches : nil, out: out, part: k)
            Columns.eachColumn(&reorder)
        }
        return (out.pointee, RunArray(given, stepped: true))
    }

    /// Each column but a group's own (made from the groups' keys) put in the new order, every other column:
    /// thread `part` takes its half (each writes only its own columns). `stretches`: where the new order is a
    /// few stretches of old rows in order, each copied whole (a run-kept column a run at a time), not a row at
    /// a time; nil where rows are gathered one by one.
    private struct Reorder: ColumnVisitor {
        let from: [Int32]
        let stretches: [(old: Int, count: Int)]?
        let out: UnsafeMutablePointer<Columns>
        let part: Int
        var next = 0

        init(from: [Int32], stretches: [(old: Int, count: Int)]?, out: UnsafeMutablePointer<Columns>, part: Int) {
            (self.from, self.stretches, self.out, self.part) = (from, stretches, out, part)
        }

        /// Whether `c` is this thread's to reorder.
        private mutating func mine(_ c: PartialKeyPath<Columns>) -> Bool {
            // A group's own fields are made from the groups' keys.
            guard c != \Columns.unit, c != \Columns.year, c != \Columns.phase, c != \Columns.measure else { return false }
            defer { next += 1 }
            return next % 2 == part
        }

        private func copied<T>(_ old: [T], _ stretches: [(old: Int, count: Int)]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(from.count)
            for (a, k) in stretches { out += old[a..<a + k] }
            return out
        }

        mutating func dense<T>(_ c: WritableKeyPath<Columns, [T]>) {
            guard mine(c) else { return }
            let old = out.pointee[keyPath: c]
            out.pointee[keyPath: c] = stretches.map { copied(old, $0) } ?? from.map { old[Int($0)] }
        }

        mutating func runs<T>(_ c: WritableKeyPath<Columns, RunArray<T>>, text: Bool) {
            guard mine(c) else { return }
            let old = out.pointee[keyPath: c]
            guard let stretches else { out.pointee[keyPath: c] = old.gathered(from); return }
            if old.isDense {
                out.pointee[keyPath: c] = RunArray(copied(old.expanded, stretches), stepped: old.stepped)
                return
            }
            var new = RunArray<T>(stepped: old.stepped)
            for (a, k) in stretches {
                old.forEachRun(in: a..<a + k) { rows, v in
                    if old.stepped { new.appendRising(from: v, count: rows.count) } else { new.append(v, count: rows.count) }
                }
            }
            new.finish()
            out.pointee[keyPath: c] = new
        }
    }

    /// The groups of a stretch of rows, numbered from 0 in the order first met: each one's key, its number of
    /// rows; whether no group came back after another (the rows already clustered).
    private struct GroupCount {
        var ids = SlotTable<UInt64>(capacity: 4096)
        var sizes: [Int] = [], keys: [UInt64] = []
        var contiguous = true

        /// Counts the rows of `range`, writing each one's group number into `groupOf`.
        mutating func count(_ c: Columns, _ range: Range<Int>, into groupOf: UnsafeMutableBufferPointer<Int32>) {
            var last: (key: UInt64, id: Int32) = (.max, -1)
            var keyOf = Columns.GroupKeys(c)
            for i in range {
                let key = keyOf(i)
                if key == last.key { groupOf[i] = last.id; sizes[Int(last.id)] += 1; continue }
                let id: Int32
                if let known = ids[key] { id = known; contiguous = false } else {
                    id = Int32(sizes.count)
                    ids.insert(key, id)
                    sizes.append(0)
                    keys.append(key)
                }
                groupOf[i] = id
                sizes[Int(id)] += 1
                last = (key, id)
            }
        }
    }

    /// A store of `statements`; throws on the first invalid statement.
    public init(_ statements: [Statement]) throws(StoreError) {
        var b = StoreBuilder(reserving: statements.count)
        for s in statements { try b.append(s) }
        self = b.build()
    }

    public static let empty = Store(columns: Columns())

    public var count: Int { columns.count }

    /// The statement in row `i` (0-based; a place in the columns, see `givenPosition`), materialised.
    public func statement(at i: Int) -> Statement { columns.statement(i) }

    /// Every statement, in the order they were given.
    public var statements: [Statement] { givenOrder.map { statement(at: Int($0)) } }

    /// The amount of row `i`.
    public func amount(at i: Int) -> Money { Money(units: columns.amount[i]) }

    /// Checks one statement's fields against each other.
    static func validate(_ s: Statement) throws(StoreError) {
        if s.unit.isEmpty { throw .invalid("a statement needs a unit") }
        if s.doc.isEmpty { throw .invalid("a statement needs a document") }
        if !(1900...2100).contains(s.year) { throw .invalid("year \(s.year) is out of range") }
        if let f = s.function, f.scheme != .function { throw .invalid("func \(f) is not a functional code") }
        if let e = s.econDept, e.scheme != .econDept { throw .invalid("econ_dept \(e) is not a departmental economic code") }
        if let e = s.econGov, e.scheme != .econGov { throw .invalid("econ_gov \(e) is not a government economic code") }
        if s.line < 1 || s.line > Int(Int32.max) { throw .invalid("line \(s.line) must be from 1 to \(Int32.max)") }
    }
}
