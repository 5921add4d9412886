// Export.swift — the dataset as tables another engine reads (issue 16):
// `statements` (every statement of the store, then the statements the fact
// selection makes — remainders, totals standing alone — each with its marks
// and `made` true: `rows` reads the others only),
// `facts` (for each set of needs a query may have, the rows that are its
// facts, in the order the in-memory engine takes them, and whether their
// group has a stated figure), `groups` (per set of needs, each group of
// statements — unit, year, phase, measure — and whether no cut answers it),
// `catalogue`, `documents` and `checks` (the findings, decided once), as CSV with a
// schema (schema.sql). Amounts are integer millionths of 万元 (BIGINT), never
// floating point. The facts are decided here, once, by the same FactSelector
// as the in-memory engine, so an engine running the SQL never re-decides
// them. `fql export` writes only into a new or empty folder.

import FiscalData
import Foundation

public enum Export {
    /// The sets of needs whose facts are exported: none, each field alone, and each pair of fields.
    /// A query needing more (three fields at once) has no SQL translation yet.
    static let needsSets: [FactNeeds] = {
        var singles: [FactNeeds] = []
        for d in [0, 3, 5, 7] { var n = FactNeeds(); n.need(.function, depth: d); singles.append(n) }
        for f in [CutField.econ, .econGov] { for d in [0, 3, 5] { var n = FactNeeds(); n.need(f, depth: d); singles.append(n) } }
        for f in CutField.allCases where ![.function, .econ, .econGov].contains(f) { var n = FactNeeds(); n.need(f); singles.append(n) }
        var out = [FactNeeds()] + singles
        for (i, a) in singles.enumerated() {
            for b in singles[(i + 1)...] where Set(a.fields).isDisjoint(with: b.fields) {
                var n = a
                for f in b.fields { n.need(f, depth: b.depths[f] ?? 0) }
                out.append(n)
            }
        }
        return out
    }()

    /// The columns of each exported table, with their SQL types, in file order.
    static let tables: [(name: String, columns: [(String, String)])] = [
        ("statements", [("row", "BIGINT"), ("unit", "VARCHAR"), ("region", "VARCHAR"), ("year", "INTEGER"),
                        ("phase", "VARCHAR"), ("measure", "VARCHAR"), ("func", "VARCHAR"), ("econ", "VARCHAR"),
                        ("econ_gov", "VARCHAR"), ("nature", "VARCHAR"), ("fund", "VARCHAR"), ("cost", "VARCHAR"),
                        ("project", "VARCHAR"), ("category", "VARCHAR"), ("amount", "BIGINT"), ("doc", "VARCHAR"),
                        ("table", "VARCHAR"), ("line", "INTEGER"), ("level", "VARCHAR"), ("derived", "VARCHAR"),
                        ("printed", "VARCHAR"), ("mark_derived", "BOOLEAN"), ("mark_remainder", "BOOLEAN"),
                        ("mark_total_only", "BOOLEAN"), ("mark_yuan", "BOOLEAN"),
                        ("made", "BOOLEAN"), ("group", "BIGINT")]),
        ("facts", [("needs", "VARCHAR"), ("seq", "BIGINT"), ("row", "BIGINT"), ("stated", "BOOLEAN")]),
        ("groups", [("needs", "VARCHAR"), ("group", "BIGINT"), ("stated", "BOOLEAN"), ("uncut", "BOOLEAN")]),
        ("catalogue", [("scheme", "VARCHAR"), ("code", "VARCHAR"), ("name", "VARCHAR"), ("seq", "BIGINT"), ("level", "VARCHAR"),
                       ("parent", "VARCHAR"), ("trust", "VARCHAR"), ("basis", "VARCHAR")]),
        ("documents", [("doc", "VARCHAR"), ("layout", "VARCHAR"), ("unit", "VARCHAR"), ("region", "VARCHAR"),
                       ("year", "INTEGER"), ("phase", "VARCHAR"), ("evidence", "VARCHAR")]),
        // The findings of the checks (Reconciler.columns), decided here once, in their order.
        ("checks", [("seq", "BIGINT")] + Reconciler.columns.map { c in
            (c.name, c.type == .int ? "INTEGER" : c.type == .money ? "BIGINT" : "VARCHAR")
        }),
    ]

    /// schema.sql: the tables, their columns and keys, and what an amount is.
    static var schema: String {
        var out = "-- FQL export: amounts are integer millionths of 万元 (amount / 1000000 = 万元), never floating point.\n"
            + "-- facts.needs names the fields a query groups or filters by (\(needsSets.count) sets: none, each field, each pair);\n"
            + "-- facts.row is statements.row; facts.seq orders a query's facts as the in-memory engine takes them.\n"
        for t in tables {
            out += "CREATE TABLE \(t.name) (\n" + t.columns.map { "  \"\($0.0)\" \($0.1)" }.joined(separator: ",\n")
            switch t.name {
            case "statements": out += ",\n  PRIMARY KEY (\"row\")"
            case "facts": out += ",\n  PRIMARY KEY (\"needs\", \"seq\")"
            case "groups": out += ",\n  PRIMARY KEY (\"needs\", \"group\")"
            default: break
            }
            out += "\n);\n"
        }
        return out
    }

    /// The files written.
    public static let files = tables.map { $0.name + ".csv" } + ["schema.sql"]
    /// The tables as Parquet, which `fql export` writes beside the CSV files where DuckDB is installed.
    public static let parquetFiles = tables.map { $0.name + ".parquet" }

    /// Writes the export of `dataset` into `folder`, which must be new or empty (nothing else is ever touched).
    /// `singleFieldsOnly` writes the facts of no more than one field at a time (a test's export of many statements:
    /// pairs of fields are most of the facts' lines); a query needing two fields then has no translation.
    public static func write(_ dataset: Dataset, to folder: String, singleFieldsOnly: Bool = false) throws(QueryError) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue else { throw QueryError(.unexpected, Span(0, 0), "\(folder) is a file; export writes a new or empty folder") }
            let entries = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
            guard entries.isEmpty else {
                throw QueryError(.unexpected, Span(0, 0), "\(folder) is not empty; export writes only into a new or empty folder, and never replaces files")
            }
        }
        let texts = render(dataset, needsSets: singleFieldsOnly ? needsSets.filter { $0.fields.count <= 1 } : needsSets)
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in texts {
                try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name), options: .withoutOverwriting)
            }
        } catch {
            throw QueryError(.unexpected, Span(0, 0), "cannot write \(folder): \(error.localizedDescription)")
        }
    }

    /// Each file's name and text.
    static func render(_ dataset: Dataset, needsSets: [FactNeeds] = needsSets) -> [(String, String)] {
        let store = dataset.store
        let (statements, facts, groups) = factTables(dataset, needsSets: needsSets)
        var catalogue = csvLine(tables[3].columns.map(\.0))
        for (n, e) in dataset.catalog.allEntries.enumerated() {
            catalogue += csvLine([e.code.scheme.key, e.code.text, e.name, String(n), e.code.level.chinese, e.code.parent?.text,
                                  e.trust.rawValue, e.basis])
        }
        var checks = csvLine(tables[5].columns.map(\.0))
        for (n, row) in Reconciler(dataset: dataset, statements: store.statements).table().rows.enumerated() {
            checks += csvLine([String(n)] + row.map(csvField))
        }
        var documents = csvLine(tables[4].columns.map(\.0))
        for d in dataset.documents {
            documents += csvLine([d.doc, d.layout, d.unit, d.region, String(d.year), d.phase.rawValue, d.evidence])
        }
        // The dataset's own files too, so that the export is a dataset fql loads (to check queries before
        // another engine runs them).
        var own = [(Dataset.catalogueFile, dataset.catalog.fileText()), (Dataset.statementsFile, StatementFile.text(store.statements))]
        if !dataset.documents.isEmpty { own.append((DocumentFile.name, DocumentFile.text(dataset.documents))) }
        return [("statements.csv", statements), ("facts.csv", facts),
                ("groups.csv", groups), ("catalogue.csv", catalogue),
                ("documents.csv", documents), ("checks.csv", checks), ("schema.sql", schema)] + own
    }

    /// A value of a table as a CSV field: an amount in millionths, a code as its digits, null as a missing value.
    private static func csvField(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case .text(let t): return t
        case .int(let i): return String(i)
        case .money(let m): return String(m.units)
        case .code(let c): return c.text
        case .bool(let b): return b ? "true" : "false"
        case .percent(let p): return p.description
        }
    }

    /// The tables the facts of `needsSets` are read from: every statement, then the ones the selection made
    /// (numbered after them), the facts of each set, and each set's groups (Export.tables 0, 1, 2). Also what a
    /// backend is handed for a query needing a set the export does not hold (SQLBackend.run).
    static func factTables(_ dataset: Dataset, needsSets: [FactNeeds]) -> (statements: String, facts: String, groups: String) {
        let store = dataset.store
        var phases: [String: Phase] = [:], years: [String: Int] = [:]
        for d in dataset.documents { phases[d.doc] = d.phase; years[d.doc] = d.year }
        let selector = FactSelector(store: store, documentPhases: phases, documentYears: years)
        let all = Array(selector.groupList.indices)
        // Statements made by the selection, once each, numbered after the store's rows.
        var madeRow: [FiscalData.Statement: Int] = [:]
        var made: [FiscalData.Statement] = []
        // facts.csv and groups.csv have a line per statement (per group) for each of the ~100 sets of needs:
        // written as bytes, the needs' field made once per set.
        var facts = Array(csvLine(tables[1].columns.map(\.0)).utf8)
        var groups = Array(csvLine(tables[2].columns.map(\.0)).utf8)
        for needs in needsSets {
            guard let chosen = try? selector.facts(groupIDs: all, needs: needs) else { continue }
            let uncut = Set(chosen.uncut)
            let needsField = Array(csvLine([key(needs)]).utf8.dropLast())
            for (g, group) in selector.groupList.enumerated() {
                groups += needsField
                appendField(g, to: &groups)
                appendField(selector.groupStated[g], to: &groups)
                appendField(uncut.contains(group), to: &groups, last: true)
            }
            for (seq, r) in chosen.refs.enumerated() {
                let base: Int, row: Int
                if r >= 0 { (base, row) = (Int(r), store.givenPosition(Int(r))) } else {
                    let s = chosen.made[Int(-1 - r)]
                    base = Int(chosen.madeFrom[Int(-1 - r)])
                    if let known = madeRow[s] { row = known } else {
                        row = store.count + made.count
                        madeRow[s] = row
                        made.append(s)
                    }
                }
                facts += needsField
                appendField(seq, to: &facts)
                appendField(row, to: &facts)
                appendField(selector.groupStated[Int(selector.groupOf[base])], to: &facts, last: true)
            }
        }
        var statements = csvLine(tables[0].columns.map(\.0))
        // Numbered in the order the statements were given (the store keeps them clustered by group).
        for (i, r) in store.givenOrder.enumerated() {
            statements += statementLine(i, store.statement(at: Int(r)), made: false, group: Int(selector.groupOf[Int(r)]))
        }
        for (n, s) in made.enumerated() { statements += statementLine(store.count + n, s, made: true, group: selector.groupID(FactGroup(s)) ?? -1) }
        return (statements, String(decoding: facts, as: UTF8.self), String(decoding: groups, as: UTF8.self))
    }

    /// The needs as facts.needs names them: fields in order, a code depth after a colon (`func:3,nature`).
    static func key(_ n: FactNeeds) -> String {
        n.fields.map { f in (n.depths[f] ?? 0) > 0 ? "\(f.rawValue):\(n.depths[f]!)" : f.rawValue }.joined(separator: ",")
    }

    private static func statementLine(_ row: Int, _ s: FiscalData.Statement, made: Bool, group: Int) -> String {
        let m = s.marks
        return csvLine([String(row), s.unit, s.region, String(s.year), s.phase.rawValue, s.measure.rawValue,
                        s.function?.text, s.econDept?.text, s.econGov?.text, s.nature?.rawValue, s.fund?.rawValue,
                        s.cost?.rawValue, s.project, s.category, String(s.amount.units), s.doc, s.table, String(s.line),
                        s.level.rawValue, s.derived, s.printed == .wan ? nil : s.printed.rawValue,
                        m.contains(.derived) ? "true" : "false", m.contains(.remainder) ? "true" : "false",
                        m.contains(.totalOnly) ? "true" : "false", m.contains(.yuan) ? "true" : "false",
                        made ? "true" : "false", String(group)])
    }

    /// Appends ",N" (and a line end after the last field of a line) to a CSV line being written as bytes.
    private static func appendField(_ n: Int, to out: inout [UInt8], last: Bool = false) {
        out.append(UInt8(ascii: ","))
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n.magnitude, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[count] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; count += 1 } while v > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
        if last { out.append(UInt8(ascii: "\n")) }
    }

    private static func appendField(_ b: Bool, to out: inout [UInt8], last: Bool = false) {
        out.append(UInt8(ascii: ","))
        out += b ? Array("true".utf8) : Array("false".utf8)
        if last { out.append(UInt8(ascii: "\n")) }
    }

    /// One CSV line: a missing value is an empty field; text is quoted (a quote doubled), so an empty text
    /// is `""`, never a missing value.
    static func csvLine(_ fields: [String?]) -> String {
        fields.map { f -> String in
            guard let f else { return "" }
            if !f.isEmpty, f.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0.isLetter) }) { return f }
            return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\n"
    }
}
