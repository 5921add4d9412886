// Leftovers.swift — rule `template`: words of the template left in a published document: a placeholder
// (此处插入…, XX or ×× in place of a name) or a change whose direction was never chosen (增加（减少）) with
// an amount that is not 0. Each is a `leftover` (a warning) at its line. Exact: no tolerance.

import FiscalData
import Foundation

extension Reconciler {
    func leftovers(_ texts: [DocumentText]) -> [[Value]] {
        var out: [[Value]] = []
        for (record, lines) in texts.map({ ($0.record, $0.lines) }) {
            for (k, f) in lines.enumerated() {
                if let r = f.range(of: "此处插入") {
                    out.append(textFinding("template", "leftover", record, line: k + 1, "placeholder left in the text: \(f[r.lowerBound...].prefix(16))"))
                }
                if let r = Self.placeholderName(f) {
                    out.append(textFinding("template", "leftover", record, line: k + 1, "a name left as a placeholder: \(f[r])"))
                }
                var rest = Substring(f)
                while let r = rest.range(of: "增加(减少)") {
                    rest = rest[r.upperBound...]
                    let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
                    guard !number.isEmpty, rest.dropFirst(number.count).hasPrefix("万元"),
                          let parsed = try? Money.parse(String(number)), case let money = parsed.money, !money.isZero else { continue }
                    out.append(textFinding("template", "leftover", record, line: k + 1, "a change of \(number) 万元 left as 增加（减少）, its direction never chosen"))
                }
            }
        }
        return out
    }

    /// Where a folded line has XX (or ××) standing for a name: two or more X between CJK characters or ends.
    private static func placeholderName(_ f: String) -> Range<String.Index>? {
        for mark in ["XX", "××"] {
            guard let r = f.range(of: mark) else { continue }
            let before = r.lowerBound == f.startIndex ? nil : f[f.index(before: r.lowerBound)]
            var end = r.upperBound
            while end < f.endIndex, f[end] == mark.first! { end = f.index(after: end) }
            let after = end == f.endIndex ? nil : f[end]
            func ascii(_ c: Character?) -> Bool { c.map { $0.isASCII && ($0.isLetter || $0.isNumber) } ?? false }
            // The words around it: up to six characters before, two after (上海市普陀区XX局).
            if !ascii(before) && !ascii(after) {
                return (f.index(r.lowerBound, offsetBy: -6, limitedBy: f.startIndex) ?? f.startIndex)..<(f.index(end, offsetBy: 2, limitedBy: f.endIndex) ?? f.endIndex)
            }
        }
        return nil
    }
}
