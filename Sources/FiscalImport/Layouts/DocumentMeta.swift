// DocumentMeta.swift — decides a document's layout, unit, region, year and
// phase from whatever it gives (titles, 部门名称 lines, table captions, unit
// code rows, dated headings, project ids), recording the evidence for each.

import FiscalData

enum DocumentMeta {
    static func layout(_ doc: SourceDocument) throws(ImportError) -> Layout {
        var budget = 0, wuhan = 0
        for line in doc.lines {
            guard let (number, _) = TableScanner.caption(metaLine(line)) else { continue }
            if number.hasPrefix("预算") { budget += 1 } else { wuhan += 1 }
        }
        if budget > 0 && budget >= wuhan { return .beijingBudget }
        if wuhan > 0 { return .wuhanFinal }
        if !TableScanner.titledTables(doc).isEmpty {
            // Tables laid out with spaces (pdftotext -layout) have lost their empty cells: no row can be
            // read for sure, so the document is refused rather than read wrong.
            guard !tablesLaidOutWithSpaces(doc) else {
                throw .unknownLayout(doc: doc.id, reason: "its tables are text laid out with spaces (as pdftotext -layout writes them), where an empty cell leaves no trace; import the PDF itself")
            }
            return .standardTitles
        }
        let hasFinalProse = doc.lines.contains { $0.contains("决算") && $0.contains("万元") }
        if hasFinalProse { return .proseFinal }
        // A budget's 情况说明 alone (its tables pictures, or not published): its figures in prose.
        if doc.lines.contains(where: { $0.contains("预算") && $0.contains("万元") }) { return .proseBudget }
        throw .unknownLayout(doc: doc.id, reason: "no 预算NN表 or 公开NN表 captions, no table with a standard title (收入支出决算总表, 部门支出预算总表 …) and a unit line, and no 预算 or 决算 figures in prose")
    }

    /// Whether `doc` is text whose tables (known by their NN表 captions or their standard titles) are laid out
    /// with spaces, as pdftotext -layout writes them, not as TAB-separated cells.
    static func tablesLaidOutWithSpaces(_ doc: SourceDocument) -> Bool {
        !doc.isRebuiltPDF && !doc.lines.contains(where: { $0.hasTab })
            && (doc.lines.contains(where: { TableScanner.caption(metaLine($0)) != nil }) || !TableScanner.titledTables(doc).isEmpty)
    }

    static func decide(_ doc: SourceDocument, layout: Layout) throws(ImportError) -> DocumentInfo {
        var evidence: [String] = []
        guard let (unit, unitHow) = unit(doc, layout: layout) else { throw .undecided(doc: doc.id, what: "unit (no 部门名称, 部门:, unit code row or title)") }
        evidence.append("unit \(unit): \(unitHow)")
        guard let (year, yearHow) = year(doc, layout: layout) else { throw .undecided(doc: doc.id, what: "year (no dated title, caption or heading)") }
        evidence.append("year \(year): \(yearHow)")
        var phase: Phase = layout == .beijingBudget ? .budget : .final
        var phaseHow = layout == .beijingBudget ? "预算NN表 captions (a departmental budget)" : layout == .wuhanFinal ? "公开NN表 决算 tables (final accounts)" : "决算 figures in prose (final accounts)"
        if let (p, how) = phaseFromTitle(doc), layout == .standardTitles || p != phase { (phase, phaseHow) = (p, how) }
        guard layout != .standardTitles || phaseFromTitle(doc) != nil else {
            throw .undecided(doc: doc.id, what: "phase (no title saying 预算 or 决算 on the first page or in the table titles)")
        }
        evidence.append("phase \(phase.rawValue): " + phaseHow)
        if layout == .standardTitles, let scope = scope(doc) { evidence.append(scope) }
        let region = regionOf(unit)
        evidence.append("region \(region): the unit name's prefix")
        return DocumentInfo(id: doc.id, layout: layout, unit: unit, region: region, year: year, phase: phase, evidence: evidence)
    }

    private static func unit(_ doc: SourceDocument, layout: Layout) -> (String, String)? {
        if layout == .standardTitles, let found = namedUnit(doc) ?? coverUnit(doc) { return found }
        for (i, raw) in doc.lines.enumerated() {
            let line = metaLine(raw).trimmed()
            for key in ["部门名称：", "部门名称:", "部门：", "部门:", "部门: "] where line.hasPrefix(key) {
                let name = cleanUnitName(String(line.dropFirst(key.count)))
                if isUnitName(name) { return (name, "\(key.dropLast()) at line \(i + 1)") }
            }
        }
        // A unit code row of a 收入总表: 295001⇥北京市西城区城市管理指挥中心（本级）. A table rebuilt from a PDF
        // may leave the column of a department's own code empty before it (⇥295001⇥…).
        for (i, raw) in doc.lines.enumerated() where raw.hasTab {
            let cells = raw.split(separator: "\t").map { cleanCell(String($0)) }.filter { !$0.isEmpty }
            if cells.count > 1, cells[0].count == 6, cells[0].allSatisfy({ $0.isASCII && $0.isNumber }) {
                let name = cleanUnitName(cells[1])
                if isUnitName(name) { return (name, "unit code row \(cells[0]) at line \(i + 1)") }
            }
        }
        // A title: 2024年度北京市西城区城市管理指挥中心 / 2024年北京市东城区城市管理指挥中心 部门预算.
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            var line = metaLine(raw).trimmed().filter { !$0.isWhitespace }
            guard let (_, rest) = leadingYear(line) else { continue }
            line = rest
            // The name ends where the title's words for the document begin: 部门预算, 部门决算公开, 单位预算公开说明 …
            if let cut = ["部门预算", "部门决算", "单位预算", "单位决算"].compactMap({ line.byteRange(of: $0)?.lowerBound }).min() {
                line = String(line[..<cut])
            }
            let name = cleanUnitName(line)
            if isUnitName(name) { return (name, "title at line \(i + 1)") }
        }
        // The other order: 北京市丰台区城市管理指挥中心2025年度部门决算情况说明.
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            let line = metaLine(raw).trimmed().filter { !$0.isWhitespace }
            guard let (_, at, _) = embeddedYear(line), at > 0 else { continue }
            let name = cleanUnitName(String(line.prefix(at)))
            if isUnitName(name) { return (name, "title at line \(i + 1)") }
        }
        return coverUnit(doc)
    }

    /// The unit a line names: 预算主管部门：…, 预算单位：…, 部门名称：…, 编制部门：…, 编制单位：… (the first line
    /// with any of these, in this order of keys; a 单位：元 after the name is cut off).
    private static func namedUnit(_ doc: SourceDocument) -> (String, String)? {
        for key in ["预算主管部门", "预算单位", "部门名称", "单位名称", "编制部门", "编制单位"] {
            for (i, raw) in doc.lines.enumerated() {
                let line = foldName(metaLine(raw))
                guard line.hasPrefix(key + ":") else { continue }
                var name = String(line.dropFirst(key.count + 1))
                // The money unit printed after the name: 单位:万元, 金额单位:万元 (not 金额 left on the name).
                if let cut = ["金额单位", "单位:"].compactMap({ name.range(of: $0)?.lowerBound }).min() { name = String(name[..<cut]) }
                name = cleanUnitName(name)
                if isUnitName(name) { return (name, "\(key) at line \(i + 1)") }
            }
        }
        return nil
    }

    /// The first page's lines (all lines up to the first form feed), without the rebuilt-PDF mark.
    private static func coverLines(_ doc: SourceDocument) -> ArraySlice<String> {
        doc.lines.prefix { !$0.hasPrefix("\u{0C}") }.drop { $0 == SourceDocument.rebuiltMark }
    }

    /// The first `count` cover lines joined (folded), after each line in turn: a title printed over several
    /// lines (中共上海市普陀区委 / 社会工作部 2024 年度 / 部门决算) is read as it grows.
    private static func coverJoined(_ doc: SourceDocument, lines count: Int) -> [String] {
        var joined = ""
        return coverLines(doc).prefix(count).map { raw in
            joined += foldName(metaLine(raw))
            return joined
        }
    }

    /// The cover's title, its lines joined: 中共上海市普陀区委 / 社会工作部 2024 年度 / 部门决算.
    private static func coverUnit(_ doc: SourceDocument) -> (String, String)? {
        for (i, joined) in coverJoined(doc, lines: 12).enumerated() {
            guard let (_, at, _) = titleYear(joined), at > 0 else { continue }
            let name = cleanUnitName(String(joined.prefix(at)))
            if isUnitName(name) { return (name, "the cover's title, lines 1–\(i + 1)") }
        }
        return nil
    }

    /// "…2025年区级部门预算", "…2024年度部门决算" → (year, its offset, the rest): a year followed, within a
    /// few characters, by 预算 or 决算.
    static func titleYear(_ s: String) -> (Int, Int, String)? {
        yearIn(s) { titlePhase($0) != nil }
    }

    /// The phase the first of 预算 and 决算 names in the text after a title's year, within 24 characters (a
    /// unit's name may come between: 2025年某某市某某区城市管理局部门预算) and not across a sentence (a date in
    /// the text before its own subject: 2025年1月…。…预算); nil when neither is there.
    private static func titlePhase(_ rest: String) -> Phase? {
        let r = rest.prefix(24)
        let words: [(Phase, String)] = [(.budget, "预算"), (.final, "决算")]
        guard let (phase, at) = words.compactMap({ w in r.range(of: w.1).map { (w.0, $0.lowerBound) } }).min(by: { $0.1 < $1.1 }),
              !r[..<at].contains(where: { "。;；,，".contains($0) }) else { return nil }
        return phase
    }

    /// The first year in `s` (2024年 or 2024年度) whose following text passes `follows`: (year, offset, rest).
    private static func yearIn(_ s: String, where follows: (String) -> Bool) -> (Int, Int, String)? {
        let chars = Array(s)
        var k = 0
        while k + 4 < chars.count {
            if let (y, rest) = leadingYear(String(chars[k...])), follows(rest) { return (y, k, rest) }
            k += 1
        }
        return nil
    }

    /// 预算 or 决算 from the document's title (the first page) or else its table titles.
    static func phaseFromTitle(_ doc: SourceDocument) -> (Phase, String)? {
        if let joined = coverJoined(doc, lines: 15).last, let (_, _, rest) = titleYear(joined), let phase = titlePhase(rest) {
            return phase == .final ? (.final, "the title says 决算 (final accounts)") : (.budget, "the title says 预算 (budget)")
        }
        let titles = TableScanner.titledTables(doc).map { doc.line($0) }
        let finals = titles.filter { $0.contains("决算") }.count
        let budgets = titles.filter { $0.contains("预算") && !$0.contains("决算") }.count
        if finals > budgets { return (.final, "\(finals) of \(titles.count) table titles say 决算") }
        if budgets > finals { return (.budget, "\(budgets) of \(titles.count) table titles say 预算") }
        return nil
    }

    /// 部门预算 (a department with its units) or 单位预算 (one unit), as the cover says.
    private static func scope(_ doc: SourceDocument) -> String? {
        let cover = coverLines(doc).map { foldName(metaLine($0)) }.joined()
        let unit = "scope 单位: the cover names one budget unit (单位预算/决算); not to be added to its department's"
        if cover.contains("单位预算") || cover.contains("单位决算") { return unit }
        // A cover that says 部门预算 is the department's, whichever key its unit line has (预算单位：).
        if cover.contains("部门预算") || cover.contains("部门决算") { return "scope 部门: the department with its units (部门预算/决算)" }
        return cover.contains("预算单位:") ? unit : nil
    }

    /// "…2025年度部门决算…" → (2025, the year's offset, the text after 年/年度) when 部门 follows the year.
    static func embeddedYear(_ s: String) -> (Int, Int, String)? { yearIn(s) { $0.hasPrefix("部门") } }

    private static func year(_ doc: SourceDocument, layout: Layout) -> (Int, String)? {
        if layout == .standardTitles {
            for (i, joined) in coverJoined(doc, lines: 15).enumerated() {
                if let (y, _, _) = titleYear(joined) { return (y, "the cover's title, lines 1–\(i + 1)") }
            }
            for n in TableScanner.titledTables(doc) {
                if let (y, _) = leadingYear(stripOrdinal(TableVocabulary.dropTableNumber(foldName(doc.line(n))))) {
                    return (y, "table title at line \(n)")
                }
            }
        }
        for (i, raw) in doc.lines.prefix(10).enumerated() {
            let line = metaLine(raw).trimmed().filter { !$0.isWhitespace }
            if let (y, rest) = leadingYear(line), rest.count > 4, !rest.hasPrefix("月") { return (y, "title at line \(i + 1)") }
            if let (y, at, _) = embeddedYear(line), at > 0 { return (y, "title at line \(i + 1)") }
        }
        // Table titles: 2024年部门（单位）收支总表, 2024年度收入支出决算总表.
        for (i, raw) in doc.lines.enumerated() {
            let line = metaLine(raw).trimmed().filter { !$0.isWhitespace }
            if let (_, rest) = TableScanner.caption(line), let (y, _) = leadingYear(rest.filter { !$0.isWhitespace }) {
                return (y, "table caption at line \(i + 1)")
            }
            if line.hasSuffix("表"), !line.hasTab, let (y, _) = leadingYear(line), line.contains("决算") {
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

    /// A line as the metadata is read from it: without markup, a year in Chinese numerals written in digits
    /// (二〇二五年部门预算 → 2025年部门预算).
    static func metaLine(_ raw: String) -> String { arabicYears(stripMarkup(raw)) }

    /// Each year printed in Chinese numerals (二〇二五年, 二零二四年度) in digits; the rest unchanged.
    static func arabicYears(_ s: String) -> String {
        let numerals: [Character: Character] = ["〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                                                "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"]
        guard s.contains("年"), s.contains(where: { $0 == "〇" || $0 == "零" || $0 == "○" || $0 == "Ｏ" }) else { return s }
        let chars = Array(s)
        var out = "", i = 0
        while i < chars.count {
            if i + 4 < chars.count, chars[i] == "二", chars[i + 4] == "年",
               let digits = Optional(chars[i..<i + 4].compactMap { numerals[$0] }), digits.count == 4 {
                out += String(digits)
                i += 4
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
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
        // The name's own cell: a table rebuilt from a PDF may put a (汇总) of the line in cells after it.
        var t = String(s.prefix { $0 != "\t" }).filter { !$0.isWhitespace }
        // The money unit printed on the same line (部门: 武汉市…中心 (汇总)   单位:万元).
        for key in ["金额单位:", "金额单位：", "单位:", "单位："] { if let r = t.range(of: key) { t = String(t[..<r.lowerBound]) } }
        while let suffix = ["(汇总)", "（汇总）", "(本级)", "（本级）", "(盖章)", "（盖章）", "(公章)", "（公章）", "关于"].first(where: { t.hasSuffix($0) }) {
            t = String(t.dropLast(suffix.count))
        }
        // A title that is a sentence: 关于某某局2025年部门预算的说明.
        if t.hasPrefix("关于") { t = String(t.dropFirst(2)) }
        return t
    }

    private static func isUnitName(_ s: String) -> Bool {
        s.count >= 4 && s.count <= 40 && (s.contains("市") || s.contains("区") || s.contains("县") || s.contains("省"))
            && s.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || "()（）".unicodeScalars.contains($0) }
    }

    /// 北京市东城区城市管理指挥中心 → 北京市东城区; with no 市 in the name, a province's or a county's at its
    /// start: 江苏省人民检察院 → 江苏省, 某某县财政局 → 某某县.
    static func regionOf(_ unit: String) -> String {
        guard let shi = unit.firstIndex(of: "市") else {
            for mark: Character in ["省", "县"] {
                if let end = unit.prefix(6).firstIndex(of: mark), end > unit.startIndex { return String(unit[...end]) }
            }
            return ""
        }
        let after = unit[unit.index(after: shi)...]
        if let end = after.firstIndex(where: { $0 == "区" || $0 == "县" }) { return String(unit[...end]) }
        return String(unit[...shi])
    }
}
