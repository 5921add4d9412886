// Predicate.swift — a `where` condition made ready for many store rows.
// A condition that reads one field (other than amount) has the same answer
// for every row with the same integer in that field's column (the same
// interned text, packed code or enum byte), so it is evaluated once per
// distinct integer, by the expression evaluator itself, and remembered;
// `and`, `or` and `not` combine such parts with the same three-valued logic
// as Expression.swift. Anything else (amounts, several fields in one
// comparison) is evaluated per row. The tree runs over a vector of positions
// at a time (a selection vector: `and` passes on only what its left side did
// not fail); a chain of `and`s of one-field parts, the usual filter, narrows
// one selection vector part by part, with no answer kept per position.
// Statements the fact selection made are evaluated as they are.

import FiscalData

/// The answer of a condition: true, false, or unknown (a comparison with null).
enum Truth: UInt8 { case unknown = 0, yes, no, null }

final class Predicate {
    private indirect enum Node {
        /// Decided by one field's integer, remembered in `memos[slot]`.
        case byField(StatementField, CExpr, slot: Int)
        case and(Node, Node), or(Node, Node), not(Node)
        case perRow(CExpr)
    }

    private let root: Node
    private let evaluator: Evaluator
    private let expr: CExpr
    /// Per field part, its answers by integer (FieldMemo).
    private var memos: [FieldMemo] = []

    init(_ e: CExpr, _ evaluator: Evaluator) {
        self.evaluator = evaluator
        expr = e
        var memos: [FieldMemo] = []
        let poolSize = evaluator.columns.pool.strings.count
        func build(_ e: CExpr) -> Node {
            // A condition of one field, however it combines its parts (`year = 2023 or year = 2024`), is
            // decided per distinct integer as a whole.
            if e.columns.isEmpty, e.fields.count == 1, let f = e.fields.first, f != .amount {
                let slot = memos.count
                memos.append(FieldMemo(flatSize: Predicate.flatSize(f, poolSize: poolSize)))
                return .byField(f, e, slot: slot)
            }
            switch e {
            case .and(let a, let b): return .and(build(a), build(b))
            case .or(let a, let b): return .or(build(a), build(b))
            case .not(let x): return .not(build(x))
            default:
                return .perRow(e)
            }
        }
        root = build(e)
        self.memos = memos
    }

    /// How many integers of `f` a flat table holds (0: a dictionary instead).
    private static func flatSize(_ f: StatementField, poolSize: Int) -> Int {
        switch f {
        case .phase, .measure, .nature, .fund, .cost, .level, .printed: return 256
        case .year: return 65_536
        case .unit, .region, .project, .category, .doc, .table, .derived: return poolSize
        default: return 0
        }
    }

    /// The positions of the statements of `ss` that pass, ascending. The tree is evaluated a whole vector at
    /// a time: `and` asks its right side only about the positions its left side did not fail (`or`: did not
    /// pass), as the row evaluator short-circuits, so an error the evaluator would not reach is not raised here.
    func passing(_ ss: StatementRows) throws(QueryError) -> [Int] {
        var out: [Int]
        if let parts = conjuncts(root) {
            out = try narrowed(parts, ss).map { Int($0) }
        } else {
            let stored = ss.refs.indices.filter { ss.refs[$0] >= 0 }
            out = []
            for (n, t) in zip(stored, try truths(root, ss, stored)) where t == .yes { out.append(n) }
        }
        guard !ss.made.isEmpty else { return out }
        for n in ss.refs.indices where ss.refs[n] < 0 {
            if try evaluator.eval(expr, evaluator.row(ss, n)) == .bool(true) { out.append(n) }
        }
        return out.sorted()
    }

    /// The one-field parts of a chain of `and`s, left to right; nil when some part is not of one field.
    private func conjuncts(_ node: Node) -> [(StatementField, CExpr, Int)]? {
        switch node {
        case .byField(let f, let e, let slot): return [(f, e, slot)]
        case .and(let a, let b):
            guard let x = conjuncts(a), let y = conjuncts(b) else { return nil }
            return x + y
        default: return nil
        }
    }

    /// The positions of the store's rows among `ss` where every part is true: each part is asked about the
    /// positions no part before it found false (so about those where one was unknown, as `and` asks its right
    /// side), and a position where some part was unknown does not pass.
    private func narrowed(_ parts: [(StatementField, CExpr, Int)], _ ss: StatementRows) throws(QueryError) -> [Int32] {
        var selection: [Int32]? = nil
        var unknown: [Bool] = []
        for (f, e, slot) in parts {
            selection = try keep(f, e, slot, ss, selection, &unknown)
        }
        let kept = selection ?? []
        return unknown.isEmpty ? kept : kept.filter { !unknown[Int($0)] }
    }

    /// `keep` over the column of field `f` (never amount: `init` decides amounts per row).
    private func keep(_ f: StatementField, _ e: CExpr, _ slot: Int, _ ss: StatementRows, _ selection: [Int32]?,
                      _ unknown: inout [Bool]) throws(QueryError) -> [Int32] {
        let c = evaluator.columns
        switch f {
        case .unit: return try keep(c.unit, e, slot, ss, selection, &unknown)
        case .region: return try keep(c.region, e, slot, ss, selection, &unknown)
        case .year: return try keep(c.year, e, slot, ss, selection, &unknown)
        case .phase: return try keep(c.phase, e, slot, ss, selection, &unknown)
        case .measure: return try keep(c.measure, e, slot, ss, selection, &unknown)
        case .function, .class, .section, .item: return try keep(RunArray(dense: c.function), e, slot, ss, selection, &unknown)
        case .econ: return try keep(RunArray(dense: c.econDept), e, slot, ss, selection, &unknown)
        case .econGov: return try keep(c.econGov, e, slot, ss, selection, &unknown)
        case .nature: return try keep(c.nature, e, slot, ss, selection, &unknown)
        case .fund: return try keep(c.fund, e, slot, ss, selection, &unknown)
        case .cost: return try keep(c.cost, e, slot, ss, selection, &unknown)
        case .project: return try keep(c.project, e, slot, ss, selection, &unknown)
        case .category: return try keep(c.category, e, slot, ss, selection, &unknown)
        case .doc: return try keep(c.doc, e, slot, ss, selection, &unknown)
        case .table: return try keep(c.table, e, slot, ss, selection, &unknown)
        case .line: return try keep(c.line, e, slot, ss, selection, &unknown)
        case .level: return try keep(c.level, e, slot, ss, selection, &unknown)
        case .derived: return try keep(c.derived, e, slot, ss, selection, &unknown)
        case .printed: return try keep(c.printed, e, slot, ss, selection, &unknown)
        case .amount: preconditionFailure("amount is decided per row")
        }
    }

    /// The positions of `selection` (nil: every store row of `ss`) where one part, by the field's integer in
    /// `column`, is not false; positions where it is unknown are marked in `unknown` (made on first need).
    private func keep<T>(_ column: RunArray<T>, _ e: CExpr, _ slot: Int, _ ss: StatementRows, _ selection: [Int32]?,
                                        _ unknown: inout [Bool]) throws(QueryError) -> [Int32] {
        var memo = memos[slot]
        memos[slot] = .taken
        defer { memos[slot] = memo }
        var out: [Int32] = []
        out.reserveCapacity(selection?.count ?? ss.count)
        var marked = unknown
        unknown = []
        defer { unknown = marked }
        let facts = ss.facts, chosen = selection ?? []
        let count = selection?.count ?? ss.count
        // A column kept a value per row is read as it lies; one kept as runs, a run at a time.
        var col = RunArray.Cursor(column)
        let dense = column.denseValues ?? []
        try dense.withUnsafeBufferPointer { (values: UnsafeBufferPointer<T>) throws(QueryError) in
            try ss.refs.withUnsafeBufferPointer { (refs: UnsafeBufferPointer<Int32>) throws(QueryError) in
                try chosen.withUnsafeBufferPointer { (chosen: UnsafeBufferPointer<Int32>) throws(QueryError) in
                    for i in 0..<count {
                        try evaluator.tick(i)
                        let n = selection == nil ? i : Int(chosen[i])
                        let r = Int(refs[n])
                        guard r >= 0 else { continue }
                        let t = try memo.truth(Int(values.isEmpty ? col(r) : values[r])) { () throws(QueryError) in
                            Predicate.truth(try evaluator.eval(e, .stored(r, leaf: facts)))
                        }
                        if t == .no { continue }
                        if t == .null {
                            if marked.isEmpty { marked = [Bool](repeating: false, count: refs.count) }
                            marked[n] = true
                        }
                        out.append(Int32(n))
                    }
                }
            }
        }
        return out
    }

    /// The truth of `node` at the positions `at` of `ss` (all of them rows of the store).
    private func truths(_ node: Node, _ ss: StatementRows, _ at: [Int]) throws(QueryError) -> [Truth] {
        switch node {
        case .and(let a, let b), .or(let a, let b):
            var isAnd = false
            if case .and = node { isAnd = true }
            let stop: Truth = isAnd ? .no : .yes
            var x = try truths(a, ss, at)
            let ask = at.indices.filter { x[$0] != stop }
            let y = try truths(b, ss, ask.map { at[$0] })
            for (i, t) in zip(ask, y) {
                if t == stop { x[i] = stop } else if x[i] == .null || t == .null { x[i] = .null } else { x[i] = isAnd ? .yes : .no }
            }
            return x
        case .not(let a):
            return try truths(a, ss, at).map { $0 == .yes ? .no : $0 == .no ? .yes : .null }
        case .perRow(let e):
            var out: [Truth] = []
            out.reserveCapacity(at.count)
            for n in at {
                try evaluator.tick(n)
                out.append(Predicate.truth(try evaluator.eval(e, .stored(Int(ss.refs[n]), leaf: ss.facts))))
            }
            return out
        case .byField(let f, let e, let slot):
            // The positions where the part is not false (ascending, as `at`), those where it is unknown marked.
            var unknown: [Bool] = []
            let kept = try keep(f, e, slot, ss, at.map { Int32($0) }, &unknown)
            var out = [Truth](repeating: .no, count: at.count)
            var k = 0
            for (i, n) in at.enumerated() where k < kept.count && Int(kept[k]) == n {
                out[i] = !unknown.isEmpty && unknown[n] ? .null : .yes
                k += 1
            }
            return out
        }
    }

    private static func truth(_ v: Value) -> Truth {
        switch v {
        case .bool(true): return .yes
        case .bool(false): return .no
        default: return .null
        }
    }
}

/// A one-field condition's answers by the field's integer, each found the first time the integer is met:
/// flat where the integers are small (interned texts, enums, years), else (packed codes) an open-addressing
/// table (Grouping.swift's; no SipHash per row) behind a small direct-mapped cache, as a few thousand distinct
/// codes are met millions of times.
private struct FieldMemo {
    var flat: [Truth]
    var sparse = RawKeyTable(capacity: 64)
    var cacheKeys = [Int](repeating: -1, count: 4096), cacheTruths = [Truth](repeating: .null, count: 4096)

    init(flatSize: Int) { flat = [Truth](repeating: .unknown, count: flatSize) }

    private init() { flat = []; cacheKeys = []; cacheTruths = [] }

    /// What stands in `memos` while a part's memo is in use (taken out, so that it is not copied on write).
    static let taken = FieldMemo()

    /// The answer for integer `key`, from `evaluate` (on a row holding it) the first time.
    @inline(__always)
    mutating func truth(_ key: Int, _ evaluate: () throws(QueryError) -> Truth) throws(QueryError) -> Truth {
        if key >= 0 && key < flat.count {
            var t = flat[key]
            if t == .unknown {
                t = try evaluate()
                flat[key] = t
            }
            return t
        }
        let h = (key &* 0x9E37_79B9) >> 20 & 4095
        if cacheKeys[h] == key { return cacheTruths[h] }
        let t: Truth
        if let known = sparse[RawKey(a: UInt64(truncatingIfNeeded: key), b: 0)] {
            t = Truth(rawValue: UInt8(known))!
        } else {
            t = try evaluate()
            sparse.insert(RawKey(a: UInt64(truncatingIfNeeded: key), b: 0), Int32(t.rawValue))
        }
        (cacheKeys[h], cacheTruths[h]) = (key, t)
        return t
    }
}
