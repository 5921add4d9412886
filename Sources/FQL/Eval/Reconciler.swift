// Reconciler.swift — the reconciliation findings behind `checks` and
// `fql check` (data-model.md, "Checks"). Each rule is one function:
//
//   total       a table's total row (合计, or the 基本/项目 totals) against the sum of its leaf rows
//   row         a row's 合计 against its 基本 + 项目 (rows with other parts, and tables with unread
//               cells, left alone)
//   subtotal    a 类/款 row against the sum of the rows under it in the same table (a class total
//               stated in prose: against the document's rows under it that come nearest)
//   restated    the same figure (same unit, year, phase, measure and classification) in two
//               tables, in prose and a table, or in two documents, disagreeing
//   project     a project's total (项目总额 of a performance table) against the sum of its rows in
//               the project table; a project it names with a few letters changed, with amounts that
//               agree, is a `variant` (a note); one it does not name at all is `unmatched`
//   import      a cell the importer repaired or could not read (from import-report.txt)
//
// Every finding gives both figures, their difference, the tolerance applied
// (0.01 万元 for rounding) and the places of both; `status` says whether the
// difference is within the rounding tolerance or a real mismatch, and
// `severity` what an auditor makes of it: `error` (the document contradicts
// itself beyond rounding), `warning` (rounding drift, a project no table
// names, a cell that could not be read) or `note` (a cell the importer
// repaired).

import FiscalData
import Foundation

struct Reconciler {
    let dataset: Dataset
    let statements: [FiscalData.Statement]

    static let tolerance = Money.roundingTolerance

    static let columns = [
        Column(name: "kind", type: .text), Column(name: "severity", type: .text), Column(name: "status", type: .text),
        Column(name: "unit", type: .text), Column(name: "year", type: .int),
        Column(name: "phase", type: .enumerated(.phase)), Column(name: "measure", type: .enumerated(.measure)),
        Column(name: "subject", type: .text), Column(name: "stated", type: .money), Column(name: "other", type: .money),
        Column(name: "diff", type: .money), Column(name: "tolerance", type: .money),
        Column(name: "place", type: .text), Column(name: "other_place", type: .text),
    ]

    func table() -> Table {
        let report = importReport()
        let unread = partlyReadTables(report)
        var rows: [[Value]] = []
        let groups = Dictionary(grouping: statements.indices) { i -> String in
            let s = statements[i]
            return "\(s.unit)\u{1}\(s.year)\u{1}\(s.phase.rawValue)\u{1}\(s.measure.rawValue)"
        }
        for key in groups.keys.sorted() {
            let idx = groups[key]!
            rows += totals(idx) + rowFormula(idx, skipping: unread) + subtotals(idx) + restated(idx) + projects(idx)
        }
        rows += importFindings(report)
        rows = rows.map { r in
            var r = r
            r.insert(.text(Self.severity(of: r[1].description)), at: 1)
            return r
        }
        return Table(columns: Reconciler.columns, rows: rows, valueColumn: 10)
    }

    /// The severity of a finding of this status.
    static func severity(of status: String) -> String {
        switch status {
        case "mismatch": return "error"
        case "repaired", "variant": return "note"
        default: return "warning"
        }
    }

    private func place(_ s: FiscalData.Statement) -> String { "\(s.doc):\(s.line) \(s.table)" }

    /// What a statement is about: its classifying fields, as text.
    private func subject(_ s: FiscalData.Statement) -> String {
        var parts: [String] = []
        if let f = s.function { parts.append("func \(f)" + (dataset.catalog.name(of: f).map { " \($0)" } ?? "")) }
        if let e = s.econDept { parts.append("econ \(e)") }
        if let e = s.econGov { parts.append("econ_gov \(e)") }
        if let n = s.nature { parts.append(n.rawValue) }
        if let f = s.fund { parts.append(f.rawValue) }
        if let c = s.cost { parts.append(c.rawValue) }
        if let p = s.project { parts.append("project \(p)") }
        if let c = s.category { parts.append(c) }
        return parts.isEmpty ? "total" : parts.joined(separator: ", ")
    }

    /// `s` against `other`, nil when they agree; `status` says whether the difference is rounding.
    private func finding(_ kind: String, _ s: FiscalData.Statement, subject: String, other: Money,
                         otherPlace: String) -> [Value]? {
        guard let diff = try? s.amount.subtracting(other), !diff.isZero else { return nil }
        let status = diff.units.magnitude <= Reconciler.tolerance.units.magnitude ? "rounding" : "mismatch"
        return row(kind, status, s, subject: subject, other: .money(other), diff: .money(diff), otherPlace: .text(otherPlace))
    }

    /// One finding in the columns of `checks`.
    private func row(_ kind: String, _ status: String, _ s: FiscalData.Statement, subject: String,
                     other: Value, diff: Value, otherPlace: Value) -> [Value] {
        [.text(kind), .text(status), .text(s.unit), .int(s.year), .text(s.phase.rawValue), .text(s.measure.rawValue),
         .text(subject), .money(s.amount), other, diff, .money(Reconciler.tolerance), .text(place(s)), otherPlace]
    }

    /// Where a set of rows of one document is: "doc:first–last what".
    private func span(_ rows: [Int], _ what: String) -> String {
        let lines = rows.map { statements[$0].line }
        return "\(statements[rows[0]].doc):\(lines.min()!)–\(lines.max()!) \(what)"
    }

    /// A classified or unclassified total row against its table's leaves carrying the same values.
    private func totals(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        for rows in byTable(idx) {
            let leaves = rows.filter { statements[$0].level == .leaf && statements[$0].derived == nil }
            guard !leaves.isEmpty else { continue }
            for t in rows where statements[t].level == .total && statements[t].derived == nil {
                let s = statements[t]
                let matching = leaves.filter { matches(statements[$0], s) }
                guard !matching.isEmpty, let sum = try? Money.sum(matching.map { statements[$0].amount }) else { continue }
                // Prose names a few of a total's parts (其中…, 主要用于…): rows of a sentence adding to less than
                // its total, beyond rounding, are a partial list, not a contradiction; adding to more is one.
                if s.isProse && s.amount.units - sum.units > Self.tolerance.units { continue }
                if let f = finding("total", s, subject: subject(s) + " against its \(matching.count) rows", other: sum,
                                   otherPlace: span(matching, "sum of rows")) { out.append(f) }
            }
        }
        return out
    }

    /// The row formula of a table: in each printed row, the 合计 cell (a row total of no nature or category)
    /// against the sum of the row's 基本 and 项目 cells of the same classification. A row with other figures
    /// beside them (上缴上级支出, 经营支出 …: a category; a column of no known meaning) is left alone, as is a
    /// row where nature is not split.
    private func rowFormula(_ idx: [Int], skipping partlyRead: Set<String>) -> [[Value]] {
        var out: [[Value]] = []
        for rows in byTable(idx) where !statements[rows[0]].isProse {
            // A table with cells the importer could not read may miss a part of any row (江苏's 单位预留机动经费).
            if partlyRead.contains(statements[rows[0]].doc + "\u{1}" + statements[rows[0]].table) { continue }
            for line in Dictionary(grouping: rows, by: { statements[$0].line }).values {
                guard !line.contains(where: { statements[$0].category != nil && !statements[$0].amount.isZero }) else { continue }
                // The row's 合计: a row total (not a leaf column), of no nature, cost or category.
                for t in line where statements[t].nature == nil && statements[t].derived == nil && statements[t].cost == nil
                    && statements[t].category == nil && statements[t].level != .leaf {
                    let s = statements[t]
                    func same(_ x: FiscalData.Statement) -> Bool {
                        x.cost == nil && x.derived == nil && x.function == s.function && x.econDept == s.econDept
                            && x.econGov == s.econGov && x.fund == s.fund && x.project == s.project
                    }
                    let parts = line.filter { statements[$0].nature != nil && same(statements[$0]) }
                    // Another figure of no nature beside them (江苏's 单位预留机动经费): the row holds more than 基本 + 项目.
                    let others = line.filter { $0 != t && statements[$0].nature == nil && !statements[$0].amount.isZero && same(statements[$0]) }
                    guard others.isEmpty, Set(parts.compactMap { statements[$0].nature }).count == 2,
                          let sum = try? Money.sum(parts.map { statements[$0].amount }) else { continue }
                    if let f = finding("row", s, subject: subject(s) + ": 合计 against 基本 + 项目 of its row", other: sum,
                                       otherPlace: span(parts, "基本 + 项目")) { out.append(f) }
                }
            }
        }
        return out.sorted { ($0[11].description, $0[6].description) < ($1[11].description, $1[6].description) }
    }

    /// A 类 or 款 row against the rows directly or indirectly under it in the same table.
    private func subtotals(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        let tables = byTable(idx)
        for rows in tables {
            for t in rows where statements[t].level == .subtotal {
                let s = statements[t]
                guard let code = s.function ?? s.econDept else { continue }
                // Its own table's rows; for a class total stated in prose with no items beside it, the
                // rows under it in the document's table (or prose section) that come nearest to it
                // (a project table holds only part of a class).
                var under = self.rows(under: s, code: code, in: rows)
                if under.isEmpty && s.isProse {
                    func gap(_ r: [Int]) -> UInt64 {
                        guard let sum = try? Money.sum(r.map { statements[$0].amount }) else { return .max }
                        return (sum.units - s.amount.units).magnitude
                    }
                    under = tables.filter { $0.first.map { statements[$0].doc == s.doc } ?? false }
                        .map { self.rows(under: s, code: code, in: $0) }.filter { !$0.isEmpty }
                        .min { gap($0) < gap($1) } ?? []
                }
                guard !under.isEmpty, let sum = try? Money.sum(under.map { statements[$0].amount }) else { continue }
                let place = statements[under[0]].table == s.table ? "sum of rows" : "sum of rows in \(statements[under[0]].table)"
                if let f = finding("subtotal", s, subject: subject(s) + " against the \(under.count) rows under it", other: sum,
                                   otherPlace: span(under, place)) { out.append(f) }
            }
        }
        return out
    }

    /// The leaf rows of `rows` whose code lies under `code` and which carry `s`'s other classifying values.
    private func rows(under s: FiscalData.Statement, code: Code, in rows: [Int]) -> [Int] {
        rows.filter { l in
            let leaf = statements[l]
            guard leaf.level == .leaf, leaf.derived == nil else { return false }
            let c = s.function != nil ? leaf.function : leaf.econDept
            return c.map { code.contains($0) && $0 != code } ?? false
                && matches(leaf, s, ignoring: s.function != nil ? .function : .econ)
        }
    }

    /// The rows of `idx` table by table (document, then table title), each in row order.
    private func byTable(_ idx: [Int]) -> [[Int]] {
        let grouped = Dictionary(grouping: idx) { "\(statements[$0].doc)\u{1}\(statements[$0].table)" }
        return grouped.keys.sorted().map { grouped[$0]! }
    }

    /// The same figure given twice with different amounts.
    private func restated(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        var first: [String: Int] = [:]
        var order: [String] = []
        var reported = Set<String>()
        func key(_ s: FiscalData.Statement) -> String {
            "\(s.function?.text ?? "")|\(s.econDept?.text ?? "")|\(s.econGov?.text ?? "")|\(s.nature?.rawValue ?? "")|"
                + "\(s.fund?.rawValue ?? "")|\(s.cost?.rawValue ?? "")|\(s.project ?? "")|\(s.category ?? "")"
        }
        let keys = idx.map { key(statements[$0]) }
        // A classification one table gives two different figures (items the catalogue cannot name, kept under
        // their class: 杭州's 气象事务 items under 220) names no single figure there: nothing to restate.
        func inTable(_ n: Int) -> String { statements[idx[n]].doc + "\u{1}" + statements[idx[n]].table + "\u{1}" + keys[n] }
        var amounts: [String: Set<Int64>] = [:]
        for n in idx.indices { amounts[inTable(n), default: []].insert(statements[idx[n]].amount.units) }
        for (n, i) in idx.enumerated() {
            let s = statements[i]
            let classified = s.function != nil || s.econDept != nil || s.nature != nil || s.category != nil || s.project != nil
            guard s.derived == nil, s.level == .total && !classified || classified && s.level != .total else { continue }
            let key = keys[n]
            guard s.isProse || amounts[inTable(n)]!.count == 1 else { continue }
            guard let f = first[key] else { first[key] = i; order.append(key); continue }
            let a = statements[f]
            guard a.amount != s.amount, a.table != s.table || a.doc != s.doc else { continue }
            let pair = "\(key)|\(s.amount.units)"
            guard reported.insert(pair).inserted else { continue }
            if let row = finding("restated", s, subject: subject(s), other: a.amount, otherPlace: place(a)) { out.append(row) }
        }
        return out
    }

    /// Each project's total against the sum of the coded rows naming the same project.
    private func projects(_ idx: [Int]) -> [[Value]] {
        let totals = idx.filter { let s = statements[$0]; return s.project != nil && s.function == nil && s.econDept == nil && s.derived == nil }
        let coded = idx.filter { let s = statements[$0]; return s.project != nil && s.level == .leaf && (s.function != nil || s.econDept != nil) }
        guard !totals.isEmpty, !coded.isEmpty else { return [] }
        let byProject = Dictionary(grouping: coded) { foldName(statements[$0].project!) }
        let named = Set(totals.map { foldName(statements[$0].project!) })
        var out: [[Value]] = []
        for t in totals {
            let s = statements[t]
            guard let under = byProject[foldName(s.project!)] else {
                // A name variant (区域指中心 here, 区城指中心 in the project table): a project the project table
                // names otherwise, no other total names, a few letters apart, with amounts that agree.
                if let v = variant(of: s, among: byProject, named: named) {
                    out.append(row("project", "variant", s, subject: "project \(s.project!): named \(statements[v.rows[0]].project!) in the project table",
                                   other: .money(v.sum), diff: .money((try? s.amount.subtracting(v.sum)) ?? .zero),
                                   otherPlace: .text(span(v.rows, statements[v.rows[0]].table))))
                    continue
                }
                out.append(row("project", "unmatched", s, subject: "project \(s.project!): no row of the project table names it",
                               other: .null, diff: .null, otherPlace: .null))
                continue
            }
            guard let sum = try? Money.sum(under.map { statements[$0].amount }) else { continue }
            if let f = finding("project", s, subject: "project \(s.project!) against its \(under.count) rows", other: sum,
                               otherPlace: span(under, statements[under[0]].table)) { out.append(f) }
        }
        return out
    }

    /// The project of `byProject` that `s` names with a few letters changed (at most 3 edits, in a name of 8 or
    /// more), which no total names as it is, and whose rows add up to `s` within the rounding tolerance.
    private func variant(of s: FiscalData.Statement, among byProject: [String: [Int]], named: Set<String>) -> (rows: [Int], sum: Money)? {
        let name = Array(foldName(s.project!))
        guard name.count >= 8 else { return nil }
        for (other, rows) in byProject.sorted(by: { $0.key < $1.key }) where !named.contains(other) {
            let o = Array(other)
            guard abs(o.count - name.count) <= 3, editDistance(name, o) <= 3,
                  let sum = try? Money.sum(rows.map { statements[$0].amount }),
                  let diff = try? s.amount.subtracting(sum), diff.units.magnitude <= Reconciler.tolerance.units.magnitude else { continue }
            return (rows, sum)
        }
        return nil
    }

    /// Whether leaf `l` carries every classifying value `t` has (except `ignoring`).
    private func matches(_ l: FiscalData.Statement, _ t: FiscalData.Statement, ignoring: CutField? = nil) -> Bool {
        (ignoring == .function || t.function == nil || t.function.map { f in l.function.map { f.contains($0) } ?? false }!)
            && (ignoring == .econ || t.econDept == nil || t.econDept.map { e in l.econDept.map { e.contains($0) } ?? false }!)
            && (t.nature == nil || l.nature == t.nature)
            && (t.fund == nil || l.fund == t.fund)
            && (t.cost == nil || l.cost == t.cost)
            && (t.project == nil || l.project == t.project)
            && (t.category == nil || l.category == t.category)
    }

    /// The lines of import-report.txt, when the dataset has one, each with the document whose section it is in.
    private func importReport() -> [(doc: String, text: Substring)] {
        guard let data = FileManager.default.contents(atPath: dataset.folder + "/import-report.txt"),
              let text = String(data: data, encoding: .utf8) else { return [] }
        var out: [(doc: String, text: Substring)] = [], doc = ""
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") { doc = String(line.prefix { $0 != ":" }); continue }
            out.append((doc, Substring(line.trimmed())))
        }
        return out
    }

    /// Tables (document and name) whose amount cells the importer did not all read, from the report's coverage
    /// lines ("table: line N: NAME: … (k not read: see below)").
    private func partlyReadTables(_ report: [(doc: String, text: Substring)]) -> Set<String> {
        var out = Set<String>()
        for (doc, t) in report {
            guard t.hasPrefix("table: line "), t.contains(" not read"),
                  let afterLine = t.firstIndex(of: ":").flatMap({ t[t.index(after: $0)...].firstIndex(of: ":") }) else { continue }
            let rest = t[t.index(afterLine, offsetBy: 2)...]
            guard let end = rest.range(of: ": ", options: .backwards, range: rest.startIndex..<(rest.range(of: " rows, ")?.lowerBound ?? rest.endIndex)) else { continue }
            out.insert(doc + "\u{1}" + rest[..<end.lowerBound])
        }
        return out
    }

    /// The importer's repairs and unreadable cells, from the report.
    private func importFindings(_ report: [(doc: String, text: Substring)]) -> [[Value]] {
        var out: [[Value]] = []
        for (doc, t) in report {
            for kind in ["repaired", "unreadable"] where t.hasPrefix(kind + ": ") {
                let rest = String(t.dropFirst(kind.count + 2))
                let lineNo = rest.hasPrefix("line ") ? String(rest.dropFirst(5).prefix { $0.isASCII && $0.isNumber }) : ""
                let record = dataset.documents.first { $0.doc == doc }
                out.append([.text("import"), .text(kind), record.map { .text($0.unit) } ?? .null,
                            record.map { .int($0.year) } ?? .null, record.map { .text($0.phase.rawValue) } ?? .null, .null,
                            .text(rest), .null, .null, .null, .null, .text("\(doc):\(lineNo)"), .null])
            }
        }
        return out
    }
}
