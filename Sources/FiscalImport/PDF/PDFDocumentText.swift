// PDFDocumentText.swift — a PDF as the text the importer reads: prose lines as
// printed, and each table (found by its standard title, TableVocabulary) with
// its cells rebuilt from word positions as TAB-separated rows. A table runs
// from its title over page breaks (a repeated header on the next page is
// dropped) to a note (注…), a heading, prose, or the next title. A form feed
// line marks each new page, and every line keeps the page it came from.

import FiscalData

enum PDFDocumentText {
    /// The text lines of a PDF's `lines`, and the page of each.
    static func build(_ lines: [PDFLine], vocabulary: TableVocabulary = .standard) -> (lines: [String], pages: [Int]) {
        var page = lines.first?.page ?? 1
        var out: [String] = [SourceDocument.rebuiltMark], pages: [Int] = [page]
        func emit(_ s: String, _ p: Int) {
            if p != page { out.append("\u{0C}"); pages.append(p); page = p }
            out.append(s)
            pages.append(p)
        }
        // The right edge of each page's text block: where a line that goes on to the next one ends.
        var rightMargin: [Int: Double] = [:]
        for l in lines { rightMargin[l.page] = max(rightMargin[l.page] ?? 0, l.words.last?.x1 ?? 0) }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            guard isTableTitle(i, lines, vocabulary) else {
                // A sentence the page broke: the line before ran to the right margin without ending it.
                if let prev = i > 0 ? lines[i - 1] : nil, prev.page == line.page, out.last.map({ !$0.hasTab }) == true,
                   continuesProse(prev, line, margin: rightMargin[line.page] ?? 0) {
                    out[out.count - 1] += line.text
                } else {
                    emit(line.text, line.page)
                }
                i += 1
                continue
            }
            let titleLine = line
            emit(line.text.trimmed(), line.page)
            i += 1
            // The table's preface: 编制部门/单位 and 单位：元 lines, and a caption under the title (公开05表).
            while i < lines.count, isPreface(lines[i].folded) || TableScanner.caption(lines[i].text) != nil {
                emit(lines[i].text.trimmed(), lines[i].page)
                i += 1
            }
            var region: [PDFLine] = []
            var startPage = lines[i < lines.count ? i : lines.count - 1].page
            var seenBody = false
            var end: PDFLine? = nil
            var notes: [PDFLine] = []   // notes at the foot of pages the table goes on from
            var headerWords = Set<String>()   // the words of the header on the table's first page
            // A line at the top of a later page that repeats the header; rows of words alone (十四、… with
            // no figure on its line) carry on the table and are kept.
            func repeatsHeader(_ l: PDFLine) -> Bool {
                !isBody(l) && !isProse(l) && !l.folded.hasPrefix("注") && (isPreface(l.folded) || l.folded.hasPrefix("续表") || l.words.allSatisfy { headerWords.contains(foldName($0.text)) })
            }
            while i < lines.count {
                let l = lines[i]
                if isTableTitle(i, lines, vocabulary) {
                    // The same title again at the top of a page: the table goes on (its header repeats).
                    guard l.page != titleLine.page, l.folded == titleLine.folded else { break }
                    i += 1
                    while i < lines.count, isPreface(lines[i].folded) { i += 1 }
                    while i < lines.count, lines[i].page == l.page, repeatsHeader(lines[i]) { i += 1 }
                    startPage = l.page
                    continue
                }
                if isTableNumber(l.folded) { i += 1; continue }
                if TableScanner.caption(l.text) != nil { break }
                let f = l.folded
                if f.hasPrefix("注") || f.hasPrefix("备注") || f.hasPrefix("说明:") {
                    // A note at the foot of each page, and the same title on the next: the table goes on.
                    if let k = (i + 1..<min(lines.count, i + 5)).first(where: { lines[$0].page != l.page && lines[$0].folded == titleLine.folded }) {
                        notes.append(l)
                        i = k
                        continue
                    }
                    end = l; i += 1; break
                }
                if isProse(l) { break }
                if l.page != startPage {
                    // A new page: a repeated title, preface or header is not a row.
                    startPage = l.page
                    var j = i
                    while j < lines.count, lines[j].page == l.page, repeatsHeader(lines[j]) { j += 1 }
                    if seenBody && j > i && j < lines.count && lines[j].page == l.page { i = j; continue }
                }
                if isBody(l) || isAnchor(l) { seenBody = true }
                if !seenBody { headerWords.formUnion(l.words.map { foldName($0.text) }) }
                region.append(l)
                i += 1
            }
            for row in rebuild(region) { emit(row, region.first?.page ?? page) }
            for note in notes + (end.map { [$0] } ?? []) { emit(note.text.trimmed(), note.page) }
        }
        return (out, pages)
    }

    /// Header lines (no amounts, before the first anchor) and body lines, rebuilt into rows.
    private static func rebuild(_ region: [PDFLine]) -> [String] {
        guard !region.isEmpty else { return [] }
        // Lines of later pages sit below those of earlier ones.
        let shifted = region.map { l -> PDFLine in
            let dy = Double(l.page - region[0].page) * 10_000
            return PDFLine(page: l.page, words: l.words.map { PDFWord(page: $0.page, x0: $0.x0, x1: $0.x1, top: $0.top + dy, bottom: $0.bottom + dy, text: $0.text) },
                           bottom: l.bottom + dy)
        }
        // A row of column numbers (** 1 2 3 …, 栏次) is neither header text nor figures.
        let placed = shifted.filter { !isSerial($0) }
        let firstAnchor = placed.firstIndex(where: isAnchor) ?? placed.count
        let head = placed.prefix(firstAnchor).filter { !hasAmount($0) }
        let floating = placed.prefix(firstAnchor).filter(hasAmount)
        let body = floating + placed.dropFirst(firstAnchor)
        return PDFTableRebuilder(lines: head + body, headerCount: head.count).rows()
    }

    /// A title line with a unit line (单位：元) within the next three lines.
    private static func isTableTitle(_ i: Int, _ lines: [PDFLine], _ v: TableVocabulary) -> Bool {
        guard v.title(of: lines[i].text) != nil else { return false }
        return lines[(i + 1)..<min(lines.count, i + 4)].contains { TableScanner.unitOf($0.text) != nil }
    }

    private static func isPreface(_ folded: String) -> Bool {
        // 单位名称, 部门名称, 预算单位 and 部门 head a column too (单位名称 | 项目名称 …, 预算单位 | 科目编码 …): as a
        // preface they come with a colon.
        TableScanner.unitOf(folded) != nil || folded.hasPrefix("编制") || ["部门名称", "单位名称", "预算单位", "部门"].contains { folded.hasPrefix($0 + "：") || folded.hasPrefix($0 + ":") }
            || folded.hasPrefix("预算主管部门")
    }

    /// A sentence, not a table line: a long run of text or a full stop.
    private static func isProse(_ l: PDFLine) -> Bool {
        let f = l.folded
        if f.contains("。") || f.hasSuffix("情况说明") || (f.hasPrefix("第") && f.contains("部分")) { return true }
        return l.words.contains { $0.text.count >= 30 }
    }

    /// 1 2 3 … 7 under the header, with at most a marker (**, 栏次, 行次) beside them; with a marker, a table of
    /// one amount column numbers it alone (杭州's `**  1` under 项目支出).
    private static func isSerial(_ l: PDFLine) -> Bool {
        let tokens = PDFTokens.tokens(l)
        let numbers = tokens.filter { $0.kind != .text }.compactMap { Int($0.text) }
        let words = tokens.filter { $0.kind == .text }
        guard numbers.count >= 3 || !words.isEmpty && numbers.first == 1,
              numbers.count == tokens.filter({ $0.kind != .text }).count else { return false }
        guard numbers.enumerated().allSatisfy({ $0.element == $0.offset + numbers[0] }) else { return false }
        return words.allSatisfy { TableLayout.serialMarkers.contains(foldName($0.text)) }
    }

    /// `next` goes on with `prev`'s sentence: `prev` is prose that reaches the margin (within two characters)
    /// and ends with no full stop or colon; `next` starts no heading (一、 （一） 1. 第…) and is not indented.
    private static func continuesProse(_ prev: PDFLine, _ next: PDFLine, margin: Double) -> Bool {
        guard let last = prev.words.last, let first = next.words.first, prev.words.count == 1 || prev.text.count >= 20 else { return false }
        let charWidth = (last.x1 - last.x0) / Double(max(1, last.text.count))
        guard last.x1 >= margin - 2 * charWidth, prev.text.count >= 15 else { return false }
        guard let end = prev.text.last, !"。！？：:；;".contains(end) else { return false }
        let f = foldName(next.text)
        if f.hasPrefix("(") || f.hasPrefix("第") || f.first.map({ "一二三四五六七八九十".contains($0) }) == true && f.prefix(4).contains("、") { return false }
        if let d = f.first, d.isNumber, f.dropFirst().prefix(3).contains(where: { "、.．".contains($0) }) { return false }
        return first.x0 <= (prev.words.first?.x0 ?? 0) + charWidth * 0.5 || first.x0 < prev.x0
    }

    /// "表3", "表 10", "续表": the number a table is printed under, not a row.
    private static func isTableNumber(_ folded: String) -> Bool {
        if folded == "续表" || folded == "(续表)" { return true }
        guard folded.hasPrefix("表") else { return false }
        let rest = folded.dropFirst()
        return !rest.isEmpty && rest.count <= 3 && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func hasAmount(_ l: PDFLine) -> Bool { PDFTokens.tokens(l).contains { $0.kind == .amount } }

    /// A body line: an amount, a code, or a total label.
    private static func isBody(_ l: PDFLine) -> Bool {
        PDFTokens.tokens(l).contains { $0.kind != .text } || isTotal(l)
    }

    /// The first line of the body proper: a code, a total label, text beside an amount, or a label numbered
    /// as a list (一、一般公共预算财政拨款, （一）…, 1、…: `stripOrdinal` removes the number; a header is never
    /// numbered so, and its figures may be printed apart).
    private static func isAnchor(_ l: PDFLine) -> Bool {
        let tokens = PDFTokens.tokens(l)
        if tokens.contains(where: { $0.kind == .code }) || isTotal(l) || tokens.first.map({ stripOrdinal($0.text) != $0.text.trimmed() }) == true { return true }
        return tokens.contains { $0.kind == .amount } && tokens.contains { $0.kind == .text && $0.text.count >= 2 }
    }

    /// A line that is a total's label alone (合计, 本年支出合计), not a header that names a 合计 column.
    private static func isTotal(_ l: PDFLine) -> Bool {
        // The label alone on its line (its figures a little off it), or beside figures; a header line that
        // names a 合计 column among others (合计 项目支出) is none.
        let tokens = PDFTokens.tokens(l)
        let texts = tokens.filter { $0.kind == .text }
        guard let first = texts.first, texts.count == 1 || tokens.contains(where: { $0.kind == .amount }) else { return false }
        let f = foldName(first.text)
        return f.count <= 8 && (f.contains("合计") || f.contains("总计"))
    }
}
