// ProseTotals.swift — rule `restated` for the grand totals the prose states: "2024年度收入支出总计2995.39万元"
// (收、支总计, 收支总计; 均为 or 为 before the amount) against the 总计 of the document's 收支总表 (收入支出决算
// 总表, 收支预算总表 …), and "财政拨款收入支出总计" against the 总计 of its 财政拨款 收支总表. A stated change
// (收入支出总计减少56.95万元) is not a total. Documents without such a table are left alone. Tolerance: one
// figure against another, each printed at 0.01 万元: 0.01.

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
            guard let tables = totals[text.record.doc] else { continue }
            let lines = text.lines
            for (k, line) in lines.enumerated() {
                // An amount may run on into the next line; the words begin on this one.
                let joined = k + 1 < lines.count ? line + lines[k + 1] : line
                for words in Self.grandTotalWords {
                    var rest = Substring(joined)
                    while let r = rest.range(of: words), joined.utf8.distance(from: joined.startIndex, to: r.lowerBound) < line.utf8.count {
                        defer { rest = rest[r.upperBound...] }
                        let appropriations = joined[..<r.lowerBound].hasSuffix("财政拨款")
                        var after = rest[r.upperBound...]
                        for lead in ["均为", "为", "是"] where after.hasPrefix(lead) { after = after.dropFirst(lead.count); break }
                        let number = after.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
                        guard !number.isEmpty, after.dropFirst(number.count).hasPrefix("万元"),
                              let parsed = try? Money.parse(String(number)) else { continue }
                        let stated = parsed.money
                        let candidates = tables.filter { $0.appropriations == appropriations }.map { statements[$0.index] }
                        guard let nearest = candidates.min(by: { a, b in
                            (try? a.amount.subtracting(stated).units.magnitude) ?? .max < (try? b.amount.subtracting(stated).units.magnitude) ?? .max
                        }), let diff = try? stated.subtracting(nearest.amount), !diff.isZero else { continue }
                        let status = diff.units.magnitude <= Self.tolerance.units.magnitude ? "rounding" : "mismatch"
                        let record = text.record
                        out.append([.text("restated"), .text(status), .text(record.unit), .int(record.year), .text(record.phase.rawValue),
                                    .text(nearest.measure.rawValue),
                                    .text("\(appropriations ? "财政拨款" : "")收入支出总计 in the prose against 总计 of \(nearest.table)"),
                                    .money(stated), .money(nearest.amount), .money(diff), .money(Self.tolerance),
                                    .text("\(record.doc):\(k + 1)"), .text(place(nearest))])
                    }
                }
            }
        }
        return out
    }
}
