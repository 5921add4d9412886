// Wording.swift — rule `wording`: a comparison the prose words against the figures it gives. "决算数大于
// 预算数" (小于, 等于, 持平) after "年初预算为A万元，支出决算为B万元" (on its line or the two before) must
// match the sign of B − A, A being the budget named last before it (全年预算为 after a 年初预算 of 0 is the
// budget compared); a contradiction is a `mismatch` (an error). Exact: the figures as printed.

import FiscalData
import Foundation

extension Reconciler {
    /// The words, the sign of 决算 − 年初预算 they say, and how a finding puts it.
    private static let comparisons: [(words: String, sign: Int, says: String)] = [
        ("决算数大于预算数", 1, "larger than"), ("决算数小于预算数", -1, "smaller than"),
        ("决算数等于预算数", 0, "equal to"), ("决算数与预算数持平", 0, "equal to"),
    ]

    func wording(_ texts: [DocumentText]) -> [[Value]] {
        var out: [[Value]] = []
        for (record, folded) in texts.map({ ($0.record, $0.lines) }) {
            for (k, f) in folded.enumerated() {
                for c in Self.comparisons {
                    guard let at = f.range(of: c.words) else { continue }
                    // The figures before the words: this line up to them, after the two lines before it.
                    let before = folded[max(0, k - 2)..<k].joined() + f[..<at.lowerBound]
                    let budgets = ["年初预算为", "全年预算为", "调整后预算为"].compactMap { Self.lastAmount(after: $0, in: before) }
                    guard let budget = budgets.max(by: { $0.at < $1.at }), let final = Self.lastAmount(after: "决算为", in: before),
                          let diff = try? final.money.subtracting(budget.money) else { continue }
                    let sign = diff.isZero ? 0 : diff.units > 0 ? 1 : -1
                    guard sign != c.sign else { continue }
                    out.append(textFinding("wording", "mismatch", record, line: k + 1,
                                           "says the final is \(c.says) the budget, but 预算 \(budget.text) and 决算 \(final.text) 万元"))
                }
            }
        }
        return out
    }

    /// The last amount in 万元 printed right after `key` in `text` (年初预算为2993.92万元 → 2993.92).
    private static func lastAmount(after key: String, in text: String) -> (text: String, money: Money, at: Int)? {
        amounts(after: key, in: text).last
    }
}
