// NoneStated.swift — rule `none`: the text says a fund has no money (本部门2024年没有使用政府性基金预算拨款安排
// 的支出; 无国有资本经营预算财政拨款支出; 本年度未安排政府性基金预算财政拨款收支; 本单位无政府性基金预算支出、
// 国有资本经营预算支出…) while the same document gives an amount other than 0 of that fund, in a table or
// elsewhere. Template instructions (无…收入支出的，仍保留该表格式) and a narrower scope (…“三公”经费相关支出)
// are no such statement. One finding per document and fund, against its largest figure. Exact: no tolerance.

import FiscalData

extension Reconciler {
    /// The funds a sentence can say are none, by the words that name them.
    private static let fundWords: [(fund: Fund, word: String)] = [(.govfund, "政府性基金"), (.soe, "国有资本经营")]
    /// The words that say there is none, right before the fund's name (a word or two between: 没有使用…).
    private static let noneWords = ["没有使用", "未安排", "没有", "无"]

    func noneStated(_ texts: [DocumentText]) -> [[Value]] {
        // Per document and fund: its largest stated figure other than 0.
        var largest: [String: Int] = [:]
        for (i, s) in statements.enumerated() where s.derived == nil && !s.amount.isZero && (s.measure == .spending || s.measure == .income) {
            guard let f = s.fund, f == .govfund || f == .soe else { continue }
            let k = s.doc + "|" + f.rawValue
            if let j = largest[k], statements[j].amount.units.magnitude >= s.amount.units.magnitude { continue }
            largest[k] = i
        }
        guard !largest.isEmpty else { return [] }
        let docs = Set(largest.values.map { statements[$0].doc })
        var out: [[Value]] = []
        // Only a document with such a figure can contradict a sentence saying there is none.
        for text in texts where docs.contains(text.record.doc) {
            let record = text.record, lines = text.lines
            var said = Set<Fund>()
            for (k, line) in lines.enumerated() {
                // A sentence may run on into the next line; it begins on this one.
                let joined = Array(k + 1 < lines.count ? line + lines[k + 1] : line)
                let own = line.count
                for start in 0..<min(own, joined.count) {
                    guard let none = Self.noneWords.first(where: { joined[start...].starts(with: $0) }) else { continue }
                    // The clause the word opens: up to the next comma or stop.
                    let rest = joined[(start + none.count)...]
                    let clause = String(rest.prefix { !"，,。；;：:".contains($0) })
                    guard !clause.hasSuffix("的") || !String(rest.dropFirst(clause.count).prefix(4)).contains("保留"),
                          !clause.contains("三公") else { continue }
                    for (fund, word) in Self.fundWords where !said.contains(fund) {
                        // The fund's name within the first few characters (没有使用政府性基金…, 无政府性基金…), or listed
                        // after another fund (无政府性基金预算支出、国有资本经营预算支出).
                        guard let at = clause.range(of: word), clause.distance(from: clause.startIndex, to: at.lowerBound) <= 2
                                || clause[..<at.lowerBound].hasSuffix("、") else { continue }
                        said.insert(fund)
                        guard let i = largest[record.doc + "|" + fund.rawValue] else { continue }
                        let s = statements[i]
                        let words = String(joined[start..<min(joined.count, start + none.count + clause.count)])
                        out.append([.text("none"), .text("mismatch"), .text(record.unit), .int(record.year), .text(record.phase.rawValue),
                                    .text(s.measure.rawValue),
                                    .text("the text says there is no \(word) money (\(words)), but the document gives \(s.amount.format(grouping: true, decimals: max(2, s.amount.decimalsNeeded))) 万元 of it"),
                                    .money(.zero), .money(s.amount), (try? Money.zero.subtracting(s.amount)).map(Value.money) ?? .null, .money(.zero),
                                    .text("\(record.doc):\(k + 1)"), .text(place(s))])
                    }
                }
            }
        }
        return out
    }
}
