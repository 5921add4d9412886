// SQLTranslator.swift — a checked plan as one SQL query over the exported
// tables (Export.swift), for DuckDB and Spark (issue 16). The facts are not
// re-decided in SQL: the source joins `facts` for the query's needs. Each
// stage is a subquery over the one before, its columns named c0, c1 … in
// the order of the plan's columns, with an order column (_o0, _o1 …: facts'
// seq, a group's key order, a sort's rank) carried along so that a later
// sort breaks ties as the in-memory engine does. Amounts stay integer millionths of 万元 throughout.
// Beside the plan's columns an aggregate returns what the guards need (the
// phases and measures each group holds) and `share` returns its total; the
// backend (SQLBackend.swift) reads them back into FQL's table and errors.
// A construct with no translation yet is refused with what it is.

import FiscalData

/// The SQL of one query and how to read its result.
struct SQLQuery {
    let text: String
    /// The result's columns as FQL shows them.
    let columns: [Column]
    let valueColumn: Int?
    let chartColumn: Int?
    let prunable: Bool
    /// Per column: nil, or the extra result column holding the total a share is a part of.
    let shareTotals: [Int: Int]
    /// The aggregate whose groups the guards check (flags after the columns), if any.
    let guarded: AggregatePlan?
    /// Whether the guards are those of `rows` (tables and totals as well).
    let guardsRows: Bool
    /// What the query's groups lack: no cut with the fields it needs (SQLTranslator.noCutCheck).
    var noCut: NoCut? = nil
    /// A comparison: its sides' sums, which the backend makes into FQL's rows (SQLCompare.swift).
    var compare: CompareSQL? = nil
    /// An `avg`: the value column holds the sum, the extra column this numbers the count of values, and
    /// whether they are whole numbers (not amounts); the backend divides.
    var average: (countExtra: Int, wholeNumbers: Bool)? = nil
    /// A `why`: the extra column holding how many rows were explained, then the one holding how many statements
    /// explained them; the backend says it in a note.
    var whyRows: Int? = nil
    /// Per arithmetic node that can overflow, the query finding the first row where it does (SQLArithmetic.swift).
    var overflows: [OverflowCheck] = []
    /// Where the measures of a row are, after the columns: an aggregate's flags (one per measure, from this
    /// index of the extras), else the row's measure by name (at `measureName`).
    var measureFlags: Int? = nil
    var measureName: Int? = nil
    /// Per filter that may leave out money no row classifies, the query finding it, for the notes.
    var filterNotes: [FilterNote] = []
    /// Temporary tables the queries read, made first, in order (a comparison's steps: SQLCompare.swift).
    var prepare: [(name: String, sql: String)] = []
    /// The sets of needs whose facts the query reads from statements_x, facts_x and groups_x, which the
    /// backend makes for it from the export's dataset (the export holds none, one or two fields); empty when
    /// it reads the export's own.
    var supplement: [FactNeeds] = []

    /// The SQL as `--sql` prints it: what the tables made for the query are, the temporary tables made
    /// (DuckDB's spelling), then the query.
    var script: String {
        let made = supplement.isEmpty ? "" : "-- reads statements_x, facts_x and groups_x: the facts of "
            + supplement.map { "\($0)" }.joined(separator: "; ") + ", which the export does not hold; fql makes them for the query "
            + "from the export's dataset (as fql export makes facts.csv)\n"
        return made + prepare.map { "CREATE OR REPLACE TEMP TABLE \($0.name) AS \($0.sql);\n" }.joined() + text
    }
}

/// What a filter leaves out that no row classifies: over statements, per group it keeps rows of (unit,
/// year, phase, measure, the money), in group order; over a table, each row's value.
struct FilterNote {
    let sql: String
    let ofGroups: Bool
}

/// The groups a query reads that no cut answers.
struct NoCut {
    /// Answers true when none of them has a cut with the fields the query needs.
    let sql: String
    /// The in-memory engine's error then.
    let error: String
    /// Each of them with no cut (unit, year, phase, measure, whether it has a total), in group order.
    let uncut: String
    /// The fields, as the notes name them.
    let needs: String
}

struct SQLTranslator {
    let catalog: Catalog
    /// The engine the SQL is for, where engines spell a function differently (a sorted list of texts joined);
    /// DuckDB's spelling for `fql --sql`.
    var dialect: SQLBackend.Kind = .duckdb
    /// The arithmetic nodes met so far, for their overflow checks.
    let met = ArithmeticNodes()

    /// The distinct values of `x` in a group, sorted and joined with ", ".
    func joinedDistinct(_ x: String) -> String {
        let sorted = "array_sort(array_distinct(array_agg(\(x))))"
        return dialect == .spark ? "array_join(\(sorted), ', ')" : "array_to_string(\(sorted), ', ')"
    }

    /// Phases and measures as the guard flags list them, in order.
    static let phases = Phase.allCases
    static let measures = Measure.allCases

    /// The SQL of `plan`; a construct with no translation yet is an `unsupported` error at `span`.
    func translate(_ plan: Plan, span: Span) throws(QueryError) -> SQLQuery {
        // Facts of a set of needs the export does not hold (three fields; two fields with a comparison that cuts
        // one side again by fund or nature) are made for the query, as tables of their own (SQLBackend.run).
        var used: [FactNeeds] = []
        if case .facts = plan.source {
            used.append(plan.needs)
            for d in plan.firstCompare.map(openDimensions) ?? [] { var more = plan.needs; more.need(d.field); used.append(more) }
        }
        var t = self
        if !used.allSatisfy(Export.needsSets.contains) { t.suffix = "_x" }
        do {
            var q = try t.translate(plan)
            if !t.suffix.isEmpty { q.supplement = used }
            return q
        } catch { throw QueryError(error.kind, span, error.message) }
    }

    /// After the names of the tables of statements, facts and groups: "_x" where the query reads the facts
    /// made for it (`SQLQuery.supplement`), not the export's.
    var suffix = ""
    var statementsTable: String { "statements" + suffix }
    var factsTable: String { "facts" + suffix }
    var groupsTable: String { "groups" + suffix }

    /// The statements the plan's step `step` reads (an aggregate's, for a `why` after it that the engine
    /// cannot join: SQLBackend.explain), with FQL's field names and their order as the column `_why`.
    func statements(before step: Int, of plan: Plan, span: Span) throws(QueryError) -> String {
        do {
            var head = plan
            head.steps = Array(plan.steps[..<step])
            return try translate(head, statementsOnly: true).text
        } catch { throw QueryError(error.kind, span, error.message) }
    }

    private func translate(_ plan: Plan, statementsOnly: Bool = false) throws(QueryError) -> SQLQuery {
        var fromRows = false
        var facts = true
        var conditions: [String] = []
        switch plan.source {
        case .facts(let m, let p):
            conditions.append("f.\"needs\" = \(quote(Export.key(plan.needs)))")
            if !plan.namesYear { conditions.append("f.\"stated\"") }
            if let m { conditions.append("s.\"measure\" = \(quote(m.rawValue))") }
            if let p { conditions.append("s.\"phase\" = \(quote(p.rawValue))") }
        case .rows:
            fromRows = true
            facts = false
            conditions.append("NOT s.\"made\"")
        case .units, .docs, .checks, .codes:
            facts = false
        }
        // The statements, with FQL's field names.
        // A fact is read as a leaf; a statement the fact selection made (a remainder, a total alone) keeps its level.
        let level = facts ? "CASE WHEN s.\"made\" THEN s.\"level\" ELSE 'leaf' END" : "s.\"level\""
        let fields = "s.\"unit\" AS \"unit\", NULLIF(s.\"region\", '') AS \"region\", s.\"year\" AS \"year\", s.\"phase\" AS \"phase\", "
            + "s.\"measure\" AS \"measure\", s.\"func\" AS \"func\", s.\"econ\" AS \"econ\", s.\"econ_gov\" AS \"econ_gov\", "
            + "s.\"nature\" AS \"nature\", s.\"fund\" AS \"fund\", s.\"cost\" AS \"cost\", s.\"project\" AS \"project\", "
            + "s.\"category\" AS \"category\", s.\"amount\" AS \"amount\", s.\"doc\" AS \"doc\", s.\"table\" AS \"table\", "
            + "s.\"line\" AS \"line\", \(level) AS \"level\", s.\"derived\" AS \"derived\", s.\"printed\" AS \"printed\", "
            + "s.\"mark_derived\" AS \"mark_derived\", s.\"mark_remainder\" AS \"mark_remainder\", "
            + "s.\"mark_total_only\" AS \"mark_total_only\", s.\"mark_yuan\" AS \"mark_yuan\", s.\"group\" AS \"group\""
        // Each stage that orders rows adds its own order column (_o0, _o1 …); the last one orders the result.
        var order = "_o0"
        var orders = 0
        func nextOrder() -> String { orders += 1; order = "_o\(orders)"; return order }
        var sql = facts ? "SELECT \(fields), f.\"seq\" AS _o0 FROM \(factsTable) f JOIN \(statementsTable) s ON s.\"row\" = f.\"row\""
            : "SELECT \(fields), s.\"row\" AS _o0 FROM \(statementsTable) s"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        // A comparison's facts are cut alike on both sides first (Evaluator.alignCuts).
        var prepare: [(name: String, sql: String)] = []
        if facts, let c = plan.firstCompare {
            (sql, prepare) = alignedCuts(c, plan, facts: sql, fields: fields)
        }

        var table: [Column]? = nil      // nil while rows are statements
        if let described = describing(plan.source) {
            // A description has no origin: an aggregate of it guards nothing.
            sql = "SELECT *, " + Self.originColumns.map { "CAST(NULL AS STRING) AS \($0)" }.joined(separator: ", ") + " FROM (\(described.sql)) t"
            table = described.columns
        }
        var valueColumn: Int? = nil, chartColumn: Int? = nil, prunable = false
        var shareTotals: [Int: Int] = [:]
        var guarded: AggregatePlan? = nil
        var average: (countExtra: Int, wholeNumbers: Bool)? = nil
        var extras: [String] = []       // result columns after the plan's (guards, share totals)
        // For `why`: the statements an aggregate read (and their order column), its keys' SQL over them, and
        // where each key stands in the table now (nil once a select has dropped it).
        var explained: (statements: String, order: String, keys: [String], at: [String])? = nil
        var whyRows: Int? = nil
        var overflows: [OverflowCheck] = []
        var filterNotes: [FilterNote] = []
        var measureFlags: Int? = nil    // where an aggregate's flags of the measures its groups hold begin, in `extras`
        for (i, step) in plan.steps.enumerated() {
            // The arithmetic of this stage is checked over the rows it reads, in their order.
            let (input, inputOrder, met0) = (sql, order, met.nodes.count)
            var wrapped: String? = nil
            /// The stage's arithmetic as columns of its input (`input` is in `text` as a subquery, `(input)`).
            func computingNodes(_ text: String) -> String {
                guard met.nodes.count > met0 else { return text }
                if wrapped == nil {
                    let (w, checks) = withNodes(since: met0, input: input, order: inputOrder)
                    overflows += checks
                    if explained?.statements == input { explained?.statements = w }
                    wrapped = w
                }
                return text.replacingOccurrences(of: "(\(input))", with: "(\(wrapped!))")
            }
            defer { sql = computingNodes(sql) }
            switch (step, table) {
            case (.filter(let e), nil):
                let kept = try condition(e, columns: nil)
                // Money no row classifies (a remainder, a total alone) that the filter leaves out of a group it keeps
                // rows of: said in a note (Stages.swift, `filter`), when the filter names a classifying field.
                if e.fields.contains(where: { $0.cutField != nil }) {
                    let dropped = "SELECT \"unit\", \"year\", \"phase\", \"measure\", sum(\"amount\") FROM (\(sql)) t WHERE NOT \(kept) "
                        + "AND coalesce(\"derived\", '') <> '' AND (\"mark_remainder\" OR \"mark_total_only\") "
                        + "AND \"group\" IN (SELECT \"group\" FROM (\(sql)) t WHERE \(kept)) GROUP BY 1, 2, 3, 4 "
                        + "HAVING abs(sum(\"amount\")) > \(Money.roundingTolerance.units) "
                        + "ORDER BY 1, 2, \(rank("\"phase\"", Phase.allCases.map { ($0.rawValue, Int(Phase.code($0))) })), "
                        + "\(rank("\"measure\"", Measure.allCases.map { ($0.rawValue, Int(Measure.code($0))) }))"
                    filterNotes.append(FilterNote(sql: computingNodes(dropped), ofGroups: true))
                }
                sql = "SELECT * FROM (\(sql)) t WHERE \(kept)"
            case (.filter(let e), let cols?):
                let kept = try condition(e, columns: cols)
                // A row of money no table classifies, left out by a filter on the keys: said in a note.
                if let m = cols.firstIndex(of: noteColumn), let v = valueColumn, e.columns.contains(where: { $0 != m && $0 != v }) {
                    let marked = [FigureMark.remainder, .totalOnly].map { "instr(coalesce(c\(m), ''), \(quote($0.rawValue))) > 0" }
                    let dropped = "SELECT c\(v) FROM (\(sql)) t WHERE NOT \(kept) AND (\(marked.joined(separator: " OR "))) "
                        + "AND abs(c\(v)) > \(Money.roundingTolerance.units) ORDER BY \(order)"
                    filterNotes.append(FilterNote(sql: computingNodes(dropped), ofGroups: false))
                }
                sql = "SELECT * FROM (\(sql)) t WHERE \(kept)"
            case (.aggregate(let a), let cols):
                if a.keepSources {
                    guard cols == nil else { throw unsupported("why after an aggregate of a table") }
                    explained = (sql, order, try a.keys.map { k throws(QueryError) in try expression(k.expr, columns: nil).sql },
                                 KeyPlan.positions(a.keys).map { "c\($0)" })
                }
                (sql, table) = try aggregate(a, over: sql, table: cols, fromRows: fromRows, explainedRows: whyRows != nil, order: nextOrder())
                valueColumn = a.valueIndex
                (chartColumn, shareTotals, prunable) = (nil, [:], false)
                if a.guardsMixing { guarded = a }
                extras = guardColumns(fromRows: fromRows && a.guardsMixing)
                measureFlags = Self.phases.count
                // How many rows a `why` before explained: said after this aggregate too.
                if whyRows != nil {
                    extras += ["_rows", "_lines"]
                    whyRows = extras.count - 2
                }
                // An avg that `why` explains at once lists the same statements as a sum would: no average is made.
                let explainedNow = plan.steps.count == i + 2 && { if case .why = plan.steps[i + 1] { return true } else { return false } }()
                if a.kind == .avg && !explainedNow {
                    // The average is made from the sum after the engine answers: nothing may read it in SQL.
                    guard plan.steps.last.map({ if case .aggregate = $0 { return true } else { return false } }) ?? false else {
                        throw unsupported("a stage after avg")
                    }
                    extras.append("_count")
                    average = (extras.count - 1, wholeNumbers: try a.value.map { v throws(QueryError) in try expression(v, columns: cols).type == .int } ?? false)
                }
            case (.tabulate(let refs, let prune), nil):
                let cols = try refs.map { r throws(QueryError) in try field(r).sql }
                sql = "SELECT " + cols.enumerated().map { "\($1) AS c\($0)" }.joined(separator: ", ") + ", "
                    + origins(of: "", fromRows: fromRows).joined(separator: ", ") + ", \(order) FROM (\(sql)) t"
                table = refs.map { Column(name: $0.name, type: $0.type) }
                measureFlags = nil
                valueColumn = refs.firstIndex { $0.field == .amount && !$0.named }
                prunable = prune
            case (.sortStatements(let keys), nil):
                let by = try keys.map { k throws(QueryError) in "\(try field(k.0).sql) \(k.1 ? "DESC" : "ASC") NULLS LAST" } + [order]
                sql = "SELECT *, row_number() OVER (ORDER BY \(by.joined(separator: ", "))) AS \(nextOrder()) FROM (\(sql)) t"
            case (.limit(let n), _):
                sql = "SELECT * FROM (\(sql)) t ORDER BY \(order) LIMIT \(n)"
            case (.sortTable(let keys), _?):
                let by = keys.map { "c\($0.0) \($0.1 ? "DESC" : "ASC") NULLS LAST" } + [order]
                sql = "SELECT *, row_number() OVER (ORDER BY \(by.joined(separator: ", "))) AS \(nextOrder()) FROM (\(sql)) t"
            case (.select(let idx), let cols?):
                // A key the select drops is kept out of sight (_kw0 …) for a `why` to join on.
                var hidden: [String] = []
                if let e = explained {
                    explained?.at = e.at.enumerated().map { i, name in
                        if name.hasPrefix("c"), let old = Int(name.dropFirst()), let now = idx.firstIndex(of: old) { return "c\(now)" }
                        hidden.append("\(name) AS _kw\(i)")
                        return "_kw\(i)"
                    }
                }
                sql = "SELECT " + idx.enumerated().map { "c\($1) AS c\($0)" }.joined(separator: ", ")
                    + (extras + Self.originColumns + hidden).map { ", \($0)" }.joined() + ", \(order) FROM (\(sql)) t"
                table = idx.map { cols[$0] }
                valueColumn = valueColumn.flatMap { idx.firstIndex(of: $0) }
                chartColumn = chartColumn.flatMap { idx.firstIndex(of: $0) }
                shareTotals = Dictionary(uniqueKeysWithValues: shareTotals.compactMap { k, v in idx.firstIndex(of: k).map { ($0, v) } })
            case (.share(let v, let within), let cols?):
                let part = within.isEmpty ? "" : "PARTITION BY " + within.map { "c\($0)" }.joined(separator: ", ")
                let n = cols.count
                let total = "_share\(extras.count)"
                sql = "SELECT *, c\(v) AS c\(n), sum(c\(v)) OVER (\(part)) AS \(total) FROM (\(sql)) t"
                extras.append(total)
                shareTotals[n] = extras.count - 1
                table = cols + [Column(name: "share", type: .percent)]
            case (.chart(let c), _?):
                chartColumn = c
            case (.compare(let c), nil):
                guard plan.steps.last.map({ if case .compare = $0 { return true } else { return false } }) ?? false else {
                    throw unsupported("a stage after compare")   // Engine.run hands the stages after it to the evaluator
                }
                let q = try compare(c, over: sql, fromRows: fromRows)
                var out = SQLQuery(text: q.text, columns: c.columns, valueColumn: c.valueIndex, chartColumn: nil, prunable: false,
                                   shareTotals: [:], guarded: nil, guardsRows: false)
                guard met.nodes.count == met0 else { throw unsupported("arithmetic in compare") }
                out.compare = q
                out.prepare = prepare + q.prepare
                out.noCut = noCutCheck(plan)
                out.overflows = overflows
                out.filterNotes = filterNotes
                return out
            case (.compare, _): throw unsupported("compare")
            case (.why(let labels), let cols?):
                // Each row's statements: the aggregate's source joined to its rows by their keys, in the rows'
                // order, then the statements' own.
                guard let e = explained else { throw unsupported("why") }
                let on = e.keys.indices.map { i in "s._k\(i) IS NOT DISTINCT FROM r.\(e.at[i])" }
                let source = "SELECT *" + e.keys.indices.map { i in ", \(e.keys[i]) AS _k\(i)" }.joined() + " FROM (\(e.statements)) t"
                var out = labels.indices.map { i in "r.c\(labels[i]) AS c\(i)" }
                let n = labels.count
                let fields = ["year", "phase", "doc", "table", "line", "amount", "level"]
                out += fields.indices.map { i in "s.\"\(fields[i])\" AS c\(n + i)" }
                out.append("NULLIF(concat_ws('; ', s.\"derived\", CASE WHEN s.\"printed\" IS NOT NULL THEN concat('printed in ', s.\"printed\") END), '') AS c\(n + 7)")
                let kept = guarded == nil ? [] : guardColumns(fromRows: fromRows)
                out += kept.map { "r.\($0) AS \($0)" } + ["r._rows AS _rows", "r.\(order) AS _w0", "s.\(e.order) AS _w1"]
                // Each line's origin (its statement's phase, measure, table, level), which an aggregate after guards.
                out += origins(of: "s.", fromRows: fromRows)
                sql = "SELECT " + out.joined(separator: ", ") + " FROM (SELECT *, count(*) OVER () AS _rows FROM (\(sql)) r0) r JOIN (\(source)) s ON "
                    + (on.isEmpty ? "TRUE" : on.joined(separator: " AND "))
                sql = "SELECT *, row_number() OVER (ORDER BY _w0, _w1) AS \(nextOrder()), count(*) OVER () AS _lines FROM (\(sql)) t"
                table = labels.map { cols[$0] } + Checker.whyColumns
                measureFlags = nil
                valueColumn = labels.count + 5
                chartColumn = nil
                shareTotals = [:]
                extras = kept + ["_rows", "_lines"]
                whyRows = extras.count - 2
            case (.why, _): throw unsupported("why")
            default: throw unsupported("\(step)")
            }
        }
        if statementsOnly, table == nil {
            return SQLQuery(text: "SELECT *, \(order) AS _why FROM (\(sql)) t", columns: [], valueColumn: nil, chartColumn: nil,
                            prunable: false, shareTotals: [:], guarded: nil, guardsRows: false)
        }
        guard let cols = table else { throw unsupported("a pipeline that ends with statements") }
        // After the extras, each row's measure (its origin), so that a result of counts is said in their unit.
        let out = (cols.indices.map { "c\($0)" } + extras + ["_me"]).joined(separator: ", ")
        var q = SQLQuery(text: "SELECT \(out) FROM (\(sql)) t ORDER BY \(order)", columns: cols, valueColumn: valueColumn,
                         chartColumn: chartColumn, prunable: prunable, shareTotals: shareTotals, guarded: guarded,
                         guardsRows: fromRows && guarded != nil)
        q.average = average
        q.whyRows = whyRows
        q.measureFlags = measureFlags
        q.measureName = extras.count
        q.noCut = noCutCheck(plan)
        q.overflows = overflows
        q.filterNotes = filterNotes
        return q
    }

    /// For facts of some fields: the check that some group the query reads has a cut with them (the in-memory
    /// engine's error when none has), and the groups it reads that no cut answers, for the notes that say so
    /// (Evaluator.noteUncut); nil otherwise.
    private func noCutCheck(_ plan: Plan) -> NoCut? {
        guard case .facts = plan.source, !plan.needs.fields.isEmpty else { return nil }
        let read = groupsRead(plan), needs = quote(Export.key(plan.needs))
        // A count (vehicles) has no fund, nature or code to break it down by: nothing is said of it.
        let counts = Measure.allCases.filter { $0.countUnit != nil }.map { quote($0.rawValue) }
        let uncut = "SELECT s.\"unit\", s.\"year\", s.\"phase\", s.\"measure\", t.\"group\" IS NOT NULL FROM \(groupsTable) g "
            + "JOIN (SELECT DISTINCT \"group\", \"unit\", \"year\", \"phase\", \"measure\" FROM \(statementsTable) WHERE NOT \"made\") s ON s.\"group\" = g.\"group\" "
            + "LEFT JOIN (SELECT DISTINCT s2.\"group\" FROM \(factsTable) f JOIN \(statementsTable) s2 ON s2.\"row\" = f.\"row\" WHERE f.\"needs\" = \(needs)) t "
            + "ON t.\"group\" = g.\"group\" WHERE \(read) AND g.\"uncut\""
            + (counts.isEmpty ? "" : " AND s.\"measure\" NOT IN (\(counts.joined(separator: ", ")))") + " ORDER BY g.\"group\""
        return NoCut(sql: "SELECT count(*) > 0 AND bool_and(g.\"uncut\") FROM \(groupsTable) g WHERE \(read)",
                     error: "no document gives \(plan.needs) together for these rows; drop a field, or ask per document (rows | where …)",
                     uncut: uncut, needs: "\(plan.needs)")
    }

    /// `units`, `docs`, `codes` (TableSources.swift) and `checks` as a table over the export's statements,
    /// documents, catalogue and findings, ordered by _o0 as the in-memory engine lists them; nil for a source
    /// of statements.
    private func describing(_ source: SourcePlan) -> (sql: String, columns: [Column])? {
        switch source {
        case .units:
            return ("SELECT \"unit\" AS c0, NULLIF(\"region\", '') AS c1, \"year\" AS c2, \"phase\" AS c3, count(*) AS c4, "
                + "\(joinedDistinct("\"doc\"")) AS c5, row_number() OVER (ORDER BY \"unit\", \"year\", \"phase\", \"region\") AS _o0 "
                + "FROM statements WHERE NOT \"made\" GROUP BY \"unit\", \"region\", \"year\", \"phase\"", TableSources.unitColumns)
        case .docs:
            return ("SELECT d.\"doc\" AS c0, d.\"layout\" AS c1, d.\"unit\" AS c2, d.\"region\" AS c3, d.\"year\" AS c4, d.\"phase\" AS c5, "
                + "coalesce(n.\"n\", 0) AS c6, d.\"evidence\" AS c7, row_number() OVER (ORDER BY d.\"doc\") AS _o0 FROM documents d "
                + "LEFT JOIN (SELECT \"doc\", count(*) AS \"n\" FROM statements WHERE NOT \"made\" GROUP BY \"doc\") n ON n.\"doc\" = d.\"doc\"",
                TableSources.docColumns)
        case .codes:
            return ("SELECT \"scheme\" AS c0, \"code\" AS c1, \"level\" AS c2, \"name\" AS c3, \"parent\" AS c4, \"trust\" AS c5, "
                + "\"basis\" AS c6, \"seq\" AS _o0 FROM catalogue", TableSources.codeColumns)
        case .checks:
            // The findings as `fql export` decided them (Reconciler), in their order.
            let names = Export.tables.first { $0.name == "checks" }!.columns.dropFirst().map(\.0)
            return ("SELECT " + names.enumerated().map { "\"\($1)\" AS c\($0)" }.joined(separator: ", ") + ", \"seq\" AS _o0 FROM checks",
                    TableSources.checkColumns)
        default: return nil
        }
    }

    /// The groups the query reads, as a condition on `groups g`: those of its needs (stated ones unless it names
    /// `year`) with a statement its index look-ups find (Evaluator.candidates), and for a comparison only those
    /// on one of its sides (Evaluator.source).
    func groupsRead(_ plan: Plan) -> String {
        var rows = ["NOT \"made\""]
        let p = plan.prefilter
        func list<T>(_ xs: some Collection<T>, _ f: (T) -> String) -> String { xs.map(f).sorted().joined(separator: ", ") }
        if let u = p.units { rows.append(u.isEmpty ? "FALSE" : "\"unit\" IN (\(list(u, quote)))") }
        if let y = p.years { rows.append(y.isEmpty ? "FALSE" : "\"year\" IN (\(list(y) { String($0) }))") }
        if let ph = p.phases { rows.append(ph.isEmpty ? "FALSE" : "\"phase\" IN (\(list(ph) { quote($0.rawValue) }))") }
        if let m = p.measures { rows.append(m.isEmpty ? "FALSE" : "\"measure\" IN (\(list(m) { quote($0.rawValue) }))") }
        if let f = p.functionNodes {
            rows.append("(" + (f.isEmpty ? "FALSE" : f.map { "substr(\"func\", 1, \($0.text.count)) = \(quote($0.text))" }.joined(separator: " OR ")) + ")")
        }
        if let c = plan.firstCompare { rows.append("(\(sideOf(c))) IS NOT NULL") }
        var groups = ["g.\"needs\" = \(quote(Export.key(plan.needs)))"]
        if !plan.namesYear { groups.append("g.\"stated\"") }
        groups.append("g.\"group\" IN (SELECT \"group\" FROM \(statementsTable) WHERE \(rows.joined(separator: " AND ")))")
        return groups.joined(separator: " AND ")
    }

    // MARK: aggregate

    /// The guard columns an aggregate adds: a flag per phase and per measure a group holds; over `rows`, the
    /// number of its tables and whether any of its rows is a total.
    private func guardColumns(fromRows: Bool) -> [String] {
        Self.phases.indices.map { "_p\($0)" } + Self.measures.indices.map { "_m\($0)" } + (fromRows ? ["_tables", "_totals"] : [])
    }

    /// The columns every table carries beside its own, where a row comes from (Plan.swift, RowOrigin): the phase
    /// and measure of its statements, for a statement of `rows` its document and table, and its level; null
    /// where a row has no one origin. An aggregate of a table guards with them as one of statements does.
    static let originColumns = ["_ph", "_me", "_tb", "_lv"]

    /// The origin columns of statements (`prefix` the table's name and a dot, or empty), as they are made.
    private func origins(of prefix: String, fromRows: Bool) -> [String] {
        let table = fromRows ? "concat(\(prefix)\"doc\", ' ', \(prefix)\"table\")" : "CAST(NULL AS STRING)"
        return zip(["\(prefix)\"phase\"", "\(prefix)\"measure\"", table, "\(prefix)\"level\""], Self.originColumns).map { "\($0) AS \($1)" }
    }

    /// An aggregate of statements, or of `table`'s rows (their origin columns standing for the statements).
    private func aggregate(_ a: AggregatePlan, over source: String, table: [Column]?, fromRows: Bool, explainedRows: Bool,
                           order: String) throws(QueryError) -> (String, [Column]) {
        var keys: [String] = []
        for k in a.keys {
            let x = try expression(k.expr, columns: table)
            keys.append(x.sql)
        }
        let value: String
        var counted: String? = nil
        switch (a.kind, a.value) {
        case (.count, _): value = "count(*)"
        case (.sum, let v?), (.min, let v?), (.max, let v?):
            let x = try expression(v, columns: table)
            guard x.type == .money || x.type == .int || a.kind != .sum else { throw unsupported("sum of \(x.type)") }
            value = "\(a.kind.rawValue)(\(x.sql))"
        case (.avg, let v?):
            // The sum and the count of values; the backend divides, exactly as the in-memory engine does.
            let x = try expression(v, columns: table)
            guard x.type == .money || x.type == .int else { throw unsupported("avg of \(x.type)") }
            value = "sum(\(x.sql))"
            counted = "count(\(x.sql))"
        default: throw unsupported("\(a.kind.rawValue)")
        }
        var inner = keys.enumerated().map { "\($1) AS k\($0)" }
        inner.append("\(value) AS v")
        if let counted { inner.append("\(counted) AS _count") }
        // Marks come from statements; a table's rows have none.
        inner.append(table != nil ? "CAST(NULL AS STRING) AS note" : "NULLIF(concat_ws(', ', CASE WHEN bool_or(\"mark_derived\") THEN 'derived' END, "
                     + "CASE WHEN bool_or(\"mark_yuan\") THEN 'from 元' END, "
                     + "CASE WHEN bool_or(\"mark_remainder\") THEN 'remainder' END, "
                     + "CASE WHEN bool_or(\"mark_total_only\") THEN 'total only' END), '') AS note")
        let (phase, measure, tableOf, level) = table != nil ? ("_ph", "_me", "_tb", "_lv")
            : ("\"phase\"", "\"measure\"", "concat(\"doc\", ' ', \"table\")", "\"level\"")
        inner += Self.phases.enumerated().map { "coalesce(bool_or(\(phase) = \(quote($1.rawValue))), FALSE) AS _p\($0)" }
        inner += Self.measures.enumerated().map { "coalesce(bool_or(\(measure) = \(quote($1.rawValue))), FALSE) AS _m\($0)" }
        if fromRows && a.guardsMixing {
            inner.append("count(DISTINCT \(tableOf)) AS _tables")
            inner.append("coalesce(bool_or(\(level) <> 'leaf'), FALSE) AS _totals")
        }
        if explainedRows { inner += ["max(_rows) AS _rows", "max(_lines) AS _lines"] }
        var grouped = "SELECT " + inner.joined(separator: ", ") + " FROM (\(source)) t"
        if !keys.isEmpty { grouped += " GROUP BY " + keys.indices.map { String($0 + 1) }.joined(separator: ", ") }
        // The outer projection: keys (a code key's name after it), the value, the marks.
        var outer = try keyOutputs(a.keys)
        var n = outer.count
        outer.append("v AS c\(n)"); n += 1
        if a.marks { outer.append("note AS c\(n)") }
        outer += guardColumns(fromRows: fromRows && a.guardsMixing)
        if explainedRows { outer += ["_rows", "_lines"] }
        if counted != nil { outer.append("_count") }
        // A sum (avg) whose every group holds one phase and one measure keeps them as its rows' origin, so that
        // a sum of sums is guarded like a sum (Stages.swift, `singleOrigin`).
        let one = { (flags: [String]) in "(" + flags.map { "CASE WHEN \($0) THEN 1 ELSE 0 END" }.joined(separator: " + ") + ") = 1" }
        let p = Self.phases.indices.map { "_p\($0)" }, m = Self.measures.indices.map { "_m\($0)" }
        let kept = a.kind == .sum || a.kind == .avg
            ? "min(CASE WHEN \(one(p)) AND \(one(m)) THEN 1 ELSE 0 END) OVER () = 1" : "FALSE"
        let named = { (flags: [String], names: [String]) in
            "CASE WHEN \(kept) THEN CASE " + zip(flags, names).map { "WHEN \($0) THEN \(self.quote($1))" }.joined(separator: " ") + " END END"
        }
        outer += ["\(named(p, Self.phases.map(\.rawValue))) AS _ph", "\(named(m, Self.measures.map(\.rawValue))) AS _me",
                  "CAST(NULL AS STRING) AS _tb", "'leaf' AS _lv"]
        let by = a.keys.indices.map { "k\($0) ASC NULLS LAST" }
        // One row when there are no keys; Spark wants an order all the same.
        outer.append("row_number() OVER (ORDER BY " + (by.isEmpty ? "NULL" : by.joined(separator: ", ")) + ") AS \(order)")
        return ("SELECT " + outer.joined(separator: ", ") + " FROM (\(grouped)) g", a.columns)
    }

    /// The key columns of a grouped result (k0 … as c0 …, a code key's name after it), as the outer projection
    /// of an aggregate or a comparison lists them.
    func keyOutputs(_ keys: [KeyPlan]) throws(QueryError) -> [String] {
        var outer: [String] = []
        for (i, k) in keys.enumerated() {
            outer.append("k\(i) AS c\(outer.count)")
            if k.withName {
                guard case .code(let scheme?) = k.type else { throw unsupported("a name of \(k.name)") }
                outer.append("\(name("k\(i)", scheme)) AS c\(outer.count)")
            }
        }
        return outer
    }

    // MARK: expressions

    enum SQLType: Equatable, CustomStringConvertible {
        /// A code of its scheme, or of any (a table's column of codes: the schemes' codes begin with different digits).
        case text, int, money, code(CodeScheme?), bool, percent
        var description: String {
            switch self {
            case .text: return "text"
            case .int: return "a whole number"
            case .money: return "an amount"
            case .code: return "a code"
            case .bool: return "true/false"
            case .percent: return "a percentage"
            }
        }
    }

    private func condition(_ e: CExpr, columns: [Column]?) throws(QueryError) -> String {
        "coalesce(\(try expression(e, columns: columns).sql), FALSE)"
    }

    /// A field of the statements as SQL over the source's columns.
    func field(_ r: FieldRef) throws(QueryError) -> (sql: String, type: SQLType) {
        let f = r.field
        let plain: (String, SQLType)
        switch f {
        case .unit, .region, .phase, .measure, .nature, .fund, .cost, .project, .category, .doc, .table, .level, .derived, .printed:
            plain = ("\"\(f.rawValue)\"", .text)
        case .year, .line: plain = ("\"\(f.rawValue)\"", .int)
        case .amount: plain = ("\"amount\"", .money)
        case .function: plain = ("\"func\"", .code(.function))
        case .class, .section, .item:
            let d = f == .class ? 3 : f == .section ? 5 : 7
            plain = ("(CASE WHEN length(\"func\") >= \(d) THEN substr(\"func\", 1, \(d)) END)", .code(.function))
        case .econ: plain = ("\"econ\"", .code(.econDept))
        case .econGov: plain = ("\"econ_gov\"", .code(.econGov))
        }
        guard r.named else { return plain }
        guard case .code(let scheme) = plain.1 else { throw unsupported("\(r.name)") }
        return (name(plain.0, scheme), .text)
    }

    private func name(_ code: String, _ scheme: CodeScheme?) -> String {
        guard let scheme else { return "(SELECT min(c.\"name\") FROM catalogue c WHERE c.\"code\" = \(code))" }
        return "(SELECT c.\"name\" FROM catalogue c WHERE c.\"scheme\" = \(quote(scheme.key)) AND c.\"code\" = \(code))"
    }

    func expression(_ e: CExpr, columns: [Column]?) throws(QueryError) -> (sql: String, type: SQLType) {
        switch e {
        case .literal(let v): return try literal(v)
        case .field(let r):
            guard columns == nil else { throw unsupported("a statement field after a table") }
            return try field(r)
        case .column(let i):
            guard let columns else { throw unsupported("a column before a table") }
            return ("c\(i)", try type(columns[i].type))
        case .under(let x, let codes):
            let v = try expression(x, columns: columns).sql
            let any = codes.map { "substr(\(v), 1, \($0.text.count)) = \(quote($0.text))" }.joined(separator: " OR ")
            return ("(CASE WHEN \(v) IS NULL THEN NULL ELSE (\(any.isEmpty ? "FALSE" : any)) END)", .bool)
        case .compare(let op, let a, let b, _):
            var x = try expression(a, columns: columns), y = try expression(b, columns: columns)
            if case .money = x.type, case .int = y.type { y = (scaled(y.sql), .money) }
            if case .int = x.type, case .money = y.type { x = (scaled(x.sql), .money) }
            return ("(\(x.sql) \(op == "!=" ? "<>" : op) \(y.sql))", .bool)
        case .contains(let x, let text):
            let v = try expression(x, columns: columns).sql
            return ("(instr(lower(CAST(\(v) AS STRING)), \(quote(text.lowercased()))) > 0)", .bool)
        case .codeMatches(let x, let text):
            let v = try expression(x, columns: columns)
            guard case .code(let scheme) = v.type else { throw unsupported("~ on this value") }
            return ("(CASE WHEN \(v.sql) IS NULL THEN NULL ELSE (substr(\(v.sql), 1, \(text.count)) = \(quote(text)) "
                    + "OR coalesce(instr(\(name(v.sql, scheme)), \(quote(text))) > 0, FALSE)) END)", .bool)
        case .and(let a, let b):
            return ("(\(try expression(a, columns: columns).sql) AND \(try expression(b, columns: columns).sql))", .bool)
        case .or(let a, let b):
            return ("(\(try expression(a, columns: columns).sql) OR \(try expression(b, columns: columns).sql))", .bool)
        case .not(let x):
            return ("(NOT \(try expression(x, columns: columns).sql))", .bool)
        case .negate(let x, _):
            let v = try expression(x, columns: columns)
            return ("(-\(v.sql))", v.type)
        case .arithmetic(let op, let a, let b, let span):
            return try arithmetic(op, try expression(a, columns: columns), try expression(b, columns: columns), span: span)
        }
    }

    private func scaled(_ sql: String) -> String { "(\(sql) * \(Money.unitsPerWan))" }

    private func literal(_ v: Value) throws(QueryError) -> (sql: String, type: SQLType) {
        switch v {
        case .null: return ("NULL", .text)
        case .text(let s): return (quote(s), .text)
        case .int(let i): return (String(i), .int)
        case .money(let m): return (String(m.units), .money)
        case .code(let c): return (quote(c.text), .code(c.scheme))
        case .bool(let b): return (b ? "TRUE" : "FALSE", .bool)
        case .percent: throw unsupported("a percentage literal")
        }
    }

    private func type(_ t: ValueType) throws(QueryError) -> SQLType {
        switch t {
        case .text, .enumerated: return .text
        case .int: return .int
        case .money: return .money
        case .percent: throw unsupported("a condition on a share")
        case .bool: return .bool
        case .code(let s): return .code(s)
        }
    }

    /// The rank of a text column's value among `values`, for ordering as FQL orders an enumeration.
    func rank(_ column: String, _ values: [(String, Int)]) -> String {
        "CASE " + values.map { "WHEN \(column) = \(quote($0.0)) THEN \($0.1)" }.joined(separator: " ") + " END"
    }

    func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    func unsupported(_ what: String) -> QueryError {
        QueryError(.unsupported, Span(0, 0), "no SQL translation yet for \(what)")
    }
}
