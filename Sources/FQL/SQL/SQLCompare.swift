// SQLCompare.swift — `compare` as SQL (issue 16): each key's sum on either
// side, with the side's marks and the phases and measures it holds, computed
// by the engine; the difference, percentage, rate and note made from them by
// the backend exactly as the in-memory engine makes them (Stages.swift,
// `compare`). Both sides are brought to one scope as in memory: the facts of
// a side whose figures name no fund (nature) where the other side's name some
// are taken from a cut that classifies by it (`alignedCuts`, as
// Evaluator.alignCuts), then per pair of sides the rows outside the scope both
// give are left out (as Stages.swift's alignScopes), and queries run first
// give what the notes say of it. A query before the sums checks what the
// in-memory engine checks first: that the sides are of one year, unit and
// phase where the keys do not separate them (the same errors).
// `compare` must be the last stage of a translated query.

import FiscalData
import Foundation

/// A comparison's SQL and how to read it back.
struct CompareSQL {
    let plan: ComparePlan
    /// Each key's sums and flags, in key order.
    let text: String
    /// The distinct (side, year, phase[, unit]) of the statements on a side.
    let sides: String
    /// Whether `sides` lists units.
    let unitsAsked: Bool
    /// Per scope dimension the keys leave open, in order: the pairs whose sides differ in it (the pair's
    /// columns, each side's values as bits, the money each side has outside what both give).
    let scopeNotes: [(sql: String, dimension: ScopeDimension)]
    /// How many result columns the keys (and their names) take.
    let keyCount: Int
    /// The temporary tables the queries read (each side's rows, brought to one scope step by step).
    let prepare: [(name: String, sql: String)]

    /// The marks a side's flags stand for, in the order they come.
    static let marks: [(FigureMark, String)] = [(.derived, "mark_derived"), (.yuan, "mark_yuan"),
                                                (.remainder, "mark_remainder"), (.totalOnly, "mark_total_only")]
    /// Flags per side: the marks, then a flag per phase and per measure.
    static var flagsPerSide: Int { marks.count + SQLTranslator.phases.count + SQLTranslator.measures.count }
}

extension SQLTranslator {
    /// The columns the two sides of a pair share (Evaluator.pairKey): a unit's year for phases, a unit's phase
    /// for years, a year's phase for units.
    func pairColumns(_ c: ComparePlan) -> [String] {
        switch c.sides {
        case .phases: return ["\"unit\"", "\"year\""]
        case .years: return ["\"unit\"", "\"phase\""]
        case .units: return ["\"year\"", "\"phase\""]
        }
    }

    /// `a`'s and `b`'s pair columns equal (the two named tables' rows are of one pair).
    func samePair(_ c: ComparePlan, _ a: String, _ b: String) -> String {
        pairColumns(c).map { "\(a).\($0) = \(b).\($0)" }.joined(separator: " AND ")
    }

    /// A statement's side: 0 (A), 1 (B) or null.
    func sideOf(_ c: ComparePlan) -> String {
        switch c.sides {
        case let .phases(a, b): return "CASE WHEN \"phase\" = \(quote(a.rawValue)) THEN 0 WHEN \"phase\" = \(quote(b.rawValue)) THEN 1 END"
        case let .years(a, b): return "CASE WHEN \"year\" = \(a) THEN 0 WHEN \"year\" = \(b) THEN 1 END"
        case let .units(_, a, _, b): return "CASE WHEN \"unit\" = \(quote(a)) THEN 0 WHEN \"unit\" = \(quote(b)) THEN 1 END"
        }
    }

    /// A statement's value of `d` as a bit of its code (bit 0: none), as ScopeDimension's bits are.
    func scopeBit(_ d: ScopeDimension, of table: String = "") -> String {
        let values: [(String, UInt8)] = d == .fund ? Fund.allCases.map { ($0.rawValue, Fund.code($0)) }
            : Nature.allCases.map { ($0.rawValue, Nature.code($0)) }
        let column = table + (d == .fund ? "\"fund\"" : "\"nature\"")
        return "CASE " + values.map { "WHEN \(column) = \(quote($0.0)) THEN \(1 << $0.1)" }.joined(separator: " ") + " ELSE 1 END"
    }

    /// Whether the bits `b` cover only part of the money (ScopeDimension.limits).
    func limits(_ b: String, _ d: ScopeDimension) -> String {
        let every = Nature.allCases.reduce(0) { $0 | 1 << Int(Nature.code($1)) }
        return "(\(b) <> 0 AND (\(b) & 1) = 0" + (d == .nature ? " AND (\(b) & \(every)) <> \(every)" : "") + ")"
    }

    /// The scope dimensions a comparison's keys leave open.
    func openDimensions(_ c: ComparePlan) -> [ScopeDimension] {
        let keyed = Set(c.keys.map(\.name))
        return ScopeDimension.allCases.filter { !keyed.contains($0.rawValue) }
    }

    /// The facts of the groups a comparison reads, cut alike on both sides (Evaluator.alignCuts): per pair, a
    /// side's groups with figures of no fund (nature), where the other side's figures lie within some, take
    /// their facts from the cut that classifies by it, when their document has one. `facts` is the plain
    /// facts' query (the finer cuts' facts are the export's, or made for the query: SQLTranslator.translate).
    /// Each step is a temporary table (`prepare`: an engine that inlines a query's WITH clauses would copy each
    /// step into every step after it); the query reads the last.
    func alignedCuts(_ c: ComparePlan, _ plan: Plan, facts: String, fields: String) -> (sql: String, prepare: [(name: String, sql: String)]) {
        let dimensions = openDimensions(c)
        guard !dimensions.isEmpty else { return (facts, []) }
        let listed = pairColumns(c).joined(separator: ", ")
        var prepare = [(name: "_fql_f0", sql: "\(facts) AND s.\"group\" IN (SELECT g.\"group\" FROM \(groupsTable) g WHERE \(groupsRead(plan)))")]
        for (i, d) in dimensions.enumerated() {
            let f = "_fql_f\(i)"
            // The groups to cut again: on a side with figures of no value, the other side's within some.
            let recut = "WITH _x AS (SELECT *, \(sideOf(c)) AS _side FROM \(f)), "
                + "_b AS (SELECT \(listed), _side, bit_or(\(scopeBit(d))) AS _b FROM _x WHERE _side IS NOT NULL GROUP BY \(listed), _side), "
                + "_r AS (SELECT DISTINCT x.\"group\" FROM _x x JOIN _b me ON \(samePair(c, "x", "me")) AND me._side = x._side "
                + "JOIN _b o ON \(samePair(c, "x", "o")) AND o._side = 1 - x._side WHERE (me._b & 1) <> 0 AND \(limits("o._b", d)))"
            var more = plan.needs
            more.need(d.field)
            // The groups cut again: their facts of the finer cut, after the others (as Evaluator.alignCuts appends them).
            let answered = "SELECT g.\"group\" FROM \(groupsTable) g WHERE g.\"needs\" = \(quote(Export.key(more))) AND NOT g.\"uncut\" "
                + "AND g.\"group\" IN (SELECT \"group\" FROM _r)"
            prepare.append(("_fql_f\(i + 1)", "\(recut), _a AS (\(answered)) SELECT * FROM \(f) WHERE \"group\" NOT IN (SELECT \"group\" FROM _a) UNION ALL "
                            + "SELECT \(fields), f.\"seq\" + \(i + 1)000000000000 AS _o0 FROM \(factsTable) f JOIN \(statementsTable) s ON s.\"row\" = f.\"row\" "
                            + "WHERE f.\"needs\" = \(quote(Export.key(more))) AND s.\"group\" IN (SELECT \"group\" FROM _a)"))
        }
        return ("SELECT * FROM _fql_f\(dimensions.count)", prepare)
    }

    func compare(_ c: ComparePlan, over source: String, fromRows: Bool) throws(QueryError) -> CompareSQL {
        guard !c.keepSources else { throw unsupported("why") }
        let sided = "SELECT * FROM (SELECT *, \(sideOf(c)) AS _side FROM (\(source)) t) t WHERE _side IS NOT NULL"
        // Both sides in one scope (Stages.swift, alignScopes): per open dimension, in order, a pair whose sides'
        // values differ, where one side's lie within some, keeps only the values both give. Each step a
        // temporary table, as in alignedCuts.
        let dimensions = openDimensions(c)
        let pair = pairColumns(c), listed = pair.joined(separator: ", ")
        var prepare = [(name: "_fql_s0", sql: sided)]
        var scopeNotes: [(sql: String, dimension: ScopeDimension)] = []
        let paired = pair.map { "p.\($0)" }.joined(separator: ", ")
        for (i, d) in dimensions.enumerated() {
            let s = "_fql_s\(i)"
            let bits = (0..<2).map { k in "coalesce(bit_or(CASE WHEN _side = \(k) THEN \(scopeBit(d)) END), 0) AS _b\(k)" }
            let differing = "p._b0 <> 0 AND p._b1 <> 0 AND p._b0 <> p._b1 AND (\(limits("p._b0", d)) OR \(limits("p._b1", d)))"
            let pairs = "WITH _p AS (SELECT \(listed), \(bits.joined(separator: ", ")) FROM \(s) GROUP BY \(listed))"
            let left = (0..<2).map { k in
                "sum(CASE WHEN t._side = \(k) AND ((\(scopeBit(d, of: "t."))) & p._b0 & p._b1) = 0 THEN t.\"amount\" ELSE 0 END)"
            }
            scopeNotes.append(("\(pairs) SELECT \(paired), p._b0, p._b1, " + left.joined(separator: ", ") + " FROM _p p JOIN \(s) t ON \(samePair(c, "p", "t")) "
                               + "WHERE \(differing) GROUP BY \(paired), p._b0, p._b1", d))
            prepare.append(("_fql_s\(i + 1)", "\(pairs), _k AS (SELECT \(paired), p._b0 & p._b1 AS _c FROM _p p WHERE \(differing) AND (p._b0 & p._b1) <> 0) "
                            + "SELECT t.* FROM \(s) t LEFT JOIN _k k ON \(samePair(c, "t", "k")) WHERE k._c IS NULL OR ((\(scopeBit(d, of: "t."))) & k._c) <> 0"))
        }
        var inner: [String] = []
        for (i, k) in c.keys.enumerated() { inner.append("\(try expression(k.expr, columns: nil).sql) AS k\(i)") }
        for k in 0..<2 { inner.append("sum(CASE WHEN _side = \(k) THEN \"amount\" END) AS _v\(k)") }
        var flags: [String] = []
        for k in 0..<2 {
            flags += CompareSQL.marks.map { "bool_or(_side = \(k) AND \"\($0.1)\")" }
            flags += Self.phases.map { "bool_or(_side = \(k) AND \"phase\" = \(quote($0.rawValue)))" }
            flags += Self.measures.map { "bool_or(_side = \(k) AND \"measure\" = \(quote($0.rawValue)))" }
        }
        inner += flags.enumerated().map { "\($1) AS _f\($0)" }
        // Where each key's statements begin, for checking the keys in the order the in-memory engine meets them.
        inner.append("min(_o0) AS _first")
        var grouped = "SELECT " + inner.joined(separator: ", ") + " FROM _fql_s\(dimensions.count) t"
        if !c.keys.isEmpty { grouped += " GROUP BY " + c.keys.indices.map { String($0 + 1) }.joined(separator: ", ") }
        let keys = try keyOutputs(c.keys)
        let by = c.keys.indices.map { "k\($0) ASC NULLS LAST" }
        let outer = keys + ["_v0", "_v1"] + flags.indices.map { "_f\($0)" } + ["_first"]
        let results: [String] = keys.indices.map { "c\($0)" } + ["_v0", "_v1"] + flags.indices.map { "_f\($0)" } + ["_first"]
        let ordering: String = by.isEmpty ? "NULL" : by.joined(separator: ", ")
        let numbered = "SELECT \(outer.joined(separator: ", ")), row_number() OVER (ORDER BY \(ordering)) AS _o FROM (\(grouped)) g"
        let text = "SELECT \(results.joined(separator: ", ")) FROM (\(numbered)) t ORDER BY _o"

        let keyed = Set(c.keys.map(\.name))
        var unitsAsked = !keyed.contains("unit")
        if case .units = c.sides { unitsAsked = false }
        let sides = "SELECT DISTINCT _side, \"year\", \"phase\"" + (unitsAsked ? ", \"unit\"" : "") + " FROM _fql_s0"
        return CompareSQL(plan: c, text: text, sides: sides, unitsAsked: unitsAsked, scopeNotes: scopeNotes, keyCount: keys.count,
                          prepare: prepare)
    }
}

extension SQLBackend {
    /// The in-memory engine's error where the sides are not of one year, unit and phase that the keys do not
    /// separate (checkAligned), from the answer to the sides' query.
    func checkSides(_ q: CompareSQL, _ sides: [[Any]]) throws(QueryError) {
        var years: [Set<Int>] = [[], []], units: [Set<String>] = [[], []], phases: [Set<Phase>] = [[], []]
        for r in sides {
            guard let k = (r[0] as? NSNumber)?.intValue, k == 0 || k == 1 else { continue }
            if let y = (r[1] as? NSNumber)?.intValue { years[k].insert(y) }
            if let p = (r[2] as? String).flatMap(Phase.init) { phases[k].insert(p) }
            if q.unitsAsked, let u = r[3] as? String { units[k].insert(u) }
        }
        if let e = Evaluator.alignmentError(q.plan, years: years, units: units, phases: phases) { throw e }
    }

    /// The comparison's table from the engine's sums, the sides checked (checkSides).
    func compareTable(_ q: CompareSQL, sums: [[Any]], columns: [Column],
                      value: (Any, ValueType) throws(QueryError) -> Value) throws(QueryError) -> Table {
        let c = q.plan
        var finalFirst = false
        if case let .phases(a, _) = c.sides { finalFirst = a == .final }
        let names = Evaluator.sideNames(c)
        let keyTypes = columns.prefix(q.keyCount).map(\.type)
        var rows: [[Value]] = []
        var measures: UInt16 = 0
        let per = CompareSQL.flagsPerSide
        // Each key's sides checked first, in the order their statements begin (as the in-memory engine's slots).
        let first = q.keyCount + 2 + 2 * per
        for r in sums.sorted(by: { (($0[first] as? NSNumber)?.int64Value ?? 0) < (($1[first] as? NSNumber)?.int64Value ?? 0) }) {
            for k in 0..<2 {
                let flags = r[(q.keyCount + 2 + k * per)...].prefix(per).map(Self.flag)
                try Self.held(flags[CompareSQL.marks.count...]).checkNotMixed("compare", c.span, phaseHint: Evaluator.comparePhaseHint)
            }
        }
        for r in sums {
            var row: [Value] = []
            for (i, t) in keyTypes.enumerated() { row.append(try value(r[i], t)) }
            let sums = [try value(r[q.keyCount], .money), try value(r[q.keyCount + 1], .money)]
            var marks: [[FigureMark]] = [[], []]
            for k in 0..<2 {
                let flags = r[(q.keyCount + 2 + k * per)...].prefix(per).map(Self.flag)
                marks[k] = CompareSQL.marks.indices.filter { flags[$0] }.map { CompareSQL.marks[$0].0 }.sorted()
                measures |= Self.held(flags[CompareSQL.marks.count...]).measureBits
            }
            rows.append(row + (try Evaluator.compared(c, sums[0], sums[1], marks: marks, names: names, finalFirst: finalFirst)))
        }
        return concluded(Table(columns: columns, rows: rows, valueColumn: c.valueIndex), measures: measures)
    }

    /// What alignScopes says of the pairs a dimension's query found (the pair's columns, each side's bits, the
    /// money each side has outside what both give), in the order of the pairs' names.
    func scopeNotes(_ c: ComparePlan, _ d: ScopeDimension, _ pairs: [[Any]]) -> [String] {
        let sideNames = Evaluator.sideNames(c)
        let named = pairs.map { r -> (name: String, bits: [UInt32], left: [Int64]) in
            let name = r.prefix(2).map(Self.text).joined(separator: " ")
            let bits = r[2...3].map { UInt32(($0 as? NSNumber)?.intValue ?? 0) }
            return (name, bits, r[4...5].map { ($0 as? NSNumber)?.int64Value ?? 0 })
        }.sorted { $0.name < $1.name }
        var notes: [String] = []
        for p in named {
            let common = p.bits[0] & p.bits[1]
            guard common != 0 else {
                notes.append("\(p.name): \(sideNames[0]) is \(d.names(bits: p.bits[0])), \(sideNames[1]) is \(d.names(bits: p.bits[1])): "
                             + "different scopes, compared as they are")
                continue
            }
            for k in 0..<2 where p.bits[k] != common && p.left[k] != 0 {
                notes.append("\(p.name): both sides limited to \(d.rawValue) \(d.names(bits: common)), as \(sideNames[1 - k]) gives no other; "
                             + "left out of \(sideNames[k]): \(Money(units: p.left[k]).format(grouping: true, decimals: 2)) "
                             + "(add \"by \(d.rawValue)\" to see every \(d.rawValue))")
            }
        }
        return notes
    }
}

extension SQLTranslator {
    /// The fields of the statements behind a row, after its keys, as `behind` lists them.
    static let behindFields = ["year", "phase", "measure", "doc", "table", "line", "amount", "level", "derived", "printed"]

    /// The statements a compare or an avg read (`statements`, ordered by `order`), each with its keys' values,
    /// for a `why` after it (SQLBackend.explain).
    func behind(keys: [KeyPlan], statements: String, order: String) throws(QueryError) -> String {
        let keys = try keys.enumerated().map { i, k throws(QueryError) in "\(try expression(k.expr, columns: nil).sql) AS k\(i)" }
        return "SELECT " + (keys + Self.behindFields.map { "\"\($0)\"" }).joined(separator: ", ") + " FROM (\(statements)) t ORDER BY \(order)"
    }
}

extension SQLBackend {
    /// `why` after a compare, or after an avg and stages after it, which the engine cannot join to their
    /// statements in one query (fql makes the diff, the average): each row of `t` (what the stages between
    /// left), its labels, then the statements the compare or the avg read (`statements`, ordered by `order`:
    /// for a compare its last temporary table, side A's then side B's) whose keys are the row's, as Stages.swift's
    /// `why` lists them.
    func explain(keys: [KeyPlan], columns: [Column], _ t: Table, labels: [Int], _ sql: SQLTranslator, statements: String, order: String,
                 rowsSource: Bool = false, span: Span) throws(QueryError) -> Table {
        // Where each key stands in the aggregate's result, and in `t`.
        let keyColumns = KeyPlan.positions(keys).map { columns[$0] }
        let positions = keyColumns.compactMap { t.columns.firstIndex(of: $0) }
        guard positions.count == keyColumns.count else {
            throw QueryError(.unsupported, span, "no SQL translation yet for why after a stage that dropped a key")
        }
        let text = try sql.behind(keys: keys, statements: statements, order: order)
        let fields = SQLTranslator.behindFields
        var answer: [Substring]
        do { answer = try execute(text) } catch { throw QueryError(error.kind, span, error.message) }
        var behind: [[Value]: [[Any]]] = [:]
        for line in answer where line != "--" && !line.isEmpty {
            let r = try cells(line, atLeast: keyColumns.count + fields.count, span)
            var key: [Value] = []
            for (i, col) in keyColumns.enumerated() { key.append(try value(r[i], col.type, span)) }
            behind[key, default: []].append(Array(r[keyColumns.count...]))
        }
        var rows: [[Value]] = [], origins: [RowOrigin] = []
        for row in t.rows {
            for s in behind[positions.map { row[$0] }] ?? [] {
                let text = { (i: Int) in s[i] as? String }
                rows.append(labels.map { row[$0] } + [try value(s[0], .int, span), .text(text(1) ?? ""), .text(text(3) ?? ""), .text(text(4) ?? ""),
                                                       try value(s[5], .int, span), try value(s[6], .money, span), .text(text(7) ?? ""),
                                                       whyDerivation(derived: text(8), printed: text(9))])
                origins.append(RowOrigin(phase: text(1).flatMap(Phase.init) ?? .final, measure: text(2).flatMap(Measure.init) ?? .spending,
                                         table: rowsSource ? "\(text(3) ?? "") \(text(4) ?? "")" : nil, level: text(7).flatMap(RowLevel.init) ?? .leaf))
            }
        }
        var out = Table(columns: labels.map { t.columns[$0] } + Checker.whyColumns, rows: rows, valueColumn: labels.count + 5)
        out.origins = origins
        // The marks are not shown here: their explanations go; how many statements made how many rows is said.
        let marks = Set(FigureMark.allCases.map(\.explanation))
        out.notes = t.notes.filter { !marks.contains($0) } + [whyNote(statements: rows.count, rows: t.rows.count)]
        return out
    }
}
