// Subtotals.swift — rule `subtotal`: a 类 or 款 row against the rows under it in the same table (a class
// total stated in prose: against the document's rows under it that come nearest). Tolerance: (n+1)·p/2 for n
// rows printed at precision p.

import FiscalData
import Foundation

extension Reconciler {
    /// A 类 or 款 row against the rows directly or indirectly under it in the same table.
    func subtotals(_ idx: [Int]) -> [[Value]] {
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
                guard !under.isEmpty else { continue }
                let place = statements[under[0]].table == s.table ? "sum of rows" : "sum of rows in \(statements[under[0]].table)"
                if let f = sumFinding("subtotal", s, parts: under, what: subject(s) + " against the \(under.count) rows under it",
                                      otherPlace: place) { out.append(f) }
            }
        }
        return out
    }
}
