// RequiredTables.swift — rule `tables` (family 9 of the checks): a 部门决算 that publishes its tables
// publishes the nine of the national template (收入支出决算总表 … 财政拨款“三公”经费支出决算表); each one its
// import report does not list is a `missing` finding (a warning). Titles are compared folded, after a
// 公开NN表 caption, a year (2024年度) and the unit's name. A document with fewer than three of them (a 情况
// 说明 alone) is left alone. A table printed with no figures that does not say why (本表无数据, 没有…, 此表为空:
// the import report says "no figures in the table") is `unexplained` (a warning), in any document.

import FiscalData
import Foundation

extension Reconciler {
    /// The nine tables of a 部门决算, each with the titles it goes by.
    static let finalTables: [[String]] = [
        ["收入支出决算总表"], ["收入决算表"], ["支出决算表"], ["财政拨款收入支出决算总表"],
        ["一般公共预算财政拨款支出决算表"],
        ["一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表"],
        ["政府性基金预算财政拨款收入支出决算表"],
        ["国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"],
        ["财政拨款\"三公\"经费支出决算表", "一般公共预算财政拨款\"三公\"经费支出决算表"],
    ]

    func requiredTables(_ report: [(doc: String, text: Substring)]) -> [[Value]] {
        var out: [[Value]] = []
        for record in dataset.documents where record.phase == .final {
            let titles = report.filter { $0.doc == record.doc }.compactMap { tableTitle($0.text, unit: record.unit) }
            let present = Self.finalTables.map { names in names.contains { titles.contains($0) } }
            guard present.filter({ $0 }).count >= 3 else { continue }
            for (names, found) in zip(Self.finalTables, present) where !found {
                out.append([.text("tables"), .text("missing"), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .null,
                            .text("\(names[0]): one of the nine tables of a 部门决算, not in the document"),
                            .null, .null, .null, .null, .text("\(record.doc):"), .null])
            }
        }
        for (doc, t) in report where t.hasSuffix("— no figures in the table") {
            guard let record = dataset.documents.first(where: { $0.doc == doc }), let (line, _) = Self.coverageLine(t),
                  let title = tableTitle(t, unit: "") else { continue }
            out.append([.text("tables"), .text("unexplained"), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .null,
                        .text("\(title): a table with no figures that does not say why (本表无数据, 没有…)"),
                        .null, .null, .null, .null, .text("\(doc):\(line)"), .null])
        }
        return out
    }

    /// The bare title of a report line "table: line N: 公开03表 2024年度支出决算表: …", folded; nil for others.
    private func tableTitle(_ t: Substring, unit: String) -> String? {
        guard let (_, name) = Self.coverageLine(t) else { return nil }
        var title = Substring(foldName(String(name)))
        if title.hasPrefix("公开") || title.hasPrefix("预算"), let k = title.firstIndex(of: "表"), title.distance(from: title.startIndex, to: k) <= 4 {
            title = title[title.index(after: k)...]
        }
        let digits = title.prefix { $0.isASCII && $0.isNumber }
        if digits.count == 4 {
            title = title.dropFirst(4)
            if title.hasPrefix("年度") { title = title.dropFirst(2) } else if title.hasPrefix("年") { title = title.dropFirst() }
        }
        let folded = foldName(unit)
        if title.hasPrefix(folded) { title = title.dropFirst(folded.count) }
        return String(title)
    }
}
