// Predicate.swift — a `where` condition made ready for many store rows.
// A condition that reads one field (other than amount) has the same answer
// for every row with the same integer in that field's column (the same
// interned text, packed code or enum byte), so it is evaluated once per
// distinct integer, by the expression evaluator itself, and remembered;
// `and`, `or` and `not` combine such parts with the same three-valued logic
// as Expression.swift. Anything else (amounts, several fields in one
// comparison) is evaluated per row. The tree runs over a vector of positions
// at a time (a selection vector: `and` passes on only what its left side did
// not fail). Statements the fact selection made are evaluated as they are.

import FiscalData

/// The answer of a condition: true, false, or unknown (a comparison with null).
enum Truth: UInt8 { case unknown = 0, yes, no, null }

final class Predicate {
    private indirect enum Node {
        /// Decided by one field's integer, remembered in `memo[slot]`.
        case byField(StatementField, CExpr, slot: Int)
        case and(Node, Node), or(Node, Node), not(Node)
        case perRow(CExpr)
    }

    private let root: Node
    private let evaluator: Evaluator
    private let expr: CExpr
    /// Per field part: answers by integer, flat where the integers are small, else (packed codes) in an
    /// open-addressing table of the integers (Grouping.swift's; no SipHash per row).
    private var flat: [[Truth]] = []
    private var sparse: [RawKeyTable] = []

    init(_ e: CExpr, _ evaluator: Evaluator) {
        self.evaluator = evaluator
        expr = e
        var flat: [[Truth]] = [], sparse: [RawKeyTable] = []
        let poolSize = evaluator.columns.pool.strings.count
        func build(_ e: CExpr) -> Node {
            // A condition of one field, however it combines its parts (`year = 2023 or year = 2024`), is
            // decided per distinct integer as a whole.
            if e.columns.isEmpty, e.fields.count == 1, let f = e.fields.first, f != .amount {
                let slot = flat.count
                flat.append([Truth](repeating: .unknown, count: Predicate.flatSize(f, poolSize: poolSize)))
                sparse.append(RawKeyTable(capacity: 64))
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
        self.flat = flat
        self.sparse = sparse
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

    /// Whether each statement of `ss` passes, in order. The tree is evaluated a whole vector at a time:
    /// `and` asks its right side only about the positions its left side did not fail (`or`: did not pass),
    /// as the row evaluator short-circuits, so an error the evaluator would not reach is not raised here.
    func passes(_ ss: StatementRows) throws(QueryError) -> [Bool] {
        let stored = ss.refs.indices.filter { ss.refs[$0] >= 0 }
        var out = [Bool](repeating: false, count: ss.count)
        for (n, t) in zip(stored, try truths(root, ss, stored)) where t == .yes { out[n] = true }
        for n in ss.refs.indices where ss.refs[n] < 0 {
            out[n] = try evaluator.eval(expr, evaluator.row(ss, n)) == .bool(true)
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
            let c = evaluator.columns
            switch f {
            case .unit: return try memo(c.unit, e, slot, ss, at)
            case .region: return try memo(c.region, e, slot, ss, at)
            case .year: return try memo(c.year, e, slot, ss, at)
            case .phase: return try memo(c.phase, e, slot, ss, at)
            case .measure: return try memo(c.measure, e, slot, ss, at)
            case .function, .class, .section, .item: return try memo(c.function, e, slot, ss, at)
            case .econ: return try memo(c.econDept, e, slot, ss, at)
            case .econGov: return try memo(c.econGov, e, slot, ss, at)
            case .nature: return try memo(c.nature, e, slot, ss, at)
            case .fund: return try memo(c.fund, e, slot, ss, at)
            case .cost: return try memo(c.cost, e, slot, ss, at)
            case .project: return try memo(c.project, e, slot, ss, at)
            case .category: return try memo(c.category, e, slot, ss, at)
            case .doc: return try memo(c.doc, e, slot, ss, at)
            case .table: return try memo(c.table, e, slot, ss, at)
            case .line: return try memo(c.line, e, slot, ss, at)
            case .level: return try memo(c.level, e, slot, ss, at)
            case .derived: return try memo(c.derived, e, slot, ss, at)
            case .printed: return try memo(c.printed, e, slot, ss, at)
            case .amount: return try truths(.perRow(e), ss, at)
            }
        }
    }

    /// A one-field condition at `at`, by the field's integer in `column`: evaluated the first time an
    /// integer is met, then remembered (a flat table for small integers, an open-addressing one for codes).
    private func memo<T: BinaryInteger>(_ column: [T], _ e: CExpr, _ slot: Int, _ ss: StatementRows,
                                        _ at: [Int]) throws(QueryError) -> [Truth] {
        var table = flat[slot], more = sparse[slot]
        flat[slot] = []
        sparse[slot] = RawKeyTable(capacity: 0)
        defer { flat[slot] = table; sparse[slot] = more }
        var out = [Truth](repeating: .null, count: at.count)
        // Large integers (packed codes) go through a small direct-mapped cache before the open-addressing
        // table: a few thousand distinct codes, met millions of times.
        var cacheKeys = [Int](repeating: -1, count: 4096), cacheTruths = [Truth](repeating: .null, count: 4096)
        try column.withUnsafeBufferPointer { (col: UnsafeBufferPointer<T>) throws(QueryError) in
            try ss.refs.withUnsafeBufferPointer { (refs: UnsafeBufferPointer<Int32>) throws(QueryError) in
                for (i, n) in at.enumerated() {
                    try evaluator.tick(i)
                    let r = Int(refs[n])
                    let key = Int(col[r])
                    var t: Truth
                    if key < table.count {
                        t = table[key]
                        if t == .unknown {
                            t = Predicate.truth(try evaluator.eval(e, .stored(r, leaf: ss.facts)))
                            table[key] = t
                        }
                    } else {
                        let h = (key &* 0x9E37_79B9) >> 20 & 4095
                        if cacheKeys[h] == key {
                            t = cacheTruths[h]
                        } else {
                            if let known = more[RawKey(a: UInt64(truncatingIfNeeded: key), b: 0)] {
                                t = Truth(rawValue: UInt8(known))!
                            } else {
                                t = Predicate.truth(try evaluator.eval(e, .stored(r, leaf: ss.facts)))
                                more.insert(RawKey(a: UInt64(truncatingIfNeeded: key), b: 0), Int32(t.rawValue))
                            }
                            (cacheKeys[h], cacheTruths[h]) = (key, t)
                        }
                    }
                    out[i] = t
                }
            }
        }
        return out
    }

    private static func truth(_ v: Value) -> Truth {
        switch v {
        case .bool(true): return .yes
        case .bool(false): return .no
        default: return .null
        }
    }
}
