// Totals.swift — rule `total`: a table's total row (合计, or the 基本/项目 totals, a prose total)
// against the sum of its leaf rows with the same classifying values. Tolerance: (n+1)·p/2 for n rows printed
// at precision p;
// prose that names fewer parts than its total (其中…, 主要用于…) is a partial list, not a finding.

import FiscalData
import Foundation

extension Reconciler {
    /// A classified or unclassified total row against its table's leaves carrying the same values.
    func totals(_ idx: [Int]) -> [[Value]] {
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
                if let f = sumFinding("total", s, parts: matching, what: subject(s) + " against its \(matching.count) rows",
                                      otherPlace: "sum of rows") { out.append(f) }
            }
        }
        return out
    }
}
