// StatementRows.swift — the statements a pipeline carries until a step makes
// a table: references to the store's rows, whose fields are read from the
// store's columns (FiscalData's `Columns`), and the few statements the fact
// selection made itself (a remainder, a total standing alone). No statement
// is materialised per row; `statement(_:_:)` makes one only where a step
// needs every field (a listing, `why`).

import FiscalData

/// The statements flowing through a pipeline.
struct StatementRows {
    /// A row of the store (≥ 0), or `-1 - i` for `made[i]`.
    let refs: [Int32]
    let made: [FiscalData.Statement]
    /// For each of `made`, the store row it was made from: same unit, region, year, phase, measure, document.
    let madeFrom: [Int32]
    /// Facts: every figure reads as a leaf. Rows of `rows` keep their level.
    let facts: Bool
    /// The runs of these statements (Evaluator.runs), found once: several stages of a compare ask for them,
    /// and facts the selector caches keep them from one query to the next.
    let runsFound: FactSelection.Memo

    var count: Int { refs.count }

    init(refs: [Int32], facts: Bool, made: [FiscalData.Statement] = [], madeFrom: [Int32] = [],
         memo: FactSelection.Memo = FactSelection.Memo()) {
        self.refs = refs; self.facts = facts; self.made = made; self.madeFrom = madeFrom; runsFound = memo
    }

    init(_ s: FactSelection) {
        self.init(refs: s.refs, facts: true, made: s.made, madeFrom: s.madeFrom, memo: s.memo)
    }

    /// The same statements, only those at these positions, in this order.
    func keeping(_ positions: some Sequence<Int>) -> StatementRows {
        StatementRows(refs: positions.map { refs[$0] }, facts: facts, made: made, madeFrom: madeFrom)
    }
}

extension Evaluator {
    /// The row `i` of `ss` as an expression reads it.
    @inline(__always)
    func row(_ ss: StatementRows, _ i: Int) -> RowRef {
        let r = ss.refs[i]
        return r >= 0 ? .stored(Int(r), leaf: ss.facts) : .statement(ss.made[Int(-1 - r)])
    }

    /// The statement at `i`, materialised.
    func statement(_ ss: StatementRows, _ i: Int) -> FiscalData.Statement {
        let r = ss.refs[i]
        if r < 0 { return ss.made[Int(-1 - r)] }
        var s = dataset.store.statement(at: Int(r))
        if ss.facts { s.level = .leaf }
        return s
    }

    /// The store row holding `i`'s unit, region, year, phase, measure and document.
    @inline(__always)
    func base(_ ss: StatementRows, _ i: Int) -> Int {
        let r = ss.refs[i]
        return Int(r >= 0 ? r : ss.madeFrom[Int(-1 - r)])
    }

    @inline(__always)
    func amount(_ ss: StatementRows, _ i: Int) -> Money {
        let r = ss.refs[i]
        return r >= 0 ? Money(units: columns.amount[Int(r)]) : ss.made[Int(-1 - r)].amount
    }

    /// Whether `i` is derived (a change, a remainder, a total alone): only such figures have marks.
    @inline(__always)
    func isDerived(_ ss: StatementRows, _ i: Int) -> Bool {
        let r = ss.refs[i]
        return r >= 0 ? columns.derived[Int(r)] != 0 : ss.made[Int(-1 - r)].derived != nil
    }

    func marks(_ ss: StatementRows, _ i: Int) -> Set<FigureMark> {
        let r = ss.refs[i]
        if r < 0 { return ss.made[Int(-1 - r)].marks }
        let (d, p) = (columns.derived[Int(r)], columns.printed[Int(r)])
        if d == 0 && p == 0 { return [] }
        var s = FiscalData.Statement.blank
        s.derived = columns.pool[d]
        s.printed = AmountUnit(byte: p)!
        return s.marks
    }

    /// Whether `i` has any mark: derived (a change, a remainder, a total alone) or printed in 元.
    @inline(__always)
    func hasMarks(_ ss: StatementRows, _ i: Int) -> Bool {
        let r = ss.refs[i]
        if r >= 0 { return columns.derived[Int(r)] != 0 || columns.printed[Int(r)] != 0 }
        let s = ss.made[Int(-1 - r)]
        return s.derived != nil || s.printed == .yuan
    }

    /// The number of `i`'s group (unit, year, phase, measure) in the fact selector.
    @inline(__always)
    func group(_ ss: StatementRows, _ i: Int) -> Int { Int(selector.groupOf[base(ss, i)]) }

    func factGroup(_ ss: StatementRows, _ i: Int) -> FactGroup { selector.groupList[group(ss, i)] }

    func phase(_ ss: StatementRows, _ i: Int) -> Phase { Phase.decode(columns.phase[base(ss, i)])! }

    /// What a row of `ss` came from, for the guards of `sum`.
    func origin(_ ss: StatementRows, _ i: Int, fromRows: Bool) -> RowOrigin {
        let b = base(ss, i), c = columns
        let r = ss.refs[i]
        let level: RowLevel = r < 0 || ss.facts ? .leaf : RowLevel.decode(c.level[b])!
        return RowOrigin(phase: Phase.decode(c.phase[b])!, measure: Measure.decode(c.measure[b])!,
                         table: fromRows ? c.pool[c.doc[b]]! + " " + (c.pool[c.table[b]] ?? "") : nil, level: level)
    }

    /// A field of store row `r`, as `StatementField.value` reads it from the statement.
    func columnValue(_ f: StatementField, _ r: Int, leaf: Bool) -> Value {
        let c = columns
        func text(_ id: UInt32) -> Value { c.pool[id].map(Value.text) ?? .null }
        func code(_ p: UInt32) -> Value { Code(packed: p).map(Value.code) ?? .null }
        switch f {
        case .unit: return text(c.unit[r])
        case .region:
            let name = c.pool[c.region[r]] ?? ""
            return name.isEmpty ? .null : .text(name)
        case .year: return .int(Int(c.year[r]))
        case .phase: return .text(Phase.decode(c.phase[r])!.rawValue)
        case .measure: return .text(Measure.decode(c.measure[r])!.rawValue)
        case .function: return code(c.function[r])
        case .class, .section, .item:
            return Code(packed: c.function[r]).flatMap { $0.truncated(to: f.codeLevel!) }.map(Value.code) ?? .null
        case .econ: return code(c.econDept[r])
        case .econGov: return code(c.econGov[r])
        case .nature: return Nature.decode(c.nature[r]).map { .text($0.rawValue) } ?? .null
        case .fund: return Fund.decode(c.fund[r]).map { .text($0.rawValue) } ?? .null
        case .cost: return Cost.decode(c.cost[r]).map { .text($0.rawValue) } ?? .null
        case .project: return text(c.project[r])
        case .category: return text(c.category[r])
        case .amount: return .money(Money(units: c.amount[r]))
        case .doc: return text(c.doc[r])
        case .table: return .text(c.pool[c.table[r]] ?? "")
        case .line: return .int(Int(c.line[r]))
        case .level: return .text(leaf ? RowLevel.leaf.rawValue : RowLevel.decode(c.level[r])!.rawValue)
        case .derived: return text(c.derived[r])
        case .printed: return c.printed[r] == 0 ? .null : .text(AmountUnit(byte: c.printed[r])!.rawValue)
        }
    }

    /// A field reference (with `.name` forms) on a row.
    func fieldValue(_ ref: FieldRef, _ row: RowRef) -> Value {
        switch row {
        case .statement(let s): return ref.value(s, catalog)
        case .values: return .null
        case .stored(let r, let leaf):
            let v = columnValue(ref.field, r, leaf: leaf)
            guard ref.named else { return v }
            if case .code(let c) = v { return catalog.name(of: c).map(Value.text) ?? .null }
            return .null
        }
    }
}

extension FiscalData.Statement {
    /// A statement with no content, for reading the marks of a `derived` text.
    static let blank = FiscalData.Statement(unit: "", region: "", year: 2000, phase: .final, measure: .spending,
                                            amount: .zero, doc: "", table: "", line: 1)
}
