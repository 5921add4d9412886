// PDFLines.swift — a PDF page's words gathered into printed lines (words whose
// bottoms sit within a small tolerance; a figure in a taller box put back into
// the line it fills a gap of), left to right, and the tokens of a
// line classified for table rebuilding: an amount, a classification code
// (类/款/项 digits at the start of a row or after an amount), or text.

import FiscalData

/// One printed line of a page.
struct PDFLine: Sendable {
    let page: Int
    var words: [PDFWord]
    var bottom: Double

    var top: Double { words.map(\.top).min() ?? bottom }
    var x0: Double { words.first?.x0 ?? 0 }
    /// The words joined: a space between words that are apart, none between CJK words that touch.
    var text: String {
        var out = ""
        var lastX1: Double? = nil
        for w in words {
            if let l = lastX1, w.x0 - l > 1.5 { out += " " }
            out += w.text
            lastX1 = w.x1
        }
        return out
    }
    var folded: String { foldName(text) }
}

enum PDFLines {
    /// The lines of each page, top to bottom; a footer holding only a page number is dropped.
    static func lines(_ words: [PDFWord]) -> [PDFLine] {
        var out: [PDFLine] = []
        let byPage = Dictionary(grouping: words, by: \.page)
        for page in byPage.keys.sorted() {
            var lines: [PDFLine] = []
            for w in byPage[page]!.sorted(by: { ($0.bottom, $0.x0) < ($1.bottom, $1.x0) }) {
                let tolerance = 2.0
                if let k = lines.indices.last, abs(lines[k].bottom - w.bottom) <= tolerance {
                    lines[k].words.append(w)
                } else {
                    lines.append(PDFLine(page: page, words: [w], bottom: w.bottom))
                }
            }
            for k in lines.indices { lines[k].words.sort { $0.x0 < $1.x0 } }
            lines = joiningFloatingFigures(lines)
            if let last = lines.last, isPageNumber(last.folded) { lines.removeLast() }
            out += lines
        }
        return out
    }

    /// A figure alone on a line whose box is taller than the text around it (a form's field: 年初预算为
    /// [1560.05] 万元) sits lower or higher than the words it belongs with. It is put back on the line next to it
    /// whose words its box spans from top to bottom, into the gap it fills there, after a word of that line.
    static func joiningFloatingFigures(_ lines: [PDFLine]) -> [PDFLine] {
        var lines = lines
        var k = 0
        while k < lines.count {
            guard lines[k].words.count == 1, let w = lines[k].words.first, PDFTokens.isNumber(w.text) else { k += 1; continue }
            let home = [k - 1, k + 1].filter { lines.indices.contains($0) }.first { j in
                let t = lines[j]
                guard t.words.count > 1 || !PDFTokens.isNumber(t.words[0].text),
                      w.top <= t.words.map(\.top).min()! + 0.5, w.bottom >= t.words.map(\.bottom).max()! - 0.5 else { return false }
                // A word of the line ends before it, none overlaps it, and it is not far past the line's end.
                guard let left = t.words.last(where: { $0.x1 <= w.x0 + 0.5 }),
                      !t.words.contains(where: { $0.x0 < w.x1 - 0.5 && $0.x1 > w.x0 + 0.5 }) else { return false }
                return t.words.contains { $0.x0 >= w.x1 - 0.5 } || w.x0 - left.x1 <= 12
            }
            guard let j = home else { k += 1; continue }
            lines[j].words.append(w)
            lines[j].words.sort { $0.x0 < $1.x0 }
            lines.remove(at: k)
            if j > k { k += 1 }   // the line it joined now stands at k; the next one after it
        }
        return lines
    }

    /// "12", "- 12 -", "第12页", "-".
    static func isPageNumber(_ folded: String) -> Bool {
        var s = Substring(folded)
        while let f = s.first, f == "-" || f == "—" || f == "第" { s = s.dropFirst() }
        while let l = s.last, l == "-" || l == "—" || l == "页" { s = s.dropLast() }
        return s.count <= 3 && s.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A token of a table line.
struct PDFToken: Sendable {
    enum Kind: Equatable { case amount, code, text }
    var kind: Kind
    var x0: Double
    var x1: Double
    var text: String
    let bottom: Double

    var centerX: Double { (x0 + x1) / 2 }
}

enum PDFTokens {
    /// The tokens of `line`: a word that begins with a code and goes on in text ("310资本性支出") is split.
    static func tokens(_ line: PDFLine) -> [PDFToken] {
        // Words of one text that poppler cut apart (资源勘探工业信息等支 | 出) are joined first.
        var words: [PDFWord] = []
        for w in line.words {
            // Touching, or letter-spaced no wider than a character (合   计).
            let charWidth = words.last.map { ($0.x1 - $0.x0) / Double(max(1, $0.text.count)) } ?? 0
            let spaced = words.last.map { $0.text.count == 1 && w.text.count == 1 && w.x0 - $0.x1 <= charWidth * 1.5 } ?? false
            if let last = words.last, w.x0 - last.x1 < 1.0 || spaced, !isNumber(last.text), !isNumber(w.text) {
                words[words.count - 1] = PDFWord(page: w.page, x0: last.x0, x1: w.x1, top: min(last.top, w.top), bottom: max(last.bottom, w.bottom), text: last.text + w.text)
            } else if let last = words.last, splitsFigure(last, w) {
                // A figure printed with a space after its decimal point (49. 387200) is one figure; the space
                // stays in its text, so that the amount reader repairs it and reports the repair.
                words[words.count - 1] = PDFWord(page: w.page, x0: last.x0, x1: w.x1, top: min(last.top, w.top), bottom: max(last.bottom, w.bottom), text: last.text + " " + w.text)
            } else {
                words.append(w)
            }
        }
        var raw: [PDFToken] = []
        for w in words {
            let digits = w.text.prefix { $0.isASCII && $0.isNumber }
            let rest = w.text.dropFirst(digits.count)
            if [3, 5, 7].contains(digits.count), let f = rest.first, isCJK(f), f != "年", f != "月" {
                let split = w.x0 + (w.x1 - w.x0) * Double(digits.count) / Double(max(1, w.text.count))
                raw.append(PDFToken(kind: .code, x0: w.x0, x1: split, text: String(digits), bottom: w.bottom))
                raw.append(PDFToken(kind: .text, x0: split, x1: w.x1, text: String(rest), bottom: w.bottom))
                continue
            }
            raw.append(PDFToken(kind: isNumber(w.text.replacingOccurrences(of: ". ", with: ".")) ? .amount : .text, x0: w.x0, x1: w.x1, text: w.text, bottom: w.bottom))
        }
        // A year before 年 (2026 年政府采购项目) is text.
        for k in raw.indices where raw[k].kind == .amount && raw[k].text.count == 4 && isDigits(raw[k].text) {
            if let y = Int(raw[k].text), (1990...2100).contains(y), k + 1 < raw.count, raw[k + 1].text.hasPrefix("年") { raw[k].kind = .text }
        }
        // A run of digits at the start of a row, or right after an amount, is a code when a code or
        // text follows it or it has a class's 3/5/7 digits: 201 13 01 行政运行, 30108 6.18, 301 2 津贴补贴.
        func isSection(_ t: PDFToken) -> Bool { isDigits(t.text) && (1...2).contains(t.text.count) }   // a 款 code
        for k in raw.indices where raw[k].kind == .amount && isDigits(raw[k].text) {
            let t = raw[k].text
            let before = k == 0 ? nil : raw[k - 1]
            let after = Array(raw[(k + 1)...].prefix(2))
            // After a figure, a class's digits open the next side only when its name or a 款 code follows
            // (… 80 | 237 | 237 101.26 of a “三公” row are whole figures).
            let named = after.first.map { $0.kind == .text || isSection($0) } == true
            // After a name, they open the other side when a name, or a 款 code and a name, follow them
            // (a two-sided table whose left figure is printed lower: 基本工资 | 302 01 办公费).
            let opensSide = before?.kind == .text && after.first.map { n in
                n.kind == .text && n.text.first.map(isCJK) == true || isSection(n) && after.count > 1 && after[1].kind == .text
            } == true
            let startsSide = before == nil || before!.kind == .amount && named || opensSide
            let looksLikeClass = [3, 5, 7].contains(t.count) && "235".contains(t.first!)
            if startsSide && looksLikeClass {
                raw[k].kind = .code
            } else if before?.kind == .code && isSection(raw[k]) {
                raw[k].kind = .code
            }
        }
        return raw
    }

    /// Digits printed exactly where the table's codes are printed on other lines (same left and right
    /// edges) are a code too: a two-sided table's right-hand 302 after a left-hand name with no figure
    /// beside it, which the line alone would read as an amount.
    static func codesByPlace(_ lines: [[PDFToken]]) -> [[PDFToken]] {
        func same(_ a: (x0: Double, x1: Double), _ t: PDFToken) -> Bool { abs(a.x0 - t.x0) <= 1.5 && abs(a.x1 - t.x1) <= 1.5 }
        var places: [(x0: Double, x1: Double)] = [], counts: [Int] = []
        for t in lines.joined() where t.kind == .code && isDigits(t.text) {
            if let k = places.firstIndex(where: { same($0, t) }) { counts[k] += 1 } else { places.append((t.x0, t.x1)); counts.append(1) }
        }
        let columns = places.indices.filter { counts[$0] >= 2 }.map { places[$0] }
        guard !columns.isEmpty else { return lines }
        return lines.map { line in
            line.map { t in
                guard t.kind == .amount, isDigits(t.text), t.text.count <= 7, columns.contains(where: { same($0, t) }) else { return t }
                var code = t
                code.kind = .code
                return code
            }
        }
    }

    /// A header line's words, with a year joined to the 年 after it (2026 年政府采购项目) and touching words joined.
    static func headerWords(_ line: PDFLine) -> [PDFWord] {
        var out: [PDFWord] = []
        for w in line.words {
            if let last = out.last {
                let year = last.text.count == 4 && Int(last.text).map { (1990...2100).contains($0) } == true && w.text.hasPrefix("年")
                if (year && w.x0 - last.x1 < 8) || (w.x0 - last.x1 < 1.0 && !isNumber(last.text) && !isNumber(w.text)) {
                    out[out.count - 1] = PDFWord(page: w.page, x0: last.x0, x1: w.x1, top: min(last.top, w.top), bottom: max(last.bottom, w.bottom), text: last.text + w.text)
                    continue
                }
            }
            out.append(w)
        }
        return out
    }

    /// `a` is a figure's whole part and point (1,091.) and `b`, a space's width or less to its right, its
    /// decimals (871800).
    static func splitsFigure(_ a: PDFWord, _ b: PDFWord) -> Bool {
        guard a.text.count >= 2, a.text.last == ".", isNumber(String(a.text.dropLast())), isDigits(b.text), b.x0 > a.x1 else { return false }
        let charWidth = (a.x1 - a.x0) / Double(a.text.count)
        return b.x0 - a.x1 <= charWidth * 1.2
    }

    static func isDigits(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// 1,234.56 · -0.5 · 96282213.44 · 0 (an ordinal such as "1." or "一、" is text).
    static func isNumber(_ s: String) -> Bool {
        guard let last = s.last, last.isASCII && last.isNumber else { return false }
        var digits = 0
        for (k, ch) in s.enumerated() {
            if ch.isASCII && ch.isNumber { digits += 1; continue }
            if ch == "," || ch == "." { continue }
            if (ch == "-" || ch == "−") && k == 0 { continue }
            return false
        }
        return digits > 0
    }

    static func isCJK(_ ch: Character) -> Bool {
        ch.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) } ?? false
    }
}
