// Expression.swift — evaluates a checked expression on one row (a statement
// or a table row). Conditions are three-valued: a comparison with null is
// unknown, and `where` keeps only rows for which the condition is true.
// Arithmetic is exact: whole numbers stay whole, amounts keep 6 decimals
// (products and quotients rounded half away from zero), overflow is an error.

import FiscalData

enum RowRef {
    case statement(FiscalData.Statement)
    /// A row of the store, its fields read from the columns; `leaf`: a fact, read as a leaf.
    case stored(Int, leaf: Bool)
    case values([Value])
}

extension Evaluator {
    func eval(_ e: CExpr, _ row: RowRef) throws(QueryError) -> Value {
        switch e {
        case .literal(let v): return v
        case .field(let ref):
            return fieldValue(ref, row)
        case .column(let i):
            guard case .values(let v) = row else { return .null }
            return v[i]
        case .under(let x, let codes):
            guard case .code(let c) = try eval(x, row) else { return .null }
            return .bool(codes.contains { $0.contains(c) })
        case .compare(let op, let a, let b, _):
            let va = try eval(a, row), vb = try eval(b, row)
            if va.isNull || vb.isNull { return .null }
            let c = compareValues(va, vb)
            switch op {
            case "=": return .bool(c == 0)
            case "!=": return .bool(c != 0)
            case "<": return .bool(c < 0)
            case "<=": return .bool(c <= 0)
            case ">": return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .contains(let x, let text):
            let v = try eval(x, row)
            if v.isNull { return .null }
            return .bool(v.description.lowercased().holds(text.lowercased()))
        case .codeMatches(let x, let text):
            guard case .code(let c) = try eval(x, row) else { return .null }
            return .bool(c.text.hasPrefix(text) || (catalog.name(of: c)?.holds(text) ?? false))
        case .and(let a, let b):
            let va = try eval(a, row)
            if va == .bool(false) { return va }
            let vb = try eval(b, row)
            if vb == .bool(false) { return vb }
            return va.isNull || vb.isNull ? .null : .bool(true)
        case .or(let a, let b):
            let va = try eval(a, row)
            if va == .bool(true) { return va }
            let vb = try eval(b, row)
            if vb == .bool(true) { return vb }
            return va.isNull || vb.isNull ? .null : .bool(false)
        case .not(let x):
            guard case .bool(let b) = try eval(x, row) else { return .null }
            return .bool(!b)
        case .negate(let x, let span):
            return try arithmetic("-", .int(0), try eval(x, row), span)
        case .arithmetic(let op, let a, let b, let span):
            return try arithmetic(op, try eval(a, row), try eval(b, row), span)
        }
    }

    func arithmetic(_ op: String, _ a: Value, _ b: Value, _ span: Span) throws(QueryError) -> Value {
        try exactArithmetic(op, a, b, span)
    }
}

/// `a op b` exactly (+, -, *, /): whole numbers stay whole, amounts keep 6 decimals (products and quotients
/// rounded half away from zero), null with a null, overflow an error at `span`. The evaluator's arithmetic, and
/// the SQL backends' where they finish a result (a comparison's difference).
func exactArithmetic(_ op: String, _ a: Value, _ b: Value, _ span: Span) throws(QueryError) -> Value {
    if a.isNull || b.isNull { return .null }
    if case .int(let x) = a, case .int(let y) = b, op != "/" {
        let (r, o): (Int, Bool)
        switch op {
        case "+": (r, o) = x.addingReportingOverflow(y)
        case "-": (r, o) = x.subtractingReportingOverflow(y)
        default: (r, o) = x.multipliedReportingOverflow(by: y)
        }
        if o { throw QueryError(.overflow, span, "overflow in \(x) \(op) \(y)") }
        return .int(r)
    }
    guard let x = exactNumber(a), let y = exactNumber(b) else { return .null }
    func mul(_ p: Int128, _ q: Int128) throws(QueryError) -> Int128 {
        let (r, o) = p.multipliedReportingOverflow(by: q)
        if o { throw QueryError(.overflow, span, "amount overflow in \(a) \(op) \(b)") }
        return r
    }
    var num: Int128, den: Int128
    switch op {
    case "+": num = try mul(x.num, y.den) + mul(y.num, x.den); den = try mul(x.den, y.den)
    case "-": num = try mul(x.num, y.den) - mul(y.num, x.den); den = try mul(x.den, y.den)
    case "*": num = try mul(x.num, y.num); den = try mul(x.den, y.den)
    default:
        if y.num == 0 { return .null }
        num = try mul(x.num, y.den); den = try mul(x.den, y.num)
    }
    if den < 0 { num = -num; den = -den }
    let scaled = try mul(num, Int128(Money.unitsPerWan))
    var q = scaled / den
    let r = scaled % den
    if r.magnitude * 2 >= den.magnitude { q += scaled < 0 ? -1 : 1 }
    guard let units = Int64(exactly: q) else {
        throw QueryError(.overflow, span, "amount overflow in \(a) \(op) \(b)")
    }
    return .money(Money(units: units))
}

extension String {
    /// Whether `part` occurs in the text, compared by Characters (an empty `part` never does): what `~` means,
    /// in the checker and the evaluator alike. The standard library's search: Foundation's `contains` trapped
    /// on a `part` with a NUL in it (found by fuzzing), and took "basic\0" for "basic".
    func holds(_ part: String) -> Bool { !part.isEmpty && firstRange(of: part) != nil }
}
