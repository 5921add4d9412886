// ProjectCounts.swift — rule `projects`: what the prose says of the projects as a whole ("共涉及项目2个，资金103.80
// 万元", "共计3个一级项目，涉及资金2,131.61万元", "项目共25个，涉及项目预算资金…") against the projects the
// document's statements name in its phase: the count, and, where the counts agree, the amount against what
// those projects add up to (each project's subtotal row where its table has one, else its rows). A count that
// differs is a `count` warning (a count may leave some projects out, those without targets); an amount that
// differs beyond rounding when the counts agree is a `mismatch` (an error). Tolerance: (n+1)·p/2 for n
// projects printed at precision p. Only where the document names projects at all.

import FiscalData
import Foundation

extension Reconciler {
    func projectCounts(_ texts: [DocumentText]) -> [[Value]] {
        // The wordings of a count of projects, the count (group 1) right after them or before 个; and the amount
        // said with it ("资金103.80万元", "涉及项目预算资金11381.60万元"), in the same sentence.
        let countWordings = [
            try! Regex("共涉及项目_*([0-9]+)_*个"), try! Regex("项目共_*([0-9]+)_*个"),
            try! Regex("共(?:涉及|计)?_*([0-9]+)_*个(?:一级)?项目"),
        ]
        let amountWording = try! Regex("(?:资金|金额|总额)_*([0-9][0-9,]*(?:\\.[0-9]+)?)万元")
        var out: [[Value]] = []
        for text in texts {
            let record = text.record
            let named = statements.indices.filter { i in
                let s = statements[i]
                return s.doc == record.doc && s.project != nil && s.phase == record.phase && s.measure == .spending && s.derived == nil
            }
            guard !named.isEmpty else { continue }
            // Each project's figure: its subtotal rows in the first table naming it, else that table's rows.
            var projects: [String: [Int]] = [:]
            for i in named {
                let key = foldName(statements[i].project!)
                if let first = projects[key]?.first, statements[first].table != statements[i].table { continue }
                projects[key, default: []].append(i)
            }
            var figures: [Int] = []
            for rows in projects.values {
                let subtotals = rows.filter { statements[$0].level == .subtotal }
                figures += subtotals.isEmpty ? rows.filter { statements[$0].level == .leaf } : subtotals
            }
            guard !figures.isEmpty else { continue }
            figures.sort()
            for (k, line) in text.lines.enumerated() {
                // A sentence may go on to the next line (a PDF's line break: 涉及资金 2,131.61 / 万元).
                let joined = line + (k + 1 < text.lines.count ? text.lines[k + 1] : "")
                guard let count = countWordings.lazy.compactMap({ try? $0.firstMatch(in: line) }).first,
                      let n = count.output[1].substring.flatMap({ Int($0) }) else { continue }
                let place = "\(record.doc):\(k + 1)"
                var finding: [Value] = [.text("projects"), .null, .text(record.unit), .int(record.year), .text(record.phase.rawValue),
                                        .text(Measure.spending.rawValue), .null, .null, .null, .null, .null, .text(place),
                                        .text(span(figures, "the projects' rows"))]
                guard n == projects.count else {
                    finding[1] = .text("count")
                    finding[6] = .text("says \(n) projects, the document's \(record.phase.rawValue) figures name \(projects.count)")
                    out.append(finding)
                    continue
                }
                let sentence = joined[count.range.upperBound...].prefix { $0 != "。" && $0 != ";" }
                guard let said = try? amountWording.firstMatch(in: String(sentence)),
                      let digits = said.output[1].substring, let parsed = try? Money.parse(String(digits)), let stated = Optional(parsed.money),
                      let sum = try? Money.sum(figures.map { statements[$0].amount }), let diff = try? stated.subtracting(sum),
                      !diff.isZero else { continue }
                let p = ([stated] + figures.map { statements[$0].amount }).map(Self.precision).max() ?? Self.tolerance.units
                let tolerance = Money(units: Int64(figures.count + 1) * p / 2)
                finding[1] = .text(Self.status(diff, within: tolerance))
                finding[6] = .text("\(n) projects of \(digits) 万元, against what they add up to")
                (finding[7], finding[8], finding[9], finding[10]) = (.money(stated), .money(sum), .money(diff), .money(tolerance))
                out.append(finding)
            }
        }
        return out
    }
}
