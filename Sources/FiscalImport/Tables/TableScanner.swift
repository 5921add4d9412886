// TableScanner.swift — finds the tables in a document's text: a caption
// (预算NN表 or 公开 NN 表) starts one, its tab-separated lines are its rows
// (across page breaks, where the caption and header may be repeated), and a note (注…), a heading or a line of prose ends
// it. Tab lines outside every table are returned as strays, so that the
// coverage report can account for them.

import FiscalData

/// One row of a table: its document line and its cells, cleaned.
struct RawRow: Sendable {
    let line: Int
    let cells: [String]
    /// How many indent marks (U+3000, PDFTableRebuilder.indentMark) began each cell: a name's level under
    /// the one above it, in a table that prints names without codes.
    var indents: [Int] = []

    func indent(_ i: Int) -> Int { i < indents.count ? indents[i] : 0 }

    subscript(i: Int) -> String { i < cells.count ? cells[i] : "" }
}

/// A table as found in the text.
struct RawTable: Sendable {
    /// The caption as numbered: 预算03表, 公开03表.
    let number: String
    /// The title: 支出预算总表, 2024年度支出决算表 …
    let title: String
    let captionLine: Int
    var unit: AmountUnit
    var rows: [RawRow]
    /// Non-tab lines inside or right after the table (notes such as 注：本部门2024年没有…).
    var notes: [(line: Int, text: String)]
    /// Cells placed by position (a PDF's table rebuilt by PDFTableRebuilder): header words are already in
    /// their columns, so no label is carried over empty header cells.
    var positioned = false

    /// Why a table gave no figure: its note when it says so (注：本部门没有…), else that it has none.
    var emptyReason: String {
        if let note = notes.first(where: { $0.text.contains("没有") || $0.text.contains("无") }) { return "no figures: \(note.text)" }
        return "no figures in the table"
    }

    /// "预算03表 2024年部门（单位）支出预算总表", the provenance of its statements.
    var name: String { title.isEmpty || title == number ? number : number + " " + title }
}

enum TableScanner {
    /// The tables of `doc` and the tab lines that belong to none.
    static func scan(_ doc: SourceDocument) -> (tables: [RawTable], strays: [RawRow]) {
        // A standard title starts a table unless a caption sits within three lines of it (Wuhan prints
        // the title above its 公开NN表 caption; Beijing puts both on one line).
        let captions = doc.lines.indices.filter { caption(stripMarkup(doc.lines[$0])) != nil }.map { $0 + 1 }
        let titled = Set(titledTables(doc).filter { n in !captions.contains { abs($0 - n) <= 3 } })
        // A line that looks like a table's title but is no standard one (…表, a unit line under it) still ends the
        // table before it: its rows are not the other table's; it is reported as a table of no known kind.
        // (Not a part's heading over the first table: 第二部分 …2024年度部门决算表, a title within three lines after it.)
        let untitled = Set(untitledTables(doc).filter { n in
            !titled.contains(n) && !captions.contains { abs($0 - n) <= 3 } && !((n + 1)...(n + 3)).contains { titled.contains($0) }
        })
        var tables: [RawTable] = []
        var strays: [RawRow] = []
        var current: RawTable? = nil
        var closed = false   // the current table ended (note, heading, prose); later tab lines are strays
        for (i, raw) in doc.lines.enumerated() {
            let n = i + 1
            let line = stripMarkup(raw)
            if titled.contains(n) || untitled.contains(n) {
                // A table known by its standard title (no NN表 number): the title names it.
                let title = stripOrdinal(TableVocabulary.dropTableNumber(line.trimmed()))
                // Its title again with （续） or 续表 on the next page: the same table goes on.
                if let t = current, !t.rows.isEmpty, let base = continued(title), foldName(base) == foldName(t.title) {
                    closed = false
                    continue
                }
                if let t = current { tables.append(t) }
                current = RawTable(number: title, title: title, captionLine: n, unit: unitOf(line) ?? unitAbove(i, doc) ?? .wan, rows: [], notes: [],
                                   positioned: doc.isRebuiltPDF)
                closed = false
                continue
            }
            if let (number, rest) = caption(line) {
                if let t = current, t.number == number, !t.rows.isEmpty {
                    // The caption repeated at the top of the next page: the same table goes on.
                    closed = false
                    continue
                }
                if let t = current { tables.append(t) }
                current = RawTable(number: number, title: title(rest, before: i, in: doc), captionLine: n,
                                   unit: unitOf(line) ?? .wan, rows: [], notes: [], positioned: doc.isRebuiltPDF)
                closed = false
                continue
            }
            if raw.hasTab {
                let parts = raw.split(separator: "\t", omittingEmptySubsequences: false)
                var row = RawRow(line: n, cells: parts.map { cleanCell(String($0)) })
                if raw.contains("\u{3000}") { row.indents = parts.map { $0.prefix { $0 == "\u{3000}" }.count } }
                if row.cells.allSatisfy(\.isEmpty) { continue }
                // The unit line set out in cells (单位名称：某局 ⇥ 单位：万元) before the header: no row of the table.
                if let t = current, !closed, t.rows.isEmpty, let u = unitOf(line) {
                    current!.unit = u
                    continue
                }
                if current != nil && !closed { current!.rows.append(row) } else { strays.append(row) }
                continue
            }
            let text = line.trimmed()
            guard !text.isEmpty, let t = current else { continue }
            if t.rows.isEmpty, let u = unitOf(text) {
                // The unit line sits between the caption and the first row.
                current!.unit = u
                continue
            }
            if text.hasPrefix("注") || text.hasPrefix("备注") { current!.notes.append((n, text)); closed = true; continue }
            if closed && current!.notes.count > 0 && current!.notes.last!.line >= n - 3 && isNoteContinuation(text) {
                current!.notes.append((n, text))
                continue
            }
            if isHeading(raw) || (!t.rows.isEmpty && text.count > 40) { closed = true }
        }
        if let t = current { tables.append(t) }
        return (tables, strays)
    }

    /// The lines (1-based) that are a standard table title (Vocabulary/tables.tsv) followed within three
    /// lines by a unit line (单位：元): the tables of a document without NN表 captions.
    static func titledTables(_ doc: SourceDocument, vocabulary: TableVocabulary = .standard) -> [Int] {
        var out: [Int] = []
        for (i, raw) in doc.lines.enumerated() where !raw.hasTab {
            guard vocabulary.title(of: stripMarkup(raw)) != nil else { continue }
            if doc.lines[i..<min(doc.lines.count, i + 4)].contains(where: { unitOf($0) != nil }) || unitAbove(i, doc) != nil { out.append(i + 1) }
        }
        return out
    }

    /// The money unit printed just above the title at `index` (0-based) rather than under it (单位：万元 over
    /// 一般公共预算支出表), where the header follows the title at once; nil otherwise.
    static func unitAbove(_ index: Int, _ doc: SourceDocument) -> AmountUnit? {
        guard index + 1 < doc.lines.count, doc.lines[index + 1].hasTab else { return nil }
        for k in stride(from: index - 1, through: max(0, index - 2), by: -1) {
            let line = doc.lines[k]
            if line.hasTab { return nil }
            if let u = unitOf(line) { return u }
        }
        return nil
    }

    /// The title a continuation line names (一般公共预算财政拨款支出决算表（续）, 续表：…, …(续表)); nil for a title
    /// that says no 续.
    static func continued(_ title: String) -> String? {
        let t = foldName(title)
        if let mark = ["(续表)", "(续)", "续表"].first(where: t.hasSuffix) { return String(t.dropLast(mark.count)) }
        if let mark = ["续表:", "续表", "(续)"].first(where: t.hasPrefix) { return String(t.dropFirst(mark.count)) }
        return nil
    }

    /// The lines (1-based) that look like a table's title without being a standard one: a short line of no
    /// sentence ending in 表 (or 表 and a qualifier in brackets), with a unit line within the next three.
    static func untitledTables(_ doc: SourceDocument) -> [Int] {
        var out: [Int] = []
        // (A line with no 表 is passed over by its bytes, unfolded: most lines are prose.)
        for (i, raw) in doc.lines.enumerated() where !raw.hasTab && raw.byteRange(of: "表") != nil {
            let folded = foldName(stripMarkup(raw))
            guard folded.count >= 4, folded.count <= 60, !folded.contains(","), !folded.contains("。"), !folded.contains(":"),
                  !folded.hasPrefix("注"), !(folded.hasPrefix("第") && folded.contains("部分")) else { continue }
            var body = Substring(folded)
            if body.hasSuffix(")"), let open = body.lastIndex(of: "(") { body = body[..<open] }
            guard body.hasSuffix("表"), TableVocabulary.standard.title(of: stripMarkup(raw)) == nil else { continue }
            if doc.lines[(i + 1)..<min(doc.lines.count, i + 4)].contains(where: { unitOf($0) != nil }) { out.append(i + 1) }
        }
        return out
    }

    /// `预算03表 …` or `公开 03 表 …` at the start of a line: the normalised number and the rest of the line.
    static func caption(_ line: String) -> (String, String)? {
        let t = line.trimmed()
        for prefix in ["预算", "公开"] where t.hasPrefix(prefix) {
            var rest = t.dropFirst(prefix.count).drop { $0 == " " }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...2).contains(digits.count) else { return nil }
            rest = rest.dropFirst(digits.count).drop { $0 == " " }
            guard rest.first == "表" else { return nil }
            let number = prefix + (digits.count == 1 ? "0" : "") + digits + "表"
            return (number, String(rest.dropFirst()).trimmed())
        }
        return nil
    }

    /// The title: the caption's own text (Beijing), or the nearest line above naming a 表 (Wuhan).
    private static func title(_ rest: String, before index: Int, in doc: SourceDocument) -> String {
        var own = rest
        for mark in ["单位:", "单位：", "单位 :"] {
            if let r = own.range(of: mark) { own = String(own[..<r.lowerBound]).trimmed() }
        }
        if !own.isEmpty { return own }
        // A standard title on the line below the caption (Jiangsu: 公开 06 表 / 财政拨款基本支出预算表（经济科目）).
        for k in (index + 1)..<min(doc.lines.count, index + 3) where !doc.lines[k].hasTab {
            let l = stripMarkup(doc.lines[k]).trimmed()
            if TableVocabulary.standard.title(of: l) != nil { return l }
        }
        var j = index - 1
        while j >= 0 && j >= index - 6 {
            let l = stripMarkup(doc.lines[j]).trimmed()
            if !l.isEmpty && !l.hasTab && l.hasSuffix("表") && !l.hasPrefix("部门") { return l }
            j -= 1
        }
        return ""
    }

    /// 金额单位：万元 / 单位: 元 anywhere in the line.
    static func unitOf(_ line: String) -> AmountUnit? {
        // Every 单位: of the line, since 编制单位：上海市… comes before 单位：元.
        var rest = Substring(foldName(line))
        while let r = rest.range(of: "单位:") {
            let after = rest[r.upperBound...]
            if after.hasPrefix("万元") { return .wan }
            if after.hasPrefix("元") { return .yuan }
            rest = after
        }
        return nil
    }

    private static func isHeading(_ raw: String) -> Bool {
        let t = raw.trimmed()
        return raw.hasPrefix("#") || (t.hasPrefix("第") && t.contains("部分"))
    }

    /// A line going on with a table's notes: numbered (2. 本套报表…), a 说明 (说明：…本年度没有…，故本表无数据),
    /// or a short sentence saying the unit has none (本部门2024年度无政府性基金预算财政拨款收入支出。).
    private static func isNoteContinuation(_ text: String) -> Bool {
        guard let f = text.first, text.count < 80 else { return false }
        if f.isNumber || text.hasPrefix("说明") { return true }
        return (text.contains("没有") || text.contains("无")) && ["本部门", "本单位", "本表"].contains { text.contains($0) }
    }
}

/// Removes markdown emphasis and heading marks the extraction left: `### `, `**`.
func stripMarkup(_ s: String) -> String {
    var t = s.replacingAll("**", with: "")
    while t.hasPrefix("#") { t.removeFirst() }
    return t
}

/// A cell without HTML tags and surrounding white space.
func cleanCell(_ s: String) -> String {
    if !s.utf8.contains(UInt8(ascii: "<")) { return s.trimmed() }
    var out = ""
    var inTag = false
    for ch in s {
        if ch == "<" { inTag = true; continue }
        if ch == ">" && inTag { inTag = false; continue }
        if !inTag { out.append(ch) }
    }
    return out.trimmed()
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, byteRange(of: target) != nil else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.byteRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
