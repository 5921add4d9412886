// RowFormula.swift — rule `row`: in each printed row of a spending table, the 合计 cell against
// 基本 + 项目 of the same classification. Tolerance: (n+1)·p/2 for n parts printed at precision p. Rows with other parts beside them
// (上缴上级支出, 经营支出, a column of no known meaning) and tables with unread cells are left alone.

import FiscalData
import Foundation

extension Reconciler {
    /// The row formula of a table: in each printed row, the 合计 cell (a row total of no nature or category)
    /// against the sum of the row's 基本 and 项目 cells of the same classification. A row with other figures
    /// beside them (上缴上级支出, 经营支出 …: a category; a column of no known meaning) is left alone, as is a
    /// row where nature is not split.
    func rowFormula(_ idx: [Int], skipping partlyRead: Set<String>) -> [[Value]] {
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
                    guard others.isEmpty, Set(parts.compactMap { statements[$0].nature }).count == 2 else { continue }
                    if let f = sumFinding("row", s, parts: parts, what: subject(s) + ": 合计 against 基本 + 项目 of its row",
                                          otherPlace: "基本 + 项目") { out.append(f) }
                }
            }
        }
        return out.sorted { ($0[11].description, $0[6].description) < ($1[11].description, $1[6].description) }
    }
}
