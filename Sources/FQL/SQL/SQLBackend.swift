// SQLBackend.swift — runs a translated query (SQLTranslator.swift) on another
// engine over an exported dataset (Export.swift) and reads the rows back into
// FQL's own Table, so the result renders exactly as the in-memory engine's:
// amounts from integer millionths, codes by their scheme, a share from its
// part and total, and the same errors where a group would add phases or
// measures together. DuckDB runs through its Python package (a small driver
// script given on standard input with the SQL), in a Python the caller names
// (the project's scripts install it; see scripts/engines.sh).

import FiscalData
import Foundation

public struct SQLBackend: Sendable {
    public enum Kind: String, Sendable { case duckdb }

    public let kind: Kind
    /// The Python with the engine's package.
    public let python: String
    /// The folder `fql export` wrote.
    public let data: String

    public init(kind: Kind, python: String, data: String) {
        self.kind = kind
        self.python = python
        self.data = data
    }

    /// The tables of the export, made from its CSV files with the schema's types.
    var setup: String {
        Export.tables.map { t in
            let columns = t.columns.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ")
            let path = (data + "/" + t.name + ".csv").replacingOccurrences(of: "'", with: "''")
            return "CREATE TABLE \(t.name) AS SELECT * FROM read_csv('\(path)', header = true, "
                + "allow_quoted_nulls = false, columns = {\(columns)});"
        }.joined(separator: "\n")
    }

    /// The driver: the setup, then each query in turn (parts separated by a line ";;"); each query's rows
    /// as JSON arrays, one per line, then a line "--".
    static let driver = """
    import sys, json, duckdb
    setup, *queries = sys.stdin.read().split("\\n;;\\n")
    con = duckdb.connect()
    con.execute(setup)
    out = sys.stdout
    for query in queries:
        for row in con.execute(query).fetchall():
            out.write(json.dumps(row, ensure_ascii=False) + "\\n")
        out.write("--\\n")
    """

    /// Runs `q` and returns its rows as FQL values.
    func run(_ q: SQLQuery, span: Span) throws(QueryError) -> Table {
        var lines: [Substring]
        do { lines = try execute(([setup] + (q.noCut.map { [$0.sql] } ?? []) + [q.text]).joined(separator: "\n;;\n")) } catch {
            throw QueryError(error.kind, span, error.message)
        }
        if let check = q.noCut {
            guard let end = lines.firstIndex(of: "--") else { throw QueryError(.engine, span, "\(kind.rawValue) answered no check") }
            if lines[..<end].first == "[true]" { throw QueryError(.noCut, span, check.error) }
            lines.removeSubrange(...end)
        }
        var rows: [[Value]] = []
        var totals: [[Int64?]] = []
        var measures: UInt16 = 0
        let width = q.columns.count
        let guards = q.guarded == nil ? 0 : SQLTranslator.phases.count + SQLTranslator.measures.count + (q.guardsRows ? 2 : 0)
        for line in lines where !line.isEmpty && line != "--" {
            guard let cells = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], cells.count >= width else {
                throw QueryError(.engine, span, "\(kind.rawValue) answered a row FQL cannot read: \(line.prefix(200))")
            }
            if let a = q.guarded {
                measures |= try checkGuards(Array(cells[width..<(width + guards)]), a)
            }
            var row: [Value] = []
            for (i, c) in q.columns.enumerated() { row.append(try value(cells[i], c.type, span)) }
            rows.append(row)
            // After the columns: the guards' flags, then each share's total (SQLQuery.shareTotals numbers these).
            totals.append(cells[width...].map { ($0 as? NSNumber)?.int64Value })
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
        if let n = q.columns.firstIndex(of: noteColumn) {
            // As the in-memory engine ends (Evaluator.run): the marks column last, each mark shown explained.
            let shown = Set(rows.compactMap { r -> String? in if case .text(let x) = r[n] { return x } else { return nil } })
            t.notes = FigureMark.allCases.sorted().filter { m in shown.contains { $0.contains(m.rawValue) } }.map(\.explanation)
            t = t.keepingColumns(q.columns.indices.filter { $0 != n } + [n])
        }
        if let say = Evaluator.counts(measures, in: t) { t.countUnit = say.unit; say.note.map { t.notes.append($0) } }
        return t
    }

    /// The errors of the in-memory engine for a group that holds several phases or measures (or, over
    /// `rows`, several tables or totals). Returns the measures of the row (1 << code).
    private func checkGuards(_ flags: [Any], _ a: AggregatePlan) throws(QueryError) -> UInt16 {
        var acc = Evaluator.Accumulator()
        let on = flags.map { ($0 as? Bool) ?? (($0 as? NSNumber)?.boolValue ?? false) }
        for (i, p) in SQLTranslator.phases.enumerated() where on[i] { acc.phaseBits |= 1 << Phase.code(p) }
        let m0 = SQLTranslator.phases.count
        for (i, m) in SQLTranslator.measures.enumerated() where on[m0 + i] { acc.measureBits |= 1 << Measure.code(m) }
        if flags.count > m0 + SQLTranslator.measures.count {
            let tables = (flags[m0 + SQLTranslator.measures.count] as? NSNumber)?.intValue ?? 0
            acc.tables = Set((0..<tables).map(String.init))
            acc.totals = on[m0 + SQLTranslator.measures.count + 1]
        }
        try acc.checkNotMixed(a.kind.rawValue, a.span, phaseHint: Evaluator.aggregatePhaseHint)
        return acc.measureBits
    }

    private func value(_ cell: Any, _ type: ValueType, _ span: Span) throws(QueryError) -> Value {
        if cell is NSNull { return .null }
        switch type {
        case .money, .percent:
            guard let n = cell as? NSNumber else { break }
            return .money(Money(units: n.int64Value))
        case .int:
            guard let n = cell as? NSNumber else { break }
            return .int(n.intValue)
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

    /// Runs the driver with `input` on standard input; its standard output by lines.
    private func execute(_ input: String) throws(QueryError) -> [Substring] {
        let r: (out: Data, err: String, status: Int32)
        do { r = try Subprocess.run(python, ["-c", Self.driver], input: Data(input.utf8)) } catch {
            throw QueryError(.engine, Span(0, 0), "cannot start \(python) for \(kind.rawValue): \(error.localizedDescription); "
                             + "bash scripts/engines.sh installs it")
        }
        guard r.status == 0 else {
            let message = r.err.split(separator: "\n").last.map(String.init) ?? "exit \(r.status)"
            throw QueryError(.engine, Span(0, 0), "\(kind.rawValue) failed: \(message)")
        }
        return String(decoding: r.out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }
}
