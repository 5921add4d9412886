// SQLArithmetic.swift — FQL's exact arithmetic (+, -, *, /; exactArithmetic in
// Expression.swift) as SQL: whole numbers stay whole, amounts are integer
// millionths of 万元, a product or quotient of amounts is rounded half away
// from zero, division by zero is null, and a result that does not fit in 64
// bits is an overflow. The engines compute in 38 digits (DuckDB's HUGEINT,
// Spark's DECIMAL(38,0)), where every operand pair of 64-bit values fits, and
// a result that would overflow is null in the query itself, so that no engine
// raises its own error; a query run first (`SQLQuery.overflows`) finds the
// first row, in the stage's order, where a node overflows, and the backend
// makes the in-memory engine's error from that row's operands.

import FiscalData
import Foundation

/// One arithmetic node that can overflow: the query finding the first row where it does (its two operands),
/// and what the backend needs to make the in-memory engine's error from them.
struct OverflowCheck {
    let sql: String
    let op: String
    let types: (SQLTranslator.SQLType, SQLTranslator.SQLType)
    let span: Span
}

/// The arithmetic met while a stage is translated: each node's value, which the stage reads as a column
/// (_a0, _a1 …) computed over its input, and the condition under which it overflows.
final class ArithmeticNodes {
    var nodes: [(value: String, a: String, b: String, types: (SQLTranslator.SQLType, SQLTranslator.SQLType), op: String, span: Span,
                 overflow: String)] = []
}

extension SQLTranslator {
    /// The largest 64-bit integer, as SQL text.
    private static let most = "9223372036854775807"

    /// A value widened to 38 digits.
    private func wide(_ sql: String) -> String {
        dialect == .spark ? "CAST(\(sql) AS DECIMAL(38,0))" : "CAST(\(sql) AS HUGEINT)"
    }

    /// The integer quotient of two non-negative values, in 38 digits (Spark's div gives 64 bits).
    private func quotient(_ a: String, _ b: String) -> String {
        dialect == .spark ? wide("\(a) div \(b)") : "(\(a) // \(b))"
    }

    /// `x op y` as exactArithmetic makes it; records the node for its overflow check.
    func arithmetic(_ op: String, _ x: (sql: String, type: SQLType), _ y: (sql: String, type: SQLType),
                    span: Span) throws(QueryError) -> (sql: String, type: SQLType) {
        for t in [x.type, y.type] where t != .int && t != .money { throw unsupported("\(op) of \(t)") }
        let whole = x.type == .int && y.type == .int
        let units = { (v: (sql: String, type: SQLType)) -> String in
            v.type == .int && !whole ? "(\(self.wide(v.sql)) * 1000000)" : self.wide(v.sql)
        }
        // The exact result is N / D (D = nil: N itself), in millionths unless both operands are whole.
        let n: String, d: String?, type: SQLType
        switch op {
        case "+", "-":
            (n, d, type) = ("(\(units(x)) \(op) \(units(y)))", nil, whole ? .int : .money)
        case "*":
            let product = "(\(wide(x.sql)) * \(wide(y.sql)))"
            (n, d, type) = (product, x.type == .money && y.type == .money ? "1000000" : nil, whole ? .int : .money)
        default:
            // round(x·dy·10⁶ / (dx·y)), dx and dy 10⁶ for an amount, 1 for a whole number: a scale on x over y.
            let scale = x.type == .money ? (y.type == .money ? "1000000" : "1") : (y.type == .money ? "1000000000000" : "1000000")
            (n, d, type) = (scale == "1" ? wide(x.sql) : "(\(wide(x.sql)) * \(scale))", wide(y.sql), .money)
        }
        guard let d else {
            let overflow = "(\(n) > \(Self.most) OR \(n) < -\(Self.most) - 1)"
            return (node("(CASE WHEN \(overflow) THEN NULL ELSE CAST(\(n) AS BIGINT) END)", x, y, op, span, overflow), type)
        }
        // Rounded half away from zero: |N| over |D|, one more when the remainder is at least half of |D|, the sign
        // of N/D. It overflows when |N| - L·|D| is at least half of |D| (L the largest magnitude of the sign).
        let a = "abs(\(n))", b = "abs(\(d))"
        let negative = "((\(n) < 0) <> (\(d) < 0))"
        let half = quotient("(\(b) + 1)", "2")
        let limit = "(CASE WHEN \(negative) THEN 9223372036854775808 ELSE \(Self.most) END)"
        let overflow = "(\(d) <> 0 AND \(a) - \(limit) * \(b) >= \(half))"
        let q = quotient(a, b)
        let rounded = "(\(q) + CASE WHEN \(a) - \(q) * \(b) >= \(half) THEN 1 ELSE 0 END)"
        let value = "(CASE WHEN \(d) = 0 OR \(overflow) THEN NULL "
            + "ELSE CAST(CASE WHEN \(negative) THEN -\(rounded) ELSE \(rounded) END AS BIGINT) END)"
        return (node(value, x, y, op, span, overflow), type)
    }

    /// Records a node; the column the stage reads it from. Its value names its operands' columns (a node
    /// within a node is an earlier column), so the SQL grows with the nodes, not with their depth.
    private func node(_ value: String, _ x: (sql: String, type: SQLType), _ y: (sql: String, type: SQLType), _ op: String,
                      _ span: Span, _ overflow: String) -> String {
        met.nodes.append((value, x.sql, y.sql, (x.type, y.type), op, span, overflow))
        return "_a\(met.nodes.count - 1)"
    }

    /// The stage's input with the columns of the nodes met since `first` (each over the ones before it), and
    /// each node's check over the rows the stage reads, ordered by `order`.
    func withNodes(since first: Int, input: String, order: String) -> (input: String, checks: [OverflowCheck]) {
        var wrapped = input, checks: [OverflowCheck] = []
        for k in first..<met.nodes.count {
            let n = met.nodes[k]
            checks.append(OverflowCheck(sql: "SELECT \(n.a), \(n.b) FROM (\(wrapped)) t WHERE \(n.overflow) ORDER BY \(order) LIMIT 1",
                                        op: n.op, types: n.types, span: n.span))
            wrapped = "SELECT *, \(n.value) AS _a\(k) FROM (\(wrapped)) t"
        }
        return (wrapped, checks)
    }
}

extension SQLBackend {
    /// The in-memory engine's overflow error for a row an overflow check found (the node's two operands).
    func overflowError(_ check: OverflowCheck, _ cells: [Any], span: Span) -> QueryError {
        func operand(_ cell: Any, _ type: SQLTranslator.SQLType) -> Value {
            guard let n = cell as? NSNumber else { return .null }
            return type == .int ? .int(n.intValue) : .money(Money(units: n.int64Value))
        }
        guard cells.count == 2 else { return QueryError(.overflow, check.span, "overflow in \(check.op)") }
        do {
            _ = try exactArithmetic(check.op, operand(cells[0], check.types.0), operand(cells[1], check.types.1), check.span)
        } catch {
            return error
        }
        return QueryError(.overflow, check.span, "overflow in \(check.op)")
    }
}
