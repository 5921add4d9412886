// Closure.swift — rule `closure` (family 3 of the checks): a 收支总表 (收入支出决算总表, 财政拨款收入支出
// 决算总表, 收支预算总表 …) closes: 收入总计 = 支出总计; 收入总计 = 本年收入合计 + the 结转/结余 lines of the
// income side; 支出总计 = 本年支出合计 + 年末结转和结余 (+ 结余分配). In a 财政拨款 table, each fund's column
// (一般公共预算, 政府性基金, 国有资本经营) closes too: its 总计 = its 本年支出合计 + its 年末结转和结余, and
// 年初结转 + 收入 = 支出 + 年末结转: the column's 总计 against the income lines of that fund (本年 and 年初).
// Each sum is checked only where the table prints each of its terms once. Tolerance: (n+1)·p/2 for n figures
// printed at precision p.

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
            // The table's own line, not a fund column's (a 财政拨款 table prints 总计 once per column as well).
            func one(_ measure: Measure, fund: Fund? = nil, _ p: (String) -> Bool) -> Int? {
                var found = rows.filter { statements[$0].measure == measure && statements[$0].level != .leaf && p(foldName(statements[$0].category ?? "")) }
                if fund != nil || found.count > 1 { found.removeAll { statements[$0].fund != fund } }
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
            // The table's own column where a fund's column prints the same line again.
            let keptAll = rows.filter { let s = statements[$0]; return s.measure == .balance
                || s.measure == .spending && ["结余分配", "年末结转"].contains { foldName(s.category ?? "").contains($0) } }
            let keptPlain = keptAll.filter { statements[$0].fund == nil }
            let kept = keptPlain.isEmpty ? keptAll : keptPlain
            if let g = grandOut, let y = yearOut, let f = sumFinding("closure", statements[g], parts: [y] + kept,
                                                                         what: "支出总计 against 本年支出合计 + 年末结转和结余") {
                out.append(f)
            }
            guard statements[rows[0]].table.contains("财政拨款") else { continue }
            for fund in [Fund.general, .govfund, .soe] {
                let name = Self.fundColumn[fund]!
                let total = one(.spending, fund: fund) { $0.hasSuffix("总计") }
                let year = one(.spending, fund: fund) { $0 == "本年支出合计" }
                let kept = rows.filter { statements[$0].measure == .balance && statements[$0].level == .leaf && statements[$0].fund == fund }
                if let t = total, let y = year, let f = sumFinding("closure", statements[t], parts: [y] + kept,
                                                                   what: "\(name) column: 总计 against 本年支出合计 + 年末结转和结余") {
                    out.append(f)
                }
                // 年初结转 + 收入 = 支出 + 年末结转, as the column's 总计 against the fund's income lines.
                let income = rows.filter { let s = statements[$0]; return s.measure == .income && s.level == .leaf && s.fund == fund }
                if let t = total, !income.isEmpty, let f = sumFinding("closure", statements[t], parts: income,
                                                                     what: "\(name) column: 总计 against its income (本年收入 + 年初结转和结余)",
                                                                     otherPlace: "\(name) income lines") {
                    out.append(f)
                }
            }
        }
        return out
    }

    /// The column a fund heads in a 财政拨款 table, as the documents print it.
    static let fundColumn: [Fund: String] = [.general: "一般公共预算财政拨款", .govfund: "政府性基金预算财政拨款", .soe: "国有资本经营预算财政拨款"]
}
