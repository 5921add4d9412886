// SQLBackend.swift — runs a translated query (SQLTranslator.swift) on another
// engine over an exported dataset (Export.swift) and reads the rows back into
// FQL's own Table, so the result renders exactly as the in-memory engine's:
// amounts from integer millionths, codes by their scheme, a share from its
// part and total, and the same errors where a group would add phases or
// measures together. DuckDB and Spark (pyspark; `local[2]` or a cluster's
// master URL) run through their Python packages, in a Python the caller names
// (the project's scripts install them; see scripts/engines.sh): one driver
// program, started at the first query and kept for the session's next ones
// (LineServer), so that Spark starts once, not per query.

import FiscalData
import Foundation

public struct SQLBackend: Sendable {
    public enum Kind: String, Sendable { case duckdb, spark }

    public let kind: Kind
    /// The Python with the engine's package.
    public let python: String
    /// The folder `fql export` wrote.
    public let data: String
    /// Where Spark runs (`local[2]`, or a cluster's URL); DuckDB ignores it.
    public let master: String
    /// The engine's driver, started at the first query and kept for the next (shared by the copies of this value).
    private let driver = DriverBox()

    public init(kind: Kind, python: String, data: String, master: String = "local[2]") {
        self.kind = kind
        self.python = python
        self.data = data
        self.master = master
    }

    /// Whether the export has its tables as Parquet too (`fql export` writes them where DuckDB is installed).
    public var hasParquet: Bool {
        Export.tables.allSatisfy { FileManager.default.fileExists(atPath: data + "/" + $0.name + ".parquet") }
    }

    /// What the driver reads first: the export's tables, from their Parquet files where there are, else from
    /// their CSV files with the schema's types (DuckDB: SQL; Spark: the tables as JSON, which the driver reads
    /// into views).
    var setup: String {
        let parquet = hasParquet
        func path(_ name: String) -> String { data + "/" + name + (parquet ? ".parquet" : ".csv") }
        switch kind {
        case .duckdb:
            return Export.tables.map { t in
                guard parquet else { return Self.duckdbTable(t.name, csv: path(t.name), columns: t.columns) }
                return "CREATE TABLE \(t.name) AS SELECT * FROM read_parquet('\(path(t.name).replacingOccurrences(of: "'", with: "''"))');"
            }.joined(separator: "\n")
        case .spark:
            let tables: [[String: Any]] = Export.tables.map { t in
                ["name": t.name, "path": path(t.name), "parquet": parquet, "schema": Self.sparkSchema(t.columns)]
            }
            let json = try? JSONSerialization.data(withJSONObject: ["master": master, "tables": tables], options: [.sortedKeys])
            return json.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    /// Writes each table of the export as NAME.parquet beside its CSV, through DuckDB (its types as the
    /// schema's: amounts stay BIGINT millionths).
    public func writeParquet() throws(QueryError) {
        precondition(kind == .duckdb, "Parquet is written through DuckDB")
        _ = try execute(Export.tables.map { t in
            let file = (data + "/" + t.name + ".parquet").replacingOccurrences(of: "'", with: "''")
            return "COPY \(t.name) TO '\(file)' (FORMAT PARQUET)"
        }.joined(separator: "\n;;\n"))
    }

    /// The driver, one Python program for both engines: it reads blocks ended by a line ";;;;" — the setup
    /// first, then requests of queries separated by a line ";;" — and answers each block with each query's
    /// rows as JSON arrays, one per line, then a line "--"; a failure as one line "!! …"; and at the end of
    /// the block a line "==". Only the driver writes on its standard output: what else would (Spark's JVM)
    /// goes to standard error.
    static let driverSource = """
    import sys, os, json, decimal
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    ENGINE = sys.argv[1]
    TABLE = "-- fql: table "
    LOAD = "-- fql: load "
    state = {}
    def setup(text):
        if ENGINE == "duckdb":
            import duckdb
            con = duckdb.connect()
            con.execute(text)
            state["run"] = lambda q: con.execute(q).fetchall()
            state["table"] = lambda name, q: con.execute("CREATE OR REPLACE TEMP TABLE %s AS %s" % (name, q))
        else:
            spec = json.loads(text)
            from pyspark.sql import SparkSession
            spark = (SparkSession.builder.master(spec["master"]).appName("fql")
                     .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                     .config("spark.sql.ansi.enabled", "true").config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
                     .config("spark.sql.legacy.charVarcharAsString", "true")
                     .config("spark.sql.shuffle.partitions", "2").getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
            # An unquoted empty field is null, a quoted one ("") the empty string, as DuckDB reads them.
            csv = lambda t: spark.read.csv(t["path"], header=True, schema=t["schema"], quote='"', escape='"', nullValue="\\u0001", emptyValue="")
            for t in spec["tables"]:
                (spark.read.parquet(t["path"]) if t["parquet"] else csv(t)).createOrReplaceTempView(t["name"])
            state["run"] = lambda q: [list(r) for r in spark.sql(q).collect()]
            # Checkpointed, so that a query reading it plans from its rows, not from the query that made them.
            state["table"] = lambda name, q: spark.sql(q).localCheckpoint().createOrReplaceTempView(name)
            state["load"] = lambda t: csv(t).localCheckpoint().createOrReplaceTempView(t["name"])
    def plain(x):
        if isinstance(x, decimal.Decimal) and x == x.to_integral_value():
            return int(x)
        return str(x)
    def answer(work):
        try:
            work()
        except Exception as e:
            message = " ".join(str(e).split())[:2000]
            proto.write("!! " + type(e).__name__ + (": " + message if message else "") + "\\n")
        proto.write("==\\n")
        proto.flush()
    def blocks():
        lines = []
        while True:
            line = sys.stdin.readline()
            if not line:
                return
            if line.rstrip("\\n") == ";;;;":
                yield "\\n".join(lines)
                lines = []
            else:
                lines.append(line.rstrip("\\n"))
    def request(block):
        def work():
            if "run" not in state:
                raise RuntimeError(state.get("failed", "the engine did not start"))
            for query in block.split("\\n;;\\n"):
                if query.startswith(LOAD):
                    state["load"](json.loads(query[len(LOAD):]))
                    proto.write("--\\n")
                    continue
                if query.startswith(TABLE):
                    name, _, body = query[len(TABLE):].partition("\\n")
                    state["table"](name, body)
                    proto.write("--\\n")
                    continue
                for row in state["run"](query):
                    proto.write(json.dumps(list(row), ensure_ascii=False, default=plain) + "\\n")
                proto.write("--\\n")
        return work
    for n, block in enumerate(blocks()):
        answer((lambda b=block: setup(b)) if n == 0 else request(block))
    """

    /// Runs `q` and returns its rows as FQL values; `dataset` (the export's own) makes the facts a query needs
    /// that the export does not hold (`SQLQuery.supplement`).
    func run(_ q: SQLQuery, span: Span, dataset: Dataset) throws(QueryError) -> Table {
        if !q.supplement.isEmpty {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fql-facts-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let made = Export.factTables(dataset, needsSets: q.supplement)
            var loads: [String] = []
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                for (i, text) in [made.statements, made.facts, made.groups].enumerated() {
                    let t = Export.tables[i]
                    try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + t.name + ".csv"), options: .withoutOverwriting)
                    loads.append(loading(t.name + "_x", path: folder + "/" + t.name + ".csv", columns: t.columns))
                }
            } catch {
                throw QueryError(.engine, span, "cannot write the facts this query needs to \(folder): \(error.localizedDescription)")
            }
            return try run(q, span: span, loads: loads)
        }
        return try run(q, span: span, loads: [])
    }

    /// A cell the engine answered as a note names it (a year as a whole number, not 2024.0).
    static func text(_ cell: Any) -> String {
        (cell as? NSNumber).map { "\($0.int64Value)" } ?? (cell as? String) ?? "\(cell)"
    }

    /// A number the engine answered, exactly as a 64-bit integer: a sum beyond it (DuckDB adds BIGINTs in 128
    /// bits) is the overflow the in-memory engine reports, never a number wrapped round.
    static func whole(_ n: NSNumber, _ span: Span) throws(QueryError) -> Int64 {
        // JSON's numbers come back as doubles too: one past 2^63 in magnitude did not fit.
        guard n.doubleValue.magnitude < 9_223_372_036_854_775_808.0 else {
            throw QueryError(.overflow, span, "amount overflow in a sum: the engine's total \(n) does not fit in 64 bits")
        }
        return n.int64Value
    }

    /// The request that reads a CSV file of one of Export.tables' shapes as the temporary table `name`, as the
    /// setup reads the export's: DuckDB by SQL, Spark by the driver's reader (a load request).
    func loading(_ name: String, path: String, columns: [(String, String)]) -> String {
        switch kind {
        case .duckdb: return Self.duckdbTable(name, csv: path, columns: columns, temporary: true)
        case .spark:
            let spec: [String: Any] = ["name": name, "path": path, "schema": Self.sparkSchema(columns)]
            let json = (try? JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "-- fql: load " + json
        }
    }

    /// DuckDB's statement making the table `name` from a CSV file the export wrote, with its columns' types.
    static func duckdbTable(_ name: String, csv path: String, columns: [(String, String)], temporary: Bool = false) -> String {
        let file = path.replacingOccurrences(of: "'", with: "''")
        return "CREATE \(temporary ? "OR REPLACE TEMP " : "")TABLE \(name) AS SELECT * FROM read_csv('\(file)', header = true, "
            + "allow_quoted_nulls = false, columns = {\(columns.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", "))});"
    }

    /// A table's columns as Spark's CSV reader takes them.
    static func sparkSchema(_ columns: [(String, String)]) -> String {
        let sparkType = ["VARCHAR": "STRING", "INTEGER": "INT"]
        return columns.map { "`\($0.0)` \(sparkType[$0.1] ?? $0.1)" }.joined(separator: ", ")
    }

    private func run(_ q: SQLQuery, span: Span, loads: [String]) throws(QueryError) -> Table {
        var lines: [Substring]
        // The temporary tables the queries read, then the overflow checks, on their own (the queries after them
        // may fail where they find a row).
        let making = loads + q.prepare.map(Self.making)
        if !q.overflows.isEmpty || !making.isEmpty {
            var found: [Substring]
            do { found = try execute((making + q.overflows.map(\.sql)).joined(separator: "\n;;\n")) } catch {
                throw QueryError(error.kind, span, error.message)
            }
            for _ in making {
                guard let end = found.firstIndex(of: "--") else { break }
                found.removeSubrange(...end)
            }
            for check in q.overflows {
                guard let end = found.firstIndex(of: "--") else { break }
                if end > found.startIndex { throw overflowError(check, try cells(found[found.startIndex], atLeast: 2, span), span: span) }
                found.removeSubrange(...end)
            }
        }
        let before = (q.noCut.map { [$0.sql, $0.uncut] } ?? []) + q.filterNotes.map(\.sql)
            + (q.compare.map { [$0.sides] + $0.scopeNotes.map(\.sql) } ?? [])
        do { lines = try execute((before + [q.compare?.text ?? q.text]).joined(separator: "\n;;\n")) } catch {
            throw QueryError(error.kind, span, error.message)
        }
        /// The next query's answer: its lines up to "--".
        func section() throws(QueryError) -> ArraySlice<Substring> {
            guard let end = lines.firstIndex(of: "--") else { throw QueryError(.engine, span, "\(kind.rawValue) answered too few queries") }
            defer { lines.removeSubrange(...end) }
            return lines[..<end]
        }
        var uncut: [String] = []
        if let check = q.noCut {
            if try section().first == "[true]" { throw QueryError(.noCut, span, check.error) }
            uncut = uncutNotes(try section().map { line throws(QueryError) in try cells(line, atLeast: 5, span) }, needs: check.needs)
        }
        // What filters left out that no row classifies: over statements before the marks are explained, over a
        // table after them (as the in-memory engine notes them, stage by stage).
        var leading = uncut, trailing: [String] = []
        for f in q.filterNotes {
            for line in try section() {
                let c = try cells(line, atLeast: f.ofGroups ? 5 : 1, span)
                let money = { (x: Any) in Money(units: (x as? NSNumber)?.int64Value ?? 0).format(grouping: true, decimals: 2) }
                if f.ofGroups {
                    leading.append("\(c.prefix(4).map(Self.text).joined(separator: " ")): \(money(c[4])) "
                                   + "that no row of the answering table classifies is not in this answer; part of it may be what was asked")
                } else {
                    trailing.append("a row of money no table classifies (\(money(c[0]))) is not in this answer; part of it may be what was asked")
                }
            }
        }
        if let c = q.compare {
            func cells(_ part: ArraySlice<Substring>) throws(QueryError) -> [[Any]] {
                try part.map { line throws(QueryError) in try self.cells(line, atLeast: 0, span) }
            }
            try checkSides(c, try cells(try section()))
            // What bringing both sides to one scope left out, or could not.
            for n in c.scopeNotes { leading += scopeNotes(c.plan, n.dimension, try cells(try section())) }
            let t = try compareTable(c, sums: try cells(try section()), columns: q.columns) {
                cell, type throws(QueryError) in try value(cell, type, span)
            }
            return withNotes(t, leading: leading, trailing: trailing)
        }
        var rows: [[Value]] = []
        var totals: [[Int64?]] = []
        var measures: UInt16 = 0
        let width = q.columns.count
        let guards = q.guarded == nil ? 0 : SQLTranslator.phases.count + SQLTranslator.measures.count + (q.guardsRows ? 2 : 0)
        for line in lines where !line.isEmpty && line != "--" {
            let cells = try cells(line, atLeast: width, span)
            if let a = q.guarded {
                measures |= try checkGuards(Array(cells[width..<(width + guards)]), a)
            } else if let f = q.measureFlags, width + f + SQLTranslator.measures.count <= cells.count {
                for (i, m) in SQLTranslator.measures.enumerated() where Self.flag(cells[width + f + i]) { measures |= 1 << Measure.code(m) }
            } else if let n = q.measureName, width + n < cells.count, let m = (cells[width + n] as? String).flatMap(Measure.init) {
                measures |= 1 << Measure.code(m)
            }
            var row: [Value] = []
            for (i, c) in q.columns.enumerated() { row.append(try value(cells[i], c.type, span)) }
            rows.append(row)
            // After the columns: the guards' flags, then each share's total (SQLQuery.shareTotals numbers these).
            totals.append(cells[width...].map { ($0 as? NSNumber)?.int64Value })
        }
        // An average is the sum over the count of values, divided as the in-memory engine divides.
        if let avg = q.average, let v = q.valueColumn {
            for r in rows.indices {
                guard avg.countExtra < totals[r].count, let n = totals[r][avg.countExtra], n > 0, let sum = rows[r][v].money else {
                    rows[r][v] = .null
                    continue
                }
                rows[r][v] = try exactArithmetic("/", avg.wholeNumbers ? .int(Int(sum.units)) : .money(sum), .int(Int(n)), span)
            }
        }
        // Why: how many statements made how many rows, as the in-memory engine says it.
        var note: String? = nil
        if let w = q.whyRows {
            let explained = totals.first.flatMap { w < $0.count ? $0[w] : nil } ?? 0
            let lines = totals.first.flatMap { w + 1 < $0.count ? $0[w + 1] : nil } ?? Int64(rows.count)
            note = whyNote(statements: lines, rows: explained)
        }
        // A share is its part (in its own column) over the total the engine summed for its partition.
        for (column, extra) in q.shareTotals {
            for r in rows.indices {
                guard let m = rows[r][column].money, extra < totals[r].count, let t = totals[r][extra], let p = Money.percent(m, of: Money(units: t)) else {
                    rows[r][column] = .null
                    continue
                }
                rows[r][column] = .percent(p)
            }
        }
        var t = Table(columns: q.columns, rows: rows, valueColumn: q.valueColumn)
        t.chartColumn = q.chartColumn
        t.prunable = q.prunable
        t = concluded(t, measures: measures)
        note.map { t.notes.append($0) }
        return withNotes(t, leading: leading, trailing: trailing)
    }

    /// A result's notes in the in-memory engine's order: `leading` (of the source and the filters on
    /// statements), the marks explained, `trailing` (of the stages on the table), then the rest (counts,
    /// `why`); each once.
    private func withNotes(_ table: Table, leading: [String], trailing: [String]) -> Table {
        var t = table
        let marks = Set(FigureMark.allCases.map(\.explanation))
        var out: [String] = []
        for n in leading + t.notes.filter(marks.contains) + trailing + t.notes.filter({ !marks.contains($0) }) where !out.contains(n) {
            out.append(n)
        }
        t.notes = out
        return t
    }

    /// The request that makes a temporary table of a query's rows, replacing one of that name: the driver
    /// has DuckDB create a table, and Spark checkpoint the rows as a view (read as rows, not planned again from
    /// the query that made them: a step read twice by the next would double the plan at each step).
    static func making(_ t: (name: String, sql: String)) -> String { "-- fql: table \(t.name)\n\(t.sql)" }

    /// The notes of Evaluator.noteUncut from the groups no cut answers (unit, year, phase, measure, whether
    /// the selection holds its total), at most five and how many more.
    private func uncutNotes(_ groups: [[Any]], needs: String) -> [String] {
        var notes: [String] = []
        for (n, g) in groups.enumerated() {
            if n == 5 { notes.append("… and \(groups.count - 5) more such groups"); break }
            notes.append("\(g.prefix(4).map(Self.text).joined(separator: " ")): no table of its document gives \(needs) together; "
                         + (Self.flag(g[4]) ? "its total is one row with none of them" : "left out (it states no total)"))
        }
        return notes
    }

    /// A result as the in-memory engine ends it (Evaluator.run): the marks column last, each mark shown
    /// explained, counts said.
    func concluded(_ table: Table, measures: UInt16) -> Table {
        var t = table
        if let n = t.columns.firstIndex(of: noteColumn) {
            let shown = Set(t.rows.compactMap { r -> String? in if case .text(let x) = r[n] { return x } else { return nil } })
            t.notes = FigureMark.allCases.sorted().filter { m in shown.contains { $0.contains(m.rawValue) } }.map(\.explanation)
            t = t.keepingColumns(t.columns.indices.filter { $0 != n } + [n])
        }
        if let say = Evaluator.counts(measures, in: t) { t.countUnit = say.unit; say.note.map { t.notes.append($0) } }
        return t
    }

    /// One answered row: a JSON array of at least `width` cells.
    func cells(_ line: Substring, atLeast width: Int, _ span: Span) throws(QueryError) -> [Any] {
        guard let cells = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], cells.count >= width else {
            throw QueryError(.engine, span, "\(kind.rawValue) answered a row FQL cannot read: \(line.prefix(200))")
        }
        return cells
    }

    /// The phases and measures a group holds, from its flags: one per phase, then one per measure.
    static func held(_ on: ArraySlice<Bool>) -> Evaluator.Accumulator {
        var acc = Evaluator.Accumulator()
        let p0 = on.startIndex, m0 = p0 + SQLTranslator.phases.count
        for (i, p) in SQLTranslator.phases.enumerated() where on[p0 + i] { acc.phaseBits |= 1 << Phase.code(p) }
        for (i, m) in SQLTranslator.measures.enumerated() where on[m0 + i] { acc.measureBits |= 1 << Measure.code(m) }
        return acc
    }

    /// A flag the engine answered (a Bool, or a number where JSON gives one).
    static func flag(_ x: Any) -> Bool { (x as? Bool) ?? ((x as? NSNumber)?.boolValue ?? false) }

    /// The errors of the in-memory engine for a group that holds several phases or measures (or, over
    /// `rows`, several tables or totals). Returns the measures of the row (1 << code).
    private func checkGuards(_ flags: [Any], _ a: AggregatePlan) throws(QueryError) -> UInt16 {
        let on = flags.map(Self.flag)
        var acc = Self.held(on[...])
        let m0 = SQLTranslator.phases.count
        if flags.count > m0 + SQLTranslator.measures.count {
            let tables = (flags[m0 + SQLTranslator.measures.count] as? NSNumber)?.intValue ?? 0
            acc.tables = Set((0..<tables).map(String.init))
            acc.totals = on[m0 + SQLTranslator.measures.count + 1]
        }
        try acc.checkNotMixed(a.kind.rawValue, a.span, phaseHint: Evaluator.aggregatePhaseHint)
        return acc.measureBits
    }

    func value(_ cell: Any, _ type: ValueType, _ span: Span) throws(QueryError) -> Value {
        if cell is NSNull { return .null }
        switch type {
        case .money, .percent:
            guard let n = cell as? NSNumber else { break }
            return .money(Money(units: try Self.whole(n, span)))
        case .int:
            guard let n = cell as? NSNumber else { break }
            return .int(Int(try Self.whole(n, span)))
        case .code(let scheme):
            guard let s = cell as? String else { break }
            if let scheme, let c = Code(s, scheme: scheme) { return .code(c) }
            if let c = CodeScheme.allCases.lazy.compactMap({ Code(s, scheme: $0) }).first { return .code(c) }
        case .bool:
            if let b = cell as? Bool { return .bool(b) }
        case .text, .enumerated:
            if let s = cell as? String { return .text(s) }
        }
        throw QueryError(.engine, span, "\(kind.rawValue) answered \(cell) where FQL expects \(type)")
    }

    /// Runs the queries of `request` (separated by lines ";;") in the driver, started with the setup at
    /// the first request; the answer's lines, each query's ended by "--".
    func execute(_ request: String) throws(QueryError) -> [Substring] {
        let answer: [String]
        do {
            let server = try driver.server {
                // An export of an older fql lacks a table this one reads: said plainly, before any engine starts.
                let fm = FileManager.default
                if let t = Export.tables.first(where: { t in !fm.fileExists(atPath: data + "/" + t.name + ".csv") }) {
                    throw QueryError(.engine, Span(0, 0), "\(data) has no \(t.name).csv: it is not an export this fql wrote "
                                     + "(an older one, or not an export); run fql export again into a new folder")
                }
                let s = try LineServer(python, ["-c", Self.driverSource, kind.rawValue])
                try Self.check(try s.request(setup + "\n;;;;", end: "=="), kind)
                return s
            }
            answer = try server.request(request + "\n;;;;", end: "==")
        } catch let e as QueryError {
            throw e
        } catch let e as LineServer.Failure {
            throw QueryError(.engine, Span(0, 0), "\(kind.rawValue) failed: \(e.message)")
        } catch {
            throw QueryError(.engine, Span(0, 0), "cannot start \(python) for \(kind.rawValue): \(error.localizedDescription); "
                             + "bash scripts/engines.sh\(kind == .spark ? " spark" : "") installs it")
        }
        try Self.check(answer, kind)
        return answer.map { Substring($0) }
    }

    /// A failure the driver reported ("!! …") as an error.
    private static func check(_ answer: [String], _ kind: Kind) throws(QueryError) {
        if let bad = answer.first(where: { $0.hasPrefix("!! ") }) {
            throw QueryError(.engine, Span(0, 0), "\(kind.rawValue) failed: \(bad.dropFirst(3))")
        }
    }
}

/// The driver of a backend, started once: a failed start is tried again at the next query.
private final class DriverBox: @unchecked Sendable {
    private var started: LineServer?
    private let lock = NSLock()

    func server(_ start: () throws -> LineServer) throws -> LineServer {
        lock.lock()
        defer { lock.unlock() }
        if let started { return started }
        let s = try start()
        started = s
        return s
    }
}
