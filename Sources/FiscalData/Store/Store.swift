// Store.swift — the in-memory statement store.
//
// Statements are kept as columns of small integers (structure of arrays):
// text fields are interned into one string pool, codes are packed into a
// UInt32, enums into a UInt8, amounts into an Int64. There is no object or
// dictionary per statement, so the store holds tens of millions of rows.
// A store is built once with `StoreBuilder` and is immutable afterwards;
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

/// The columns of a set of statements, row i across all arrays: the store's public, read-only face for
/// executors that read columns rather than statements. Text is an id into `pool` (0: none), a code is
/// `Code.packed` (0: none), an enum its `ByteCoded` byte (0: none), an amount `Money.units`.
public struct Columns: Sendable {
    public internal(set) var pool = StringPool()
    public internal(set) var unit: [UInt32] = []
    public internal(set) var region: [UInt32] = []
    public internal(set) var year: [Int16] = []
    public internal(set) var phase: [UInt8] = []
    public internal(set) var measure: [UInt8] = []
    public internal(set) var function: [UInt32] = []
    public internal(set) var econDept: [UInt32] = []
    public internal(set) var econGov: [UInt32] = []
    public internal(set) var nature: [UInt8] = []
    public internal(set) var fund: [UInt8] = []
    public internal(set) var cost: [UInt8] = []
    public internal(set) var project: [UInt32] = []
    public internal(set) var category: [UInt32] = []
    public internal(set) var amount: [Int64] = []
    public internal(set) var doc: [UInt32] = []
    public internal(set) var table: [UInt32] = []
    public internal(set) var line: [Int32] = []
    public internal(set) var level: [UInt8] = []
    public internal(set) var derived: [UInt32] = []

    public var count: Int { amount.count }

    mutating func reserve(_ n: Int) {
        unit.reserveCapacity(n); region.reserveCapacity(n); year.reserveCapacity(n)
        phase.reserveCapacity(n); measure.reserveCapacity(n); function.reserveCapacity(n)
        econDept.reserveCapacity(n); econGov.reserveCapacity(n); nature.reserveCapacity(n)
        fund.reserveCapacity(n); cost.reserveCapacity(n); project.reserveCapacity(n)
        category.reserveCapacity(n); amount.reserveCapacity(n); doc.reserveCapacity(n)
        table.reserveCapacity(n); line.reserveCapacity(n); level.reserveCapacity(n)
        derived.reserveCapacity(n)
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
    }

    public func statement(_ i: Int) -> Statement {
        Statement(unit: pool[unit[i]]!, region: pool[region[i]] ?? "", year: Int(year[i]),
                  phase: Phase.decode(phase[i])!, measure: Measure.decode(measure[i])!,
                  function: Code(packed: function[i]), econDept: Code(packed: econDept[i]),
                  econGov: Code(packed: econGov[i]), nature: Nature.decode(nature[i]),
                  fund: Fund.decode(fund[i]), cost: Cost.decode(cost[i]),
                  project: pool[project[i]], category: pool[category[i]],
                  amount: Money(units: amount[i]), doc: pool[doc[i]]!, table: pool[table[i]] ?? "",
                  line: Int(line[i]), level: RowLevel.decode(level[i])!, derived: pool[derived[i]])
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

/// The immutable, indexed statement store.
public struct Store: Sendable {
    public let columns: Columns
    let indexes: Indexes

    init(columns: Columns) {
        self.init(unchecked: columns, indexes: Indexes(columns))
        #if DEBUG
        let problems = checkInvariants()
        assert(problems.isEmpty, "store invariants: \(problems.joined(separator: "; "))")
        #endif
    }

    /// A store from parts, without the debug invariant check (for tests that break invariants on purpose).
    init(unchecked columns: Columns, indexes: Indexes) {
        self.columns = columns
        self.indexes = indexes
    }

    /// A store of `statements`; throws on the first invalid statement.
    public init(_ statements: [Statement]) throws(StoreError) {
        var b = StoreBuilder(reserving: statements.count)
        for s in statements { try b.append(s) }
        self = b.build()
    }

    public static let empty = Store(columns: Columns())

    public var count: Int { columns.count }

    /// The statement in row `i` (0-based), materialised.
    public func statement(at i: Int) -> Statement { columns.statement(i) }

    /// Every statement, in row order.
    public var statements: [Statement] { (0..<count).map(statement(at:)) }

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
