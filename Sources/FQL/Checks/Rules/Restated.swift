// Restated.swift — rule `restated`: the same figure (unit, year, phase, measure and classification) given
// in two tables, in prose and a table, or in two documents, with different amounts. Tolerance: 0.01 万元;
// a classification one table gives with two amounts restates nothing, and a 财政拨款 table's figure of no
// fund is not the same figure as one of all funds.

import FiscalData
import Foundation

extension Reconciler {
    /// The same figure given twice with different amounts.
    func restated(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        var first: [String: Int] = [:]
        var order: [String] = []
        var reported = Set<String>()
        // A figure of no fund in a 财政拨款 table (财政拨款收支总表's 合计) is the appropriations' only, never the same
        // figure as one of all funds (收支总表): a unit with 单位资金 prints the two apart. Prose keeps meeting
        // both: its 财政拨款 part larger than the whole (西城's 3,177.32 of basic against 3,117.81) is an error.
        func key(_ s: FiscalData.Statement) -> String {
            let scope = s.fund == nil && !s.isProse && (s.measure == .spending || s.measure == .income) && foldName(s.table).contains("财政拨款") ? "appropriations" : ""
            return "\(s.function?.text ?? "")|\(s.econDept?.text ?? "")|\(s.econGov?.text ?? "")|\(s.nature?.rawValue ?? "")|"
                + "\(s.fund?.rawValue ?? "")|\(s.cost?.rawValue ?? "")|\(s.project ?? "")|\(s.category ?? "")|\(scope)"
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
}
