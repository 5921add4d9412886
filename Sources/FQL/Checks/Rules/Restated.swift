// Restated.swift — rule `restated`: the same figure (unit, year, phase, measure and classification) given
// in two tables, in prose and a table, or in two documents, with different amounts. Tolerance: 0.01 万元;
// a classification one table gives with two amounts restates nothing, and a 财政拨款 table's (or 财政拨款
// section's) figure of no fund is not the same figure as one of all funds, but a part of it: larger, an error.

import FiscalData
import Foundation

extension Reconciler {
    /// The same figure given twice with different amounts.
    func restated(_ idx: [Int]) -> [[Value]] {
        var out: [[Value]] = []
        var first: [String: Int] = [:]
        var order: [String] = []
        var reported = Set<String>()
        // A figure of no fund in a 财政拨款 table (财政拨款收支总表's 合计), or in prose under a 财政拨款 heading (杭州's
        // （四）财政拨款收支预算情况的总体说明: 220 at 5,247.87), is the appropriations' only, never the same figure as
        // one of all funds (收支总表's 5,371.48): a unit with 单位资金 prints the two apart. The part larger than
        // the whole is an error (西城's 财政拨款 basic 3,177.32 against all funds' 3,117.81).
        let keys = idx.map { restatementKey(statements[$0]) }
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
        let appropriations = "|appropriations"
        for key in order where key.hasSuffix(appropriations) {
            guard let p = first[key], let w = first[String(key.dropLast(appropriations.count - 1))] else { continue }
            let (part, whole) = (statements[p], statements[w])
            guard let diff = try? part.amount.subtracting(whole.amount), diff.units > Self.tolerance.units else { continue }
            out.append(row("restated", "mismatch", part, subject: subject(part) + " of 财政拨款, against all funds' figure, which it is part of",
                           other: .money(whole.amount), diff: .money(diff), otherPlace: .text(place(whole))))
        }
        return out
    }

    /// What makes two statements of one group (unit, year, phase, measure) the same figure: their classifying
    /// fields, and whether a figure of no fund is the appropriations' (a 财政拨款 column's, or read under 财政拨款) or all funds'.
    func restatementKey(_ s: FiscalData.Statement) -> String {
        // A 财政拨款 column's figure (fund appropriation) is the appropriations' figure of no fund.
        let appropriation = s.fund == .appropriation
            || s.fund == nil && (s.measure == .spending || s.measure == .income) && foldName(s.table).contains("财政拨款")
        let scope = appropriation ? "appropriations" : ""
        return "\(s.function?.text ?? "")|\(s.econDept?.text ?? "")|\(s.econGov?.text ?? "")|\(s.nature?.rawValue ?? "")|"
            + "\(s.fund == .appropriation ? "" : s.fund?.rawValue ?? "")|\(s.cost?.rawValue ?? "")|\(s.project ?? "")|\(s.category ?? "")|\(scope)"
    }
}
