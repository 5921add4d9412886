// DocumentMeta.swift — decides a document's layout, unit, region, year and
// phase from whatever it gives (titles, 部门名称 lines, table captions, unit
// code rows, dated headings, project ids), recording the evidence for each.

import FiscalData

enum DocumentMeta {
    static func layout(_ doc: SourceDocument) throws(ImportError) -> Layout {
        var budget = 0, wuhan = 0
        for line in doc.lines {
            guard let (number, _) = TableScanner.caption(stripMarkup(line)) else { continue }
            if number.hasPrefix("预算") { budget += 1 } else { wuhan += 1 }
        }
        if budget > 0 && budget >= wuhan { return .beijingBudget }
        if wuhan > 0 { return .wuhanFinal }
        let hasFinalProse = doc.lines.contains { $0.contains("决算") && $0.contains("万元") }
        if hasFinalProse { return .proseFinal }
        throw .unknownLayout(doc: doc.id, reason: "no 预算NN表 or 公开NN表 captions and no 决算 figures in prose")
    }

    static func decide(_ doc: SourceDocument, layout: Layout) throws(ImportError) -> DocumentInfo {
        var evidence: [String] = []
        guard let (unit, unitHow) = unit(doc) else { throw .undecided(doc: doc.id, what: "unit (no 部门名称, 部门:, unit code row or title)") }
        evidence.append("unit \(unit): \(unitHow)")
        guard let (year, yearHow) = year(doc, layout: layout) else { throw .undecided(doc: doc.id, what: "year (no dated title, caption or heading)") }
        evidence.append("year \(year): \(yearHow)")
        let phase: Phase = layout == .beijingBudget ? .budget : .final
        evidence.append("phase \(phase.rawValue): " + (layout == .beijingBudget ? "预算NN表 captions (a departmental budget)" : layout == .wuhanFinal ? "公开NN表 决算 tables (final accounts)" : "决算 figures in prose (final accounts)"))
        let region = regionOf(unit)
        evidence.append("region \(region): the unit name's prefix")
        return DocumentInfo(id: doc.id, layout: layout, unit: unit, region: region, year: year, phase: phase, evidence: evidence)
    }

    private static func unit(_ doc: SourceDocument) -> (String, String)? {
        for (i, raw) in doc.lines.enumerated() {
            let line = stripMarkup(raw).trimmed()
            for key in ["部门名称：", "部门名称:", "部门：", "部门:", "部门: "] where line.hasPrefix(key) {
                let name = cleanUnitName(String(line.dropFirst(key.count)))
                if isUnitName(name) { return (name, "\(key.dropLast()) at line \(i + 1)") }
            }
        }
        // A unit code row of a 收入总表: 295001⇥北京市西城区城市管理指挥中心（本级）.
        for (i, raw) in doc.lines.enumerated() where raw.contains("\t") {
            let cells = raw.split(separator: "\t", omittingEmptySubsequences: false).map { cleanCell(String($0)) }
            if cells.count > 1, cells[0].count == 6, cells[0].allSatisfy({ $0.isASCII && $0.isNumber }) {
                let name = cleanUnitName(cells[1])
                if isUnitName(name) { return (name, "unit code row \(cells[0]) at line \(i + 1)") }
            }
        }
        // A title: 2024年度北京市西城区城市管理指挥中心 / 2024年北京市东城区城市管理指挥中心 部门预算.
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            var line = stripMarkup(raw).trimmed().filter { !$0.isWhitespace }
            guard let (_, rest) = leadingYear(line) else { continue }
            line = rest
            for suffix in ["部门决算公开", "部门预算", "部门决算"] where line.hasSuffix(suffix) { line = String(line.dropLast(suffix.count)) }
            let name = cleanUnitName(line)
            if isUnitName(name) { return (name, "title at line \(i + 1)") }
        }
        // The other order: 北京市丰台区城市管理指挥中心2025年度部门决算情况说明.
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            let line = stripMarkup(raw).trimmed().filter { !$0.isWhitespace }
            guard let (_, at, _) = embeddedYear(line), at > 0 else { continue }
            let name = cleanUnitName(String(line.prefix(at)))
            if isUnitName(name) { return (name, "title at line \(i + 1)") }
        }
        return nil
    }

    /// "…2025年度部门决算…" → (2025, the year's offset, the text after 年/年度) when 部门 follows the year.
    static func embeddedYear(_ s: String) -> (Int, Int, String)? {
        let chars = Array(s)
        var k = 0
        while k + 4 < chars.count {
            if let (y, rest) = leadingYear(String(chars[k...])), rest.hasPrefix("部门") { return (y, k, rest) }
            k += 1
        }
        return nil
    }

    private static func year(_ doc: SourceDocument, layout: Layout) -> (Int, String)? {
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            let line = stripMarkup(raw).trimmed().filter { !$0.isWhitespace }
            if let (y, rest) = leadingYear(line), rest.count > 4, !rest.hasPrefix("月") { return (y, "title at line \(i + 1)") }
            if let (y, at, _) = embeddedYear(line), at > 0 { return (y, "title at line \(i + 1)") }
        }
        // Table titles: 2024年部门（单位）收支总表, 2024年度收入支出决算总表.
        for (i, raw) in doc.lines.enumerated() {
            let line = stripMarkup(raw).trimmed().filter { !$0.isWhitespace }
            if let (_, rest) = TableScanner.caption(line), let (y, _) = leadingYear(rest.filter { !$0.isWhitespace }) {
                return (y, "table caption at line \(i + 1)")
            }
            if line.hasSuffix("表"), !line.contains("\t"), let (y, _) = leadingYear(line), line.contains("决算") {
                return (y, "table title at line \(i + 1)")
            }
        }
        // A dated heading such as (2026年度).
        for (i, raw) in doc.lines.enumerated() {
            let line = foldName(raw)
            if line.hasPrefix("("), line.hasSuffix("年度)"), let y = Int(line.dropFirst().prefix(4)), line.count == 8 {
                return (y, "heading \(line) at line \(i + 1)")
            }
        }
        return nil
    }

    /// "2024年度…" → (2024, "…").
    static func leadingYear(_ s: String) -> (Int, String)? {
        let digits = s.prefix(4)
        guard digits.count == 4, let y = Int(digits), (1990...2100).contains(y) else { return nil }
        var rest = s.dropFirst(4)
        guard rest.first == "年" else { return nil }
        rest = rest.dropFirst()
        if rest.first == "度" { rest = rest.dropFirst() }
        return (y, String(rest))
    }

    private static func cleanUnitName(_ s: String) -> String {
        var t = s.filter { !$0.isWhitespace }
        for suffix in ["(汇总)", "（汇总）", "(本级)", "（本级）"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)) }
        return t
    }

    private static func isUnitName(_ s: String) -> Bool {
        s.count >= 4 && s.count <= 40 && (s.contains("市") || s.contains("区") || s.contains("县") || s.contains("省"))
            && s.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || "()（）".unicodeScalars.contains($0) }
    }

    /// 北京市东城区城市管理指挥中心 → 北京市东城区.
    static func regionOf(_ unit: String) -> String {
        guard let shi = unit.firstIndex(of: "市") else { return "" }
        let after = unit[unit.index(after: shi)...]
        if let end = after.firstIndex(where: { $0 == "区" || $0 == "县" }) { return String(unit[...end]) }
        return String(unit[...shi])
    }
}
