// ExcerptPDF.swift — makes a PDF from a hand-written page layout, so that the
// importer's PDF tests are data (Tests/ImportCorpus/*/…layout): small made-up
// excerpts that put words exactly where a real disclosure's printer would.
//
// The layout format, one printed line per text line:
//
//     # a comment
//     page                         a new page (the first is implied)
//     120 | 72 收入支出决算总表 | 700 单位：万元
//
// The number before the first "|" is the line's distance from the top of the
// page (points; pages are A4 landscape, 842 × 595); each cell after it is "X TEXT", X the left edge of TEXT. Text
// is set at 10 points: a CJK character is 10 points wide, any ASCII one 5.
// The font is a bare CID font with a ToUnicode map, so poppler reads the text
// back exactly (no font file is needed for that).

import Foundation

public enum ExcerptPDF {
    public struct LayoutError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The PDF for `layout`.
    public static func make(_ layout: String) throws -> Data {
        var pages: [[(x: Double, y: Double, text: String)]] = [[]]
        for (n, raw) in layout.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "page" { pages.append([]); continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let y = Double(cells[0]), cells.count > 1 else { throw LayoutError(line: n + 1, message: "expected \"Y | X TEXT | …\"") }
            for cell in cells.dropFirst() {
                guard let space = cell.firstIndex(of: " "), let x = Double(cell[..<space]) else {
                    throw LayoutError(line: n + 1, message: "expected \"X TEXT\", found \"\(cell)\"")
                }
                pages[pages.count - 1].append((x, y, String(cell[cell.index(after: space)...])))
            }
        }
        var objects: [Data] = []
        func add(_ s: String) { objects.append(Data(s.utf8)) }
        let pageCount = pages.count
        // 1 catalogue, 2 pages, 3 font, 4 CID font, 5 ToUnicode, 6 descriptor, then page + content pairs.
        add("<< /Type /Catalog /Pages 2 0 R >>")
        add("<< /Type /Pages /Kids [\((0..<pageCount).map { "\(7 + 2 * $0) 0 R" }.joined(separator: " "))] /Count \(pageCount) >>")
        add("<< /Type /Font /Subtype /Type0 /BaseFont /FQLExcerpt /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>")
        add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FQLExcerpt /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [32 [\(Array(repeating: "500", count: 95).joined(separator: " "))]] /FontDescriptor 6 0 R >>")
        // Every 2-byte code is its own UTF-16 unit: 256 ranges, in blocks of at most 100 as PDF allows.
        let ranges = (0..<256).map { String(format: "<%02X00> <%02XFF> <%02X00>", $0, $0, $0) }
        var cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        for start in stride(from: 0, to: ranges.count, by: 100) {
            let block = ranges[start..<min(start + 100, ranges.count)]
            cmap += "\(block.count) beginbfrange\n" + block.joined(separator: "\n") + "\nendbfrange\n"
        }
        cmap += "endcmap CMapName currentdict /CMap defineresource pop end end"
        add("<< /Length \(cmap.utf8.count) >>\nstream\n\(cmap)\nendstream")
        add("<< /Type /FontDescriptor /FontName /FQLExcerpt /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")
        for (k, words) in pages.enumerated() {
            let runs = words.map { w -> String in
                let hex = w.text.utf16.map { String(format: "%04X", $0) }.joined()
                return "1 0 0 1 \(w.x) \(595 - w.y) Tm <\(hex)> Tj"
            }
            let content = "BT /F1 10 Tf " + runs.joined(separator: " ") + " ET"
            add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents \(8 + 2 * k) 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
            add("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
        }
        return document(objects)
    }

    /// A PDF of `objects` (object 1 the catalogue) with a correct cross-reference table; `trailer` adds
    /// entries to the trailer (an /Encrypt dictionary, say).
    public static func document(_ objects: [Data], trailer: String = "") -> Data {
        var out = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.count)
            out += Data("\(i + 1) 0 obj\n".utf8) + o + Data("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Data("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for o in offsets { out += Data(String(format: "%010d 00000 n \n", o).utf8) }
        out += Data("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R \(trailer)>>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }
}
