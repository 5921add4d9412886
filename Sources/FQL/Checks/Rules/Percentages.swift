// Percentages.swift — rule `percent`: percentages the prose states, recomputed from the figures it prints
// beside them.
//
//   growth       "A万元，比上年增加C万元，增长X%" (or 与2023年度相比…减少C万元，下降X%): X against C over the
//                earlier figure A ∓ C, A being the last amount before the comparison on its line;
//   completion   "年初预算为B万元，支出决算为F万元，完成年初预算的X%": X against F over B;
//   share        "W万元，其中：A万元，占X%" (or 主要用于…：): X against A over W, W the nearest amount before A
//                that heads a list (其中, 主要用于 or a colon after it), and never less than A; W may be on
//                the line before when that line runs on into A's.
//
// Tolerance: each printed figure stands for any value within half its last printed digit (170.51 for
// 170.505–170.515, 70% for 69.5–70.5%); a percentage no such values can give is a `mismatch` (an error),
// unless it is printed to hundredths and within one of them (10.158% printed 10.15%, cut off): `rounding`
// (a warning).
// A percentage over an earlier figure or a budget of 0 with a part that is not 0 (增长100% from nothing,
// 完成预算的100.0% of a budget of 0) is a `zero base` (an error). Exact: integer arithmetic throughout.

import FiscalData
import Foundation

extension Reconciler {
    /// A figure as printed: its value and half its last printed digit, both in units of 10⁻⁷.
    private struct Printed {
        let value: Int128
        let half: Int128
        let decimals: Int

        init(value: Int128, half: Int128, decimals: Int) { self.value = value; self.half = half; self.decimals = decimals }

        init?(_ text: String) {
            let t = text.filter { $0 != "," }
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 12 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let whole = Int128(String(parts[0])) else { return nil }
            decimals = parts.count == 2 ? parts[1].count : 0
            guard decimals <= 6 else { return nil }
            var scale: Int128 = 1
            for _ in 0..<(7 - decimals) { scale *= 10 }
            value = whole * 10_000_000 + (decimals == 0 ? 0 : Int128(String(parts[1]))! * scale)
            half = scale / 2
        }

        /// `a` less (or plus) `b`, standing for as wide a range as both.
        static func combine(_ a: Printed, _ b: Printed, subtracting: Bool) -> Printed {
            Printed(value: subtracting ? a.value - b.value : a.value + b.value, half: a.half + b.half, decimals: max(a.decimals, b.decimals))
        }

        /// As printed, at its decimals.
        var text: String { Printed.format(value, decimals: decimals) }

        /// `v` (units of 10⁻⁷) at `decimals` places, rounded half away from zero.
        static func format(_ v: Int128, decimals: Int) -> String {
            var unit: Int128 = 1
            for _ in 0..<(7 - decimals) { unit *= 10 }
            let magnitude = v < 0 ? -v : v
            let rounded = (magnitude + unit / 2) / unit
            var digits = String(rounded)
            if decimals > 0 {
                digits = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
            }
            return (v < 0 ? "-" : "") + digits
        }
    }

    private static let number = "([0-9][0-9,]*(?:\\.[0-9]+)?)"
    private static let growth = try! NSRegularExpression(pattern: "(增加|减少)" + number + "万元[,;]?(增长|下降|减少|增加)" + number + "%")
    private static let amount = try! NSRegularExpression(pattern: number + "万元")
    private static let completion = try! NSRegularExpression(
        pattern: "(年初预算|全年预算|预算)数?为" + number + "万元.{0,40}?决算数?为" + number + "万元.{0,24}?完成[^0-9%]{0,10}?" + number + "%")

    private static let share = try! NSRegularExpression(pattern: number + "万元[,;]?占[^0-9%,;]{0,16}?" + number + "%")

    func percentages(_ texts: [DocumentText]) -> [[Value]] {
        var out: [[Value]] = []
        for (record, lines) in texts.map({ ($0.record, $0.lines) }) {
            for (k, f) in lines.enumerated() {
                let ns = f as NSString
                func text(_ r: NSRange) -> String { ns.substring(with: r) }
                for m in Self.growth.matches(in: f, range: NSRange(location: 0, length: ns.length)) {
                    let up = text(m.range(at: 1)) == "增加"
                    guard let change = Printed(text(m.range(at: 2))), let stated = Printed(text(m.range(at: 4))) else { continue }
                    // The figure compared: the last amount before the change, with the comparison (比…, 与…相比) between.
                    let before = NSRange(location: 0, length: m.range.location)
                    guard let a = Self.amount.matches(in: f, range: before).last,
                          let now = Printed(text(a.range(at: 1))) else { continue }
                    let between = text(NSRange(location: a.range.upperBound, length: m.range.location - a.range.upperBound))
                    guard between.contains("比") || between.contains("较") || between.contains("相比") else { continue }
                    let base = Printed.combine(now, change, subtracting: up)
                    if let finding = judge(part: change, whole: base, stated: stated, record: record, line: k + 1,
                                           what: "\(text(m.range(at: 3)))\(stated.text)% for a change of \(change.text) from \(base.text)") {
                        out.append(finding)
                    }
                }
                // Shares: the line with the one before it when that one runs on into it (no 。 at its end), so
                // that a whole printed on the line before its parts (…支出2940.05万元，主要用于以下方面： / （类）
                // 2106.66万元，占71.73%) is found; only shares on this line are judged.
                let before = k > 0 ? lines[k - 1] : ""
                let prefix = before.isEmpty || before.hasSuffix("。") ? "" : before
                let joined = (prefix + f) as NSString
                func jtext(_ r: NSRange) -> String { joined.substring(with: r) }
                let all = NSRange(location: 0, length: joined.length)
                // Amounts that head a list of parts: 其中, 主要用于 or a colon soon after them.
                let heads = Self.amount.matches(in: joined as String, range: all).filter { a in
                    let after = jtext(NSRange(location: a.range.upperBound, length: min(16, joined.length - a.range.upperBound)))
                    return after.hasPrefix(",其中") || after.hasPrefix("其中") || after.hasPrefix(":") || after.hasPrefix(",主要用于") || after.hasPrefix("主要用于")
                }
                let start = (prefix as NSString).length
                for m in Self.share.matches(in: joined as String, range: all) where m.range.location >= start {
                    guard let head = heads.last(where: { $0.range.upperBound <= m.range.location }),
                          let whole = Printed(jtext(head.range(at: 1))), let part = Printed(jtext(m.range(at: 1))),
                          let stated = Printed(jtext(m.range(at: 2))), part.value <= whole.value else { continue }
                    if let finding = judge(part: part, whole: whole, stated: stated, record: record, line: k + 1,
                                           what: "占\(stated.text)% for \(part.text) of \(whole.text)") {
                        out.append(finding)
                    }
                }
                for m in Self.completion.matches(in: f, range: NSRange(location: 0, length: ns.length)) {
                    guard let budget = Printed(text(m.range(at: 2))), let final = Printed(text(m.range(at: 3))),
                          let stated = Printed(text(m.range(at: 4))) else { continue }
                    if let finding = judge(part: final, whole: budget, stated: stated, record: record, line: k + 1,
                                           what: "完成\(stated.text)% for 决算 \(final.text) of \(text(m.range(at: 1))) \(budget.text)") {
                        out.append(finding)
                    }
                }
            }
        }
        return out
    }

    /// The finding for `stated`% of `part` over `whole`, nil when some values the printed figures stand for give it.
    private func judge(part: Printed, whole: Printed, stated: Printed, record: DocumentRecord, line: Int, what: String) -> [Value]? {
        if whole.value == 0 {
            guard part.value != 0 else { return nil }   // 0% of nothing: no rate, nothing contradicted
            return textFinding("percent", "zero base", record, line: line, "\(what): a percentage of nothing")
        }
        let wholeLo = whole.value - whole.half, wholeHi = whole.value + whole.half
        guard wholeLo > 0, part.value >= 0 else { return nil }
        let partLo = max(0, part.value - part.half), partHi = part.value + part.half
        // Some r within `reach` of the stated percentage equals 100·p/w for p in [partLo, partHi], w in [wholeLo, wholeHi].
        func reached(_ reach: Int128) -> Bool {
            100 * partLo * 10_000_000 <= (stated.value + reach) * wholeHi && 100 * partHi * 10_000_000 >= (stated.value - reach) * wholeLo
        }
        if reached(stated.half) { return nil }
        // Within a whole last digit of a percentage printed to hundredths: cut off rather than rounded (10.158%
        // printed 10.15%), a `rounding` warning. A coarser one (70% for 70.99%) says too little to cut off.
        let status = stated.decimals >= 2 && reached(2 * stated.half) ? "rounding" : "mismatch"
        let exact = Printed.format(100 * part.value * 10_000_000 / whole.value, decimals: max(2, stated.decimals + 1))
        return textFinding("percent", status, record, line: line, "\(what): the figures give \(exact)%")
    }
}
