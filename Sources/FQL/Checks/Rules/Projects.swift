// Projects.swift — rule `project`: a project's total (项目总额 of a performance table) against the sum of
// its rows in the project table. Tolerance: (n+1)·p/2 for n rows printed at precision p. A project named with a few letters changed and
// amounts that agree is a `variant` (a note); one no row names is `unmatched` (a warning).

import FiscalData
import Foundation

extension Reconciler {
    /// Each project's total against the sum of the coded rows naming the same project.
    func projects(_ idx: [Int]) -> [[Value]] {
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
            if let f = sumFinding("project", s, parts: under, what: "project \(s.project!) against its \(under.count) rows",
                                  otherPlace: statements[under[0]].table) { out.append(f) }
        }
        return out
    }

    /// The project of `byProject` that `s` names with a few letters changed (at most 3 edits, in a name of 8 or
    /// more), which no total names as it is, and whose rows add up to `s` within the rounding tolerance.
    func variant(of s: FiscalData.Statement, among byProject: [String: [Int]], named: Set<String>) -> (rows: [Int], sum: Money)? {
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
}
