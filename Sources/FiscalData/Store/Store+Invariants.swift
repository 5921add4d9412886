// Store+Invariants.swift — what must hold of a built store, checked in debug
// builds whenever a store is built and by the tests: every column has one
// entry per row, enums and codes decode, every index agrees with a full scan.

extension Store {
    /// Every violated invariant, described; empty when the store is sound.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        let c = columns, n = c.count
        struct Lengths: ColumnVisitor {
            let c: Columns
            var all: [Int] = []
            mutating func runs<T>(_ k: WritableKeyPath<Columns, RunArray<T>>, text: Bool) { all.append(c[keyPath: k].count) }
            mutating func dense<T>(_ k: WritableKeyPath<Columns, [T]>) { all.append(c[keyPath: k].count) }
        }
        var counted = Lengths(c: c)
        Columns.eachColumn(&counted)
        let lengths = counted.all
        if lengths.contains(where: { $0 != n }) {
            return ["column lengths differ: \(lengths) against \(n) amounts"]
        }
        for i in 0..<n {
            if c.unit[i] == 0 || c.doc[i] == 0 { problems.append("row \(i): no unit or document") }
            if Phase.decode(c.phase[i]) == nil { problems.append("row \(i): bad phase byte") }
            if Measure.decode(c.measure[i]) == nil { problems.append("row \(i): bad measure byte") }
            if RowLevel.decode(c.level[i]) == nil { problems.append("row \(i): bad level byte") }
            if AmountUnit(byte: c.printed[i]) == nil { problems.append("row \(i): bad printed byte") }
            if c.function[i] != 0, Code(packed: c.function[i])?.scheme != .function {
                problems.append("row \(i): func column holds a non-functional code")
            }
            if problems.count > 20 { return problems }
        }
        func scanAgrees<K: Hashable>(_ name: String, _ index: [K: RowRanges], _ key: (Int) -> K) {
            var expect: [K: RowList] = [:]
            for i in 0..<n { expect[key(i), default: []].append(Int32(i)) }
            if expect != index.mapValues(\.rows) || !index.values.allSatisfy({ $0.isValid(below: n) }) {
                problems.append("\(name) index disagrees with a full scan")
            }
        }
        scanAgrees("unit", indexes.byUnit) { c.unit[$0] }
        scanAgrees("year", indexes.byYear) { c.year[$0] }
        scanAgrees("phase", indexes.byPhase) { c.phase[$0] }
        scanAgrees("measure", indexes.byMeasure) { c.measure[$0] }
        let p = indexes.byFunction
        guard p.isWellFormed else { return problems + ["func index is not well formed"] }
        let listed = p.all
        let withFunc = (0..<n).filter { c.function[$0] != 0 }.map(Int32.init)
        if listed.map(\.row).sorted() != withFunc || listed.contains(where: { Int($0.row) >= n || c.function[Int($0.row)] != $0.code }) {
            problems.append("func index does not hold exactly the rows with a code")
        }
        let keys = p.codes.map { (Code(packed: $0)!.sortKey, $0) }
        if zip(keys, keys.dropFirst()).contains(where: { !($0 < $1) }) || listed.indices.dropFirst().contains(where: {
            listed[$0].code == listed[$0 - 1].code && listed[$0].row <= listed[$0 - 1].row
        }) {
            problems.append("func index is not sorted")
        }
        return problems
    }
}

extension Store {
    /// The bytes the store's parts hold (arrays by their capacity), largest first: for the benchmark's account
    /// of memory per statement.
    public var bytesHeld: [(part: String, bytes: Int)] {
        func bytes<T>(_ a: [T]) -> Int { a.capacity * MemoryLayout<T>.stride }
        func bytes<T>(_ a: RunArray<T>) -> Int { bytes(a.values) + bytes(a.starts) + bytes(a.blockRun) }
        let c = columns
        var out: [(String, Int)] = [
            ("unit", bytes(c.unit)), ("region", bytes(c.region)), ("year", bytes(c.year)), ("phase", bytes(c.phase)),
            ("measure", bytes(c.measure)), ("function", bytes(c.function)), ("econDept", bytes(c.econDept)),
            ("econGov", bytes(c.econGov)), ("nature", bytes(c.nature)), ("fund", bytes(c.fund)), ("cost", bytes(c.cost)),
            ("project", bytes(c.project)), ("category", bytes(c.category)), ("amount", bytes(c.amount)),
            ("doc", bytes(c.doc)), ("table", bytes(c.table)), ("line", bytes(c.line)), ("level", bytes(c.level)),
            ("derived", bytes(c.derived)), ("printed", bytes(c.printed)),
            ("text pool", c.pool.strings.reduce(0) { $0 + $1.utf8.count + 16 }),
            ("given order", given.map(bytes) ?? 0), ("func index", bytes(indexes.byFunction.gaps) + bytes(indexes.byFunction.codes) + bytes(indexes.byFunction.offsets)),
        ]
        func postings<K>(_ p: [K: RowRanges]) -> Int { p.values.reduce(0) { $0 + bytes($1.bounds) } }
        out.append(("value indexes", postings(indexes.byUnit) + postings(indexes.byYear) + postings(indexes.byPhase)
                    + postings(indexes.byMeasure)))
        return out.sorted { $0.1 > $1.1 }
    }
}
