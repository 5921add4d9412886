// TableVocabulary.swift — the importer's knowledge of table titles, read from
// tables.tsv (beside this file, bundled as a resource): which lines are the
// national templates' table titles, and which reader reads a table with a given
// title. Knowledge lives in the file; this file only reads and applies it.

import FiscalData
import Foundation

/// Which reader reads a table, and what every figure of it has.
struct TableRule: Sendable, Equatable {
    enum Reader: String, Sendable { case sangong, performance, category, summary, econdetail, coded }
    let reader: Reader
    let measure: Measure?
    let fund: Fund?
    let nature: Nature?
    let keys: [String]
}

struct TableVocabulary: Sendable {
    let titles: [String]
    let rules: [TableRule]

    /// The bundled vocabulary.
    static let standard: TableVocabulary = {
        guard let url = Bundle.module.url(forResource: "tables", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("FiscalImport's tables.tsv resource is missing from the build")
        }
        return TableVocabulary(text)
    }()

    init(_ text: String) {
        var titles: [String] = [], rules: [TableRule] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6 else { continue }
            let keys = f[5].split(separator: "|").map { foldName(String($0)) }
            if f[0] == "title" { titles += keys; continue }
            guard f[0] == "rule", let reader = TableRule.Reader(rawValue: f[1]) else { continue }
            rules.append(TableRule(reader: reader, measure: Measure(rawValue: f[2]), fund: Fund(rawValue: f[3]),
                                   nature: Nature(rawValue: f[4]), keys: keys))
        }
        // Longest first, so that 财政拨款收入支出决算总表 is found before 收入支出决算总表.
        self.titles = titles.sorted { $0.count > $1.count }
        self.rules = rules
    }

    /// The rule for a table titled `title`, nil when none applies.
    func rule(for title: String) -> TableRule? {
        let t = foldName(title)
        return rules.first { r in r.keys.contains { t.contains($0) } }
    }

    /// "表1:2026年…", "表 3.…", "1.2025年…", "一、收入…" without that number.
    static func dropTableNumber(_ t: String) -> String {
        var s = Substring(t)
        if s.hasPrefix("表") && s.dropFirst().first?.isNumber == true { s = s.dropFirst() }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let sep = s.dropFirst(digits.count).first, ":.、：．".contains(sep) {
            let next = s.dropFirst(digits.count + 1)
            // Not a decimal: 1.2025年 is "1." then the title.
            if (sep != "." && sep != "．") || next.count > 0 && !(next.first!.isNumber && next.prefix(5).contains(".")) { s = next }
        }
        return String(s)
    }

    /// The standard title `line` is, if it is a title line: the title alone, after an ordinal, a year,
    /// a unit's name or 部门/单位 (at most 40 characters before the title, no colon, no sentence).
    func title(of line: String) -> String? {
        let t = Self.dropTableNumber(foldName(line))
        guard t.count <= 60, !t.contains(":"), !t.contains("。"), !t.contains(",") else { return nil }
        // A qualifier after the title: 财政拨款基本支出预算表(经济科目).
        var body = Substring(t)
        if body.hasSuffix(")"), let open = body.lastIndex(of: "("), body.distance(from: open, to: body.endIndex) <= 8 {
            body = body[..<open]
        }
        for title in titles where body.hasSuffix(title) {
            let prefix = body.dropLast(title.count)
            guard prefix.count <= 40 else { continue }
            return t
        }
        return nil
    }
}
