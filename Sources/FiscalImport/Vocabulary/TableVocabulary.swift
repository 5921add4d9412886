// TableVocabulary.swift — the importer's knowledge of table titles, read from
// tables.tsv (beside this file, bundled as a resource): which lines are the
// national templates' table titles, which reader reads a table with a given
// title, and what a column's header means. Knowledge lives in the file; this file only reads and applies it.

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

/// What a column header means (the `column` rows of tables.tsv).
struct ColumnRule: Sendable {
    enum Group: String, Sendable { case restate, prior, change, measure, nature, fund, source, ofwhich, total, phase }
    let group: Group
    let values: [String]
    let keys: [ColumnKey]

    /// The first key that `text` (the folded header) and `leaf` (its lowest cell) match, as written.
    func match(text t: String, leaf: String) -> ColumnKey? { keys.first { $0.matches(text: t, leaf: leaf) } }
}

/// One key of a column rule: x, x$, =x, leaf:x, leaf:x$, 其中…x.
struct ColumnKey: Sendable {
    enum Test: Sendable { case contains, suffix, leafIs, leafContains, leafSuffix, ofWhich }
    let test: Test
    let name: String

    init(_ raw: String) {
        var s = raw
        let leaf = s.hasPrefix("leaf:")
        if leaf { s = String(s.dropFirst(5)) }
        if s.hasPrefix("=") { test = .leafIs; name = foldName(String(s.dropFirst())); return }
        if s.hasPrefix("其中…") { test = .ofWhich; name = foldName(String(s.dropFirst(3))); return }
        let suffix = s.hasSuffix("$")
        if suffix { s = String(s.dropLast()) }
        name = foldName(s)
        test = leaf ? (suffix ? .leafSuffix : .leafContains) : (suffix ? .suffix : .contains)
    }

    func matches(text t: String, leaf: String) -> Bool {
        switch test {
        case .contains: return t.contains(name)
        case .suffix: return t.hasSuffix(name)
        case .leafIs: return leaf == name
        case .leafContains: return leaf.contains(name)
        case .leafSuffix: return leaf.hasSuffix(name)
        case .ofWhich: return t.hasPrefix("其中") && t.contains(name)
        }
    }
}

struct TableVocabulary: Sendable {
    let titles: [String]
    let rules: [TableRule]
    let columns: [ColumnRule]

    /// The bundled vocabulary.
    static let standard: TableVocabulary = {
        guard let url = Bundle.module.url(forResource: "tables", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("FiscalImport's tables.tsv resource is missing from the build")
        }
        return TableVocabulary(text)
    }()

    init(_ text: String) {
        var titles: [String] = [], rules: [TableRule] = [], columns: [ColumnRule] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6 else { continue }
            if f[0] == "column", let group = ColumnRule.Group(rawValue: f[1]) {
                columns.append(ColumnRule(group: group, values: [f[2], f[3], f[4]], keys: f[5].split(separator: "|").map { ColumnKey(String($0)) }))
                continue
            }
            let keys = f[5].split(separator: "|").map { foldName(String($0)) }
            if f[0] == "title" { titles += keys; continue }
            guard f[0] == "rule", let reader = TableRule.Reader(rawValue: f[1]) else { continue }
            rules.append(TableRule(reader: reader, measure: Measure(rawValue: f[2]), fund: Fund(rawValue: f[3]),
                                   nature: Nature(rawValue: f[4]), keys: keys))
        }
        // Longest first, so that 财政拨款收入支出决算总表 is found before 收入支出决算总表.
        self.titles = titles.sorted { $0.count > $1.count }
        self.rules = rules
        self.columns = columns
    }

    /// The rule for a table titled `title`, nil when none applies.
    func rule(for title: String) -> TableRule? {
        let t = foldName(title)
        return rules.first { r in r.keys.contains { t.contains($0) } }
    }

    /// "表1:2026年…", "表 3.…", "1.2025年…", "一、收入…" without that number.
    static func dropTableNumber(_ t: String) -> String {
        var s = Substring(t)
        // 表1, 附表1, 附件1, 表一, 表1-1 (a part's number after a dash is part of the number).
        let numerals = "一二三四五六七八九十"
        func isNumeral(_ c: Character?) -> Bool { c.map { $0.isASCII && $0.isNumber || numerals.contains($0) } ?? false }
        for mark in ["附表", "附件", "表"] where s.hasPrefix(mark) && isNumeral(s.dropFirst(mark.count).first) {
            s = s.dropFirst(mark.count)
            // ASCII digits, or Chinese numerals (表2一般公共预算支出表 is 2 then a title that begins with 一).
            let ascii = s.first.map { $0.isASCII } ?? false
            let number = s.prefix { ascii ? $0.isASCII && $0.isNumber : numerals.contains($0) }
            if let dash = s.dropFirst(number.count).first, dash == "-", s.dropFirst(number.count + 1).first.map({ $0.isASCII && $0.isNumber }) == true {
                s = s.dropFirst(number.count + 1).drop { $0.isASCII && $0.isNumber }
            } else if !number.allSatisfy({ $0.isASCII }) {
                s = s.dropFirst(number.count)
            }
            if let sep = s.first, ":、：".contains(sep) { s = s.dropFirst() }
            break
        }
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
        // A line with a comma or a full stop (full-width or not: folding makes them one) is no title; said
        // from its bytes, most lines of prose are passed over without being folded. (Not a colon: one after
        // a number before the title, 表1：, is dropped with the number.)
        if line.utf8.contains(UInt8(ascii: ",")) || line.byteRange(of: "，") != nil || line.byteRange(of: "。") != nil {
            return nil
        }
        var folded = foldName(line)
        // The money unit (or the unit's name) printed on the title's line: 收支预算总表    单位：万元.
        if let cut = ["编制单位:", "单位名称:", "部门名称:", "金额单位:", "单位:"].compactMap({ folded.byteRange(of: $0)?.lowerBound }).min(),
           cut > folded.startIndex {
            folded = String(folded[..<cut])
            // …in brackets: 部门收支总表（单位：万元）.
            if folded.hasSuffix("(") { folded.removeLast() }
        }
        let t = Self.dropTableNumber(folded)
        guard t.count <= 60, !t.contains(":"), !t.contains("。"), !t.contains(",") else { return nil }
        // A qualifier after the title: 财政拨款基本支出预算表(经济科目), 一般公共预算支出明细表(按支出功能分类科目).
        var body = Substring(t)
        if body.hasSuffix(")"), let open = body.lastIndex(of: "("), body.distance(from: open, to: body.endIndex) <= 14 {
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
