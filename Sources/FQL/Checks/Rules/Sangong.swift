// Sangong.swift — rule `sangong` (families 6 and 7 of the checks): in each printed row of a “三公”经费 table
// (one phase and fund), 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费, and 公务用车购置及运行
// 维护费 = 购置费 + 运行维护费; and for each unit, year and phase, an economic line of the 一般公共预算 tables
// no larger than the “三公” item it is part of (30212 因公出国（境）费用, 30217 公务接待费, 30231 公务用车运行
// 维护费, 31013 公务用车购置). Tolerance: a sum of n printed figures may differ by (n+1)·p/2, p the finest
// precision its figures print at (0.01 万元, or 0.000001 万元 for figures printed in 元); an economic line is
// compared at 0.01 万元.

import FiscalData
import Foundation

extension Reconciler {
    /// The economic lines and the “三公” items they are part of.
    static let sangongLines: [(econ: String, item: String)] = [
        ("30212", SangongNames.abroad), ("30217", SangongNames.reception), ("30231", SangongNames.carRunning), ("31013", SangongNames.carPurchase),
    ]

    func sangongRows(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        let items = idx.filter { statements[$0].measure == .sangong && !statements[$0].isProse && statements[$0].derived == nil }
        // The sums within each printed row.
        let rows = Dictionary(grouping: items) { i -> String in
            let s = statements[i]
            return "\(s.doc)\u{1}\(s.table)\u{1}\(s.line)\u{1}\(s.phase.rawValue)\u{1}\(s.fund?.rawValue ?? "")"
        }
        for key in rows.keys.sorted() {
            let row = rows[key]!
            func find(_ name: String) -> Int? { row.first { statements[$0].category == name } }
            // An empty cell of the row is 0: the parts printed are the parts.
            let cars = find(SangongNames.cars)
            let carParts = [find(SangongNames.carPurchase), find(SangongNames.carRunning)].compactMap { $0 }
            if let c = cars, !carParts.isEmpty, let f = sumFinding("sangong", statements[c], parts: carParts, what: "公务用车购置及运行维护费 against 购置费 + 运行维护费") {
                out.append(f)
            }
            guard let all = find(SangongNames.all) else { continue }
            let parts = [find(SangongNames.abroad), find(SangongNames.reception)].compactMap { $0 } + (cars.map { [$0] } ?? carParts)
            guard !parts.isEmpty, let f = sumFinding("sangong", statements[all], parts: parts, what: "“三公”经费 against 因公出国（境）费 + 公务用车 + 公务接待费") else { continue }
            out.append(f)
        }
        return out
    }

    /// Each economic line against its “三公” item, per unit, year and phase.
    func sangongEconomic() -> [[Value]] {
        var out: [[Value]] = []
        let groups = Dictionary(grouping: statements.indices) { i -> String in
            let s = statements[i]
            return "\(s.unit)\u{1}\(s.year)\u{1}\(s.phase.rawValue)"
        }
        for key in groups.keys.sorted() {
            out += sangongEconomic(groups[key]!)
        }
        return out
    }

    private func sangongEconomic(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        let items = idx.filter { statements[$0].measure == .sangong && statements[$0].derived == nil }
        for (econ, item) in Self.sangongLines {
            let lines = idx.filter { let s = statements[$0]; return s.measure == .spending && s.level == .leaf && s.derived == nil
                && s.econDept?.text == econ && (s.fund == .general || s.table.contains("一般公共预算")) }
            let cap = items.filter { statements[$0].category == item && statements[$0].fund != .govfund && statements[$0].fund != .soe }
            guard !lines.isEmpty, !cap.isEmpty else { continue }
            // The largest of the tables' own figures for the line, against the item as stated (each table once).
            let byTable = Dictionary(grouping: lines) { statements[$0].doc + "\u{1}" + statements[$0].table }
            guard let (table, sum) = byTable.compactMap({ t, rows in (try? Money.sum(rows.map { statements[$0].amount })).map { (rows, $0) } })
                    .max(by: { $0.1.units < $1.1.units }),
                  let itemTotal = cap.map({ statements[$0] }).max(by: { $0.amount.units < $1.amount.units }) else { continue }
            guard sum.units - itemTotal.amount.units > Self.tolerance.units else { continue }
            out.append(row("sangong", "mismatch", itemTotal, subject: "\(item) against economic line \(econ), which is part of it",
                           other: .money(sum), diff: .money((try? itemTotal.amount.subtracting(sum)) ?? .zero),
                           otherPlace: .text(span(table, "econ \(econ)"))))
        }
        return out
    }
}
