// Predicate.swift — a `where` condition made ready for many store rows.
// A condition that reads one field (other than amount) has the same answer
// for every row with the same integer in that field's column (the same
// interned text, packed code or enum byte), so it is evaluated once per
// distinct integer, by the expression evaluator itself, and remembered;
// `and`, `or` and `not` combine such parts with the same three-valued logic
// as Expression.swift. Anything else (amounts, several fields in one
// comparison) is evaluated per row. Statements the fact selection made are
// always evaluated as they are.

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
    /// Per field part: answers by integer, flat where the integers are small, else in a dictionary.
    private var flat: [[Truth]] = []
    private var sparse: [[UInt32: Truth]] = []

    init(_ e: CExpr, _ evaluator: Evaluator) {
        self.evaluator = evaluator
        expr = e
        var flat: [[Truth]] = [], sparse: [[UInt32: Truth]] = []
        let poolSize = evaluator.columns.pool.strings.count
        func build(_ e: CExpr) -> Node {
            switch e {
            case .and(let a, let b): return .and(build(a), build(b))
            case .or(let a, let b): return .or(build(a), build(b))
            case .not(let x): return .not(build(x))
            default:
                guard e.columns.isEmpty else { return .perRow(e) }
                let fields = e.fields
                if fields.isEmpty { return .perRow(e) }
                guard fields.count == 1, let f = fields.first, f != .amount else { return .perRow(e) }
                let slot = flat.count
                flat.append([Truth](repeating: .unknown, count: Predicate.flatSize(f, poolSize: poolSize)))
                sparse.append([:])
                return .byField(f, e, slot: slot)
            }
        }
        root = build(e)
        self.flat = flat
        self.sparse = sparse
    }

    /// How many integers of `f` a flat table holds (0: a dictionary instead).
    private static func flatSize(_ f: StatementField, poolSize: Int) -> Int {
        switch f {
        case .phase, .measure, .nature, .fund, .cost, .level: return 256
        case .year: return 65_536
        case .unit, .region, .project, .category, .doc, .table, .derived: return poolSize
        default: return 0
        }
    }

    /// Whether row `n` of `ss` passes.
    func passes(_ ss: StatementRows, _ n: Int) throws(QueryError) -> Bool {
        let r = ss.refs[n]
        if r < 0 { return try evaluator.eval(expr, evaluator.row(ss, n)) == .bool(true) }
        return try truth(root, Int(r), leaf: ss.facts) == .yes
    }

    private func truth(_ node: Node, _ r: Int, leaf: Bool) throws(QueryError) -> Truth {
        switch node {
        case .and(let a, let b):
            let x = try truth(a, r, leaf: leaf)
            if x == .no { return .no }
            let y = try truth(b, r, leaf: leaf)
            if y == .no { return .no }
            return x == .null || y == .null ? .null : .yes
        case .or(let a, let b):
            let x = try truth(a, r, leaf: leaf)
            if x == .yes { return .yes }
            let y = try truth(b, r, leaf: leaf)
            if y == .yes { return .yes }
            return x == .null || y == .null ? .null : .no
        case .not(let a):
            switch try truth(a, r, leaf: leaf) {
            case .yes: return .no
            case .no: return .yes
            default: return .null
            }
        case .perRow(let e):
            return Predicate.truth(try evaluator.eval(e, .stored(r, leaf: leaf)))
        case .byField(let f, let e, let slot):
            let key = evaluator.rawValue(f, r)
            if Int(key) < flat[slot].count {
                let t = flat[slot][Int(key)]
                if t != .unknown { return t }
                let fresh = Predicate.truth(try evaluator.eval(e, .stored(r, leaf: leaf)))
                flat[slot][Int(key)] = fresh
                return fresh
            }
            if let t = sparse[slot][key] { return t }
            let fresh = Predicate.truth(try evaluator.eval(e, .stored(r, leaf: leaf)))
            sparse[slot][key] = fresh
            return fresh
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
