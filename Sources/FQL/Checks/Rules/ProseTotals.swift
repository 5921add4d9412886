// ProseTotals.swift — the grand totals the prose states: "2024年度收入支出总计2995.39万元" (收、支总计, 收支总计;
// 均为 or 为 before the amount), and "财政拨款收入支出总计" for the appropriations. Rule `restated`: against the 总计
// of the document's 收支总表 (收入支出决算总表, 收支预算总表 …), or of its 财政拨款 收支总表. Rule `closure`, in a
// document with no such table: a grand total less than the year's income it includes (本年收入合计, or
// 财政拨款收入 for the appropriations' total), as the prose states it. A stated change (收入支出总计减少56.95万元)
// is no total. Tolerance: one figure against another, each printed at 0.01 万元: 0.01.

import FiscalData
import Foundation

extension Reconciler {
    /// The words that name the grand total, folded (foldName keeps 、).
    private static let grandTotalWords = ["收入支出总计", "收、支总计", "收支总计"]

    func proseTotals(_ texts: [DocumentText]) -> [[Value]] {
        // Each document's summary-table 总计 lines of all funds: (is it a 财政拨款 table, the statement).
        var totals: [String: [(appropriations: Bool, index: Int)]] = [:]
        for (i, s) in statements.enumerated() where !s.isProse && s.derived == nil && s.level == .total && s.fund == nil
            && (s.measure == .spending || s.measure == .income)
            && (s.table.contains("收支") || s.table.contains("收入支出")) && s.table.hasSuffix("总表")
            && foldName(s.category ?? "").hasSuffix("总计") {
            totals[s.doc, default: []].append((s.table.contains("财政拨款"), i))
        }
        var out: [[Value]] = []
        for text in texts {
            let record = text.record, lines = text.lines
            // The prose's figures: (line, the figure, of the appropriations only).
            var grand: [(line: Int, money: Money, appropriations: Bool)] = []
            var income: [(line: Int, money: Money, appropriations: Bool)] = []
            for (k, line) in lines.enumerated() {
                // An amount may run on into the next line; the words begin on this one.
                let joined = k + 1 < lines.count ? line + lines[k + 1] : line
                let own = line.utf8.count
                for words in Self.grandTotalWords {
                    for a in Self.amounts(after: words, in: joined, leads: ["均为", "为", "是"]) where a.at < own {
                        grand.append((k + 1, a.money, Self.endsWith(joined, at: a.at, "财政拨款")))
                    }
                }
                for a in Self.amounts(after: "本年收入合计", in: joined, leads: ["为"]) where a.at < own { income.append((k + 1, a.money, false)) }
                for a in Self.amounts(after: "财政拨款收入", in: joined, leads: ["为"]) where a.at < own
                    && !["一般公共预算", "政府性基金预算", "国有资本经营预算"].contains(where: { Self.endsWith(joined, at: a.at, $0) }) {
                    income.append((k + 1, a.money, true))
                }
            }
            func finding(_ kind: String, _ g: (line: Int, money: Money, appropriations: Bool), _ subject: String,
                         other: Money, otherPlace: String, measure: Measure) -> [Value]? {
                guard let diff = try? g.money.subtracting(other), !diff.isZero else { return nil }
                return [.text(kind), .text(Self.status(diff)), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .text(measure.rawValue),
                        .text(subject), .money(g.money), .money(other), .money(diff), .money(Self.tolerance),
                        .text("\(record.doc):\(g.line)"), .text(otherPlace)]
            }
            let name = { (g: (line: Int, money: Money, appropriations: Bool)) in (g.appropriations ? "财政拨款" : "") + "收入支出总计" }
            if let tables = totals[record.doc] {
                for g in grand {
                    let candidates = tables.filter { $0.appropriations == g.appropriations }.map { statements[$0.index] }
                    guard let nearest = candidates.min(by: { a, b in
                        (try? a.amount.subtracting(g.money).units.magnitude) ?? .max < (try? b.amount.subtracting(g.money).units.magnitude) ?? .max
                    }) else { continue }
                    if let f = finding("restated", g, "\(name(g)) in the prose against 总计 of \(nearest.table)",
                                       other: nearest.amount, otherPlace: place(nearest), measure: nearest.measure) { out.append(f) }
                }
            } else {
                for g in grand {
                    for part in income where part.appropriations == g.appropriations && part.money > g.money {
                        let partName = g.appropriations ? "财政拨款收入" : "本年收入合计"
                        if let f = finding("closure", g, "\(name(g)) in the prose is less than the \(partName) it includes",
                                           other: part.money, otherPlace: "\(record.doc):\(part.line) \(partName)", measure: .income) { out.append(f) }
                    }
                }
            }
        }
        return out
    }

    /// Whether `text` has `word` just before the byte offset `at`.
    private static func endsWith(_ text: String, at: Int, _ word: String) -> Bool {
        let bytes = Array(text.utf8), w = Array(word.utf8)
        return at >= w.count && bytes[(at - w.count)..<at].elementsEqual(w)
    }
}
