// Headings.swift — rule `year`: a heading of a document (第三部分 … 部门决算情况说明, a title ending in
// 部门决算/部门预算/…表) dated with a year that is not the document's is a `mismatch` (an error); in a
// 部门决算, a year-end date (截至2023年12月31日) of another year than the document's is a `date` (a warning).
// Exact: years are compared as printed.

import FiscalData
import Foundation

extension Reconciler {
    private static let headingEnds = ["部门决算", "部门预算", "单位决算", "单位预算", "决算情况说明", "预算情况说明",
                                      "部门决算表", "部门预算表", "决算公开", "预算公开", "情况说明"]

    func headings(_ texts: [DocumentText]) -> [[Value]] {
        var out: [[Value]] = []
        for (record, lines) in texts.map({ ($0.record, $0.lines) }) {
            for (k, f) in lines.enumerated() {
                guard f.count <= 60, !f.contains("。") else { continue }
                let heading = (f.hasPrefix("第") && f.prefix(6).contains("部分")) || Self.headingEnds.contains { f.hasSuffix($0) }
                let years = Self.years(in: f)
                if heading, !years.isEmpty, !years.contains(record.year), let y = years.first {
                    out.append(textFinding("year", "mismatch", record, line: k + 1, "heading dated \(y), the document is \(record.year)'s: \(f)"))
                }
            }
            guard record.phase == .final else { continue }
            for (k, f) in lines.enumerated() {
                var rest = Substring(f)
                while let r = rest.range(of: "截至") {
                    rest = rest[r.upperBound...]
                    let digits = rest.prefix { $0.isASCII && $0.isNumber }
                    guard digits.count == 4, let y = Int(digits), rest.dropFirst(4).hasPrefix("年12月31日"), y != record.year else { continue }
                    out.append(textFinding("year", "date", record, line: k + 1, "year-end date 截至\(y)年12月31日 in the \(record.year) final accounts"))
                }
            }
        }
        return out
    }

    /// The years (1990–2100) a folded line names before 年: 2024年度 → 2024.
    static func years(in f: String) -> [Int] {
        let chars = Array(f)
        var out: [Int] = []
        var k = 0
        while k + 4 < chars.count {
            if chars[k...k + 3].allSatisfy({ $0.isASCII && $0.isNumber }), chars[k + 4] == "年",
               k == 0 || !(chars[k - 1].isASCII && chars[k - 1].isNumber), let y = Int(String(chars[k...k + 3])), (1990...2100).contains(y) {
                out.append(y)
                k += 5
            } else {
                k += 1
            }
        }
        return out
    }
}
