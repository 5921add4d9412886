// Reconciler.swift — the checks stage: the reconciliation findings behind
// `checks` and `fql check` (data-model.md, "Checks"), read from the
// statements, the import report and the documents' text. Each rule is one
// file under Rules/, an extension of Reconciler that opens with what it checks
// and its tolerance:
//
//   total       a table's total row (合计, or the 基本/项目 totals) against the sum of its leaf rows
//   row         a row's 合计 against its 基本 + 项目 (rows with other parts, and tables with unread
//               cells, left alone)
//   subtotal    a 类/款 row against the sum of the rows under it in the same table (a class total
//               stated in prose: against the document's rows under it that come nearest)
//   restated    the same figure (same unit, year, phase, measure and classification) in two
//               tables, in prose and a table, or in two documents, disagreeing; the prose's
//               收入支出总计 against its 收支总表's 总计 (ProseTotals)
//   project     a project's total (项目总额 of a performance table) against the sum of its rows in
//               the project table; a project it names with a few letters changed, with amounts that
//               agree, is a `variant` (a note); one it does not name at all is `unmatched`
//   sangong     in a “三公” row, 合计 = 出国 + 车 + 接待 and 车 = 购置 + 运行; an economic line (30217 …)
//               no larger than its “三公” item
//   closure     a 收支总表: 收入总计 = 支出总计 = 本年合计 + 结转和结余
//   tables      a 部门决算 that publishes its tables without one of the nine of the template; a
//               table with no figures that does not say why
//   year        a heading dated with another year than the document's; in final accounts, a
//               year-end date (截至…12月31日) of another year
//   template    template words left in the text: 此处插入…, XX for a name, 增加（减少） with an amount
//   wording     决算数大于/小于/等于预算数 against the 年初预算 and 决算 figures before it
//   percent     增长/下降X%, 完成…X% and 占X% recomputed from the figures printed beside them; a
//               percentage of a base of 0
//   projects    a count of projects the prose gives (共涉及项目N个，资金X万元) against the projects its
//               figures name, and the amount against what they add up to
//   import      a cell the importer repaired or could not read (from import-report.txt)
//
// Every finding gives both figures, their difference, the tolerance applied
// ((n+1)·p/2 for a figure against the sum of n parts printed at precision p:
// 0.01 万元 for one figure against another) and the places of both; `status` says whether the
// difference is within the tolerance or a real mismatch, and `severity` what
// an auditor makes of it: `error` (the document contradicts itself beyond
// rounding, in figures, headings, wording or percentages), `warning` (rounding
// drift, a project no table names, a cell that could not be read, a missing
// or unexplained table, a template leftover) or `note` (a cell the importer
// repaired). One cause is one finding (onePerCause).

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
            rows += totals(idx) + rowFormula(idx, skipping: unread) + subtotals(idx) + restated(idx) + changes(idx) + projects(idx) + sangongRows(idx)
        }
        rows += sangongEconomic() + closure()
        rows += requiredTables(report)
        let texts = documentTexts()
        rows += headings(texts) + leftovers(texts) + wording(texts) + percentages(texts) + projectCounts(texts) + proseTotals(texts) + noneStated(texts)
        rows = Self.onePerCause(rows) + importFindings(report)
        rows = rows.map { r in
            var r = r
            r.insert(.text(Self.severity(of: r[1].description)), at: 1)
            return r
        }
        return Table(columns: Reconciler.columns, rows: rows, valueColumn: 10)
    }

    /// One finding per cause: findings of one kind and status, for one document, unit, year, phase and measure, with the
    /// same two figures (174.25 stated where its rows add to 174.24, in five tables) are one finding, the first,
    /// whose subject says how many more places give the same figures. Findings without figures are merged only
    /// when their subjects are the same too.
    static func onePerCause(_ rows: [[Value]]) -> [[Value]] {
        var first: [String: Int] = [:], more: [Int: [String]] = [:]
        var out: [[Value]] = []
        for r in rows {
            // kind, status, unit, year, phase, measure, subject, stated, other, diff, tolerance, place, other place
            let figures = r[7].isNull ? r[6].description : "\(r[7])|\(r[8])|\(r[9])"
            let doc = r[11].description.prefix { $0 != ":" }   // the place's document: causes stay per document
            let key = (r[0...5].map(\.description) + [figures, String(doc)]).joined(separator: "\u{1}")
            if let k = first[key] { more[k, default: []].append(r[11].description); continue }
            first[key] = out.count
            out.append(r)
        }
        for (k, places) in more {
            out[k][6] = .text(out[k][6].description + " (and \(places.count) more place\(places.count == 1 ? "" : "s") with the same figures)")
        }
        return out
    }

    /// The severity of a finding of this status.
    static func severity(of status: String) -> String {
        switch status {
        case "mismatch", "zero base": return "error"
        case "repaired", "variant": return "note"
        default: return "warning"
        }
    }

    func place(_ s: FiscalData.Statement) -> String { "\(s.doc):\(s.line) \(s.table)" }

    /// What a statement is about: its classifying fields, as text.
    func subject(_ s: FiscalData.Statement) -> String {
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
    func finding(_ kind: String, _ s: FiscalData.Statement, subject: String, other: Money,
                         otherPlace: String) -> [Value]? {
        guard let diff = try? s.amount.subtracting(other), !diff.isZero else { return nil }
        let status = Self.status(diff)
        return row(kind, status, s, subject: subject, other: .money(other), diff: .money(diff), otherPlace: .text(otherPlace))
    }

    /// `total` against the sum of `parts` under the tolerance model of the newer rules: n parts printed at
    /// precision p may differ by (n+1)·p/2 (p the coarsest precision among the figures: a figure printed at two precisions is compared at the coarser);
    /// nil when they agree.
    func sumFinding(_ kind: String, _ total: FiscalData.Statement, parts: [Int], what: String,
                    otherPlace: String = "sum of its parts") -> [Value]? {
        guard let sum = try? Money.sum(parts.map { statements[$0].amount }), let diff = try? total.amount.subtracting(sum), !diff.isZero else { return nil }
        let p = ([total.amount] + parts.map { statements[$0].amount }).map(Self.precision).max() ?? Self.tolerance.units
        let tolerance = Money(units: Int64(parts.count + 1) * p / 2)
        let status = Self.status(diff, within: tolerance)
        var r = row(kind, status, total, subject: what, other: .money(sum), diff: .money(diff), otherPlace: .text(span(parts, otherPlace)))
        r[10] = .money(tolerance)
        return r
    }

    /// A difference within `tolerance` is rounding; beyond it, a mismatch.
    static func status(_ diff: Money, within tolerance: Money = Reconciler.tolerance) -> String {
        diff.units.magnitude <= tolerance.units.magnitude ? "rounding" : "mismatch"
    }

    /// The precision a figure is printed at, in units: 0.01 万元 unless it has finer digits (元 converted).
    static func precision(_ m: Money) -> Int64 {
        let cent = Money.roundingTolerance.units
        return m.units % cent == 0 ? cent : 1
    }

    /// One finding in the columns of `checks`.
    func row(_ kind: String, _ status: String, _ s: FiscalData.Statement, subject: String,
                     other: Value, diff: Value, otherPlace: Value) -> [Value] {
        [.text(kind), .text(status), .text(s.unit), .int(s.year), .text(s.phase.rawValue), .text(s.measure.rawValue),
         .text(subject), .money(s.amount), other, diff, .money(Reconciler.tolerance), .text(place(s)), otherPlace]
    }

    /// Where a set of rows of one document is: "doc:first–last what".
    func span(_ rows: [Int], _ what: String) -> String {
        let lines = rows.map { statements[$0].line }
        return "\(statements[rows[0]].doc):\(lines.min()!)–\(lines.max()!) \(what)"
    }

    /// The leaf rows of `rows` whose code lies under `code` and which carry `s`'s other classifying values.
    func rows(under s: FiscalData.Statement, code: Code, in rows: [Int]) -> [Int] {
        rows.filter { l in
            let leaf = statements[l]
            guard leaf.level == .leaf, leaf.derived == nil else { return false }
            let c = s.function != nil ? leaf.function : leaf.econDept
            return c.map { code.contains($0) && $0 != code } ?? false
                && matches(leaf, s, ignoring: s.function != nil ? .function : .econ)
        }
    }

    /// The rows of `idx` table by table (document, then table title), each in row order.
    func byTable(_ idx: [Int]) -> [[Int]] {
        let grouped = Dictionary(grouping: idx) { "\(statements[$0].doc)\u{1}\(statements[$0].table)" }
        return grouped.keys.sorted().map { grouped[$0]! }
    }

    /// Whether leaf `l` carries every classifying value `t` has (except `ignoring`).
    func matches(_ l: FiscalData.Statement, _ t: FiscalData.Statement, ignoring: CutField? = nil) -> Bool {
        (ignoring == .function || t.function == nil || t.function.map { f in l.function.map { f.contains($0) } ?? false }!)
            && (ignoring == .econ || t.econDept == nil || t.econDept.map { e in l.econDept.map { e.contains($0) } ?? false }!)
            && (t.nature == nil || l.nature == t.nature)
            && (t.fund == nil || l.fund == t.fund)
            && (t.cost == nil || l.cost == t.cost)
            && (t.project == nil || l.project == t.project)
            && (t.category == nil || l.category == t.category)
    }
}
