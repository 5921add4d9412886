// Closure.swift — rule `closure` (family 3 of the checks): a 收支总表 (收入支出决算总表, 财政拨款收入支出
// 决算总表, 收支预算总表 …) closes: 收入总计 = 支出总计; 收入总计 = 本年收入合计 + the 结转/结余 lines of the
// income side; 支出总计 = 本年支出合计 + 年末结转和结余 (+ 结余分配). Each sum is checked only where the table
// prints each of its terms once. Tolerance: (n+1)·p/2 for n figures printed at precision p.

import FiscalData
import Foundation

extension Reconciler {
    func closure() -> [[Value]] {
        var out: [[Value]] = []
        let summary = statements.indices.filter { i in
            let s = statements[i]
            return !s.isProse && s.derived == nil && (s.table.contains("收支") || s.table.contains("收入支出")) && s.table.hasSuffix("总表")
        }
        let tables = Dictionary(grouping: summary) { statements[$0].doc + "\u{1}" + statements[$0].table + "\u{1}" + statements[$0].phase.rawValue }
        for key in tables.keys.sorted() {
            let rows = tables[key]!
            func one(_ measure: Measure, _ p: (String) -> Bool) -> Int? {
                let found = rows.filter { statements[$0].measure == measure && statements[$0].level != .leaf && p(foldName(statements[$0].category ?? "")) }
                return found.count == 1 ? found[0] : nil
            }
            let grandIn = one(.income) { $0.hasSuffix("总计") }, grandOut = one(.spending) { $0.hasSuffix("总计") }
            let yearIn = one(.income) { $0 == "本年收入合计" }, yearOut = one(.spending) { $0 == "本年支出合计" }
            if let a = grandIn, let b = grandOut, let f = sumFinding("closure", statements[a], parts: [b], what: "收入总计 against 支出总计") {
                out.append(f)
            }
            // The lines below 本年收入合计: 年初结转和结余, 上年结转, 使用非财政拨款结余 …
            let carried = rows.filter { let s = statements[$0]; return s.measure == .income && s.level == .leaf
                && (s.fund == .carryover || ["结转", "结余"].contains { foldName(s.category ?? "").contains($0) }) }
            if let g = grandIn, let y = yearIn, let f = sumFinding("closure", statements[g], parts: [y] + carried,
                                                                       what: "收入总计 against 本年收入合计 + 结转和结余") {
                out.append(f)
            }
            let kept = rows.filter { let s = statements[$0]; return s.measure == .balance
                || s.measure == .spending && ["结余分配", "年末结转"].contains { foldName(s.category ?? "").contains($0) } }
            if let g = grandOut, let y = yearOut, let f = sumFinding("closure", statements[g], parts: [y] + kept,
                                                                         what: "支出总计 against 本年支出合计 + 年末结转和结余") {
                out.append(f)
            }
        }
        return out
    }
}
