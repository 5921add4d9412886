// PDFTableRebuilder.swift — rebuilds one table's cells from the positions of
// its words, since a PDF has no cells and an empty cell leaves no trace:
//
//   amount columns   amounts clustered by their right edge (figures are right-aligned);
//   label columns    the text between amount columns (a two-sided table has two);
//   header columns   header words over no amount or label column (事业收入 with no figures);
//   rows             one per anchor — a line with a code, a total label, or text beside an amount;
//                    a name wrapped above or below joins the nearest anchor, and so does an amount
//                    printed a little above or below its row;
//   codes            split 类/款/项 columns joined into one code, written "CODE-NAME" in the label cell.
//
// The result is TAB-separated rows (header rows first), which the table readers read like any other.

import FiscalData

struct PDFTableRebuilder {
    let lines: [PDFLine]
    /// Lines on the table's first page, before its first body line: the header.
    let headerCount: Int

    private struct Column {
        enum Kind { case label, amount }
        var kind: Kind
        var x0: Double
        var x1: Double
        var gap = 0
    }

    private struct Row {
        var y: Double
        var anchored: Bool
        var cells: [Int: [PDFToken]] = [:]
        var codes: [Int: [PDFToken]] = [:]
    }

    /// Where the body's figures and labels sit: amount columns and the gaps between them. A gap of text
    /// without codes is split in two where a channel no body text crosses has a header word over the text
    /// on each side (杭州's 项目支出预算表: 单位名称 | 项目名称, two columns of names before the figures).
    private struct Gaps {
        let amountCols: [Column]
        /// Where each gap ends, left to right: an amount column, or a split between two label columns
        /// (a split is an edge of no width).
        let edges: [Column]
        /// The gaps that hold text or codes in the body, and the right edge of their labels.
        let labelGaps: Set<Int>
        let labelRight: [Int: Double]
        let codedGaps: Set<Int>
        /// Gaps that begin at a split: every header word over them names their labels.
        let splitGaps: Set<Int>

        /// Amount columns: figures whose extents overlap (right-, left- or centre-aligned alike).
        init(_ tokens: [PDFToken], header: [PDFWord]) {
            var cols: [Column] = []
            for t in tokens.filter({ $0.kind == .amount }).sorted(by: { $0.x0 < $1.x0 }) {
                if let k = cols.indices.last, t.x0 < cols[k].x1 - 1 || t.x1 - cols[k].x1 <= 4 {
                    cols[k].x0 = min(cols[k].x0, t.x0)
                    cols[k].x1 = max(cols[k].x1, t.x1)
                } else {
                    cols.append(Column(kind: .amount, x0: t.x0, x1: t.x1))
                }
            }
            amountCols = cols
            let texts = tokens.filter { $0.kind != .amount }
            var splits: [Double] = []
            for (g, inGap) in Dictionary(grouping: texts, by: { t in cols.filter { $0.x1 <= t.x0 + 1 }.count }) {
                guard !inGap.contains(where: { $0.kind == .code }) else { continue }
                let right = g < cols.count ? cols[g].x0 : .greatestFiniteMagnitude
                splits += Gaps.channels(inGap, header: header.filter { $0.x1 <= right + 1 })
            }
            let edges = (cols + splits.map { Column(kind: .label, x0: $0, x1: $0) }).sorted { $0.x1 < $1.x1 }
            self.edges = edges
            var gaps = Set<Int>(), right: [Int: Double] = [:], coded = Set<Int>()
            for t in texts {
                let g = edges.filter { $0.x1 <= t.x0 + 1 }.count
                gaps.insert(g)
                right[g] = max(right[g] ?? 0, t.x1)
                if t.kind == .code { coded.insert(g) }
            }
            labelGaps = gaps
            labelRight = right
            codedGaps = coded
            splitGaps = Set(edges.indices.filter { edges[$0].kind == .label }.map { $0 + 1 })
        }

        /// The middles of the channels that split one gap's names into two columns: a stretch at least a
        /// character wide that no name crosses, with a header word centred over the names left of it and
        /// one beginning right of it (`header`: the words over the gap; a header is centred over its
        /// column, so it may begin right of short left-aligned names).
        static func channels(_ tokens: [PDFToken], header: [PDFWord]) -> [Double] {
            let spans = tokens.map { ($0.x0, $0.x1) }.sorted { $0.0 < $1.0 }
            guard let first = spans.first else { return [] }
            let widths = tokens.filter { $0.text.count >= 2 }.map { ($0.x1 - $0.x0) / Double($0.text.count) }.sorted()
            let char = widths.isEmpty ? 8 : widths[widths.count / 2]
            var out: [Double] = [], reach = first.1, left = first.0
            for (x0, x1) in spans.dropFirst() {
                if x0 - reach >= char,
                   header.contains(where: { $0.centerX > left && $0.centerX < reach }),
                   header.contains(where: { $0.x0 >= x0 - 1 }) {
                    out.append((reach + x0) / 2)
                    left = x0
                }
                reach = max(reach, x1)
            }
            return out
        }

        /// The gap `x` falls in: how many edges (amount columns, splits) end left of it.
        func gap(_ x: Double) -> Int { edges.filter { $0.x1 <= x + 1 }.count }
        /// The left and right ends of gap `g`.
        func bounds(_ g: Int) -> (left: Double, right: Double) {
            (g == 0 ? 0 : edges[g - 1].x1, g < edges.count ? edges[g].x0 : .greatestFiniteMagnitude)
        }

        /// A header word over the labels of a gap (项目, 科目名称), not one right of them (a centred 支出总计).
        func isLabelWord(_ w: PDFWord) -> Bool {
            let g = gap(w.x0)
            guard labelGaps.contains(g), let right = labelRight[g] else { return false }
            if splitGaps.contains(g) { return true }
            return w.centerX <= right + 4 || g < edges.count && w.x1 > edges[g].x1
        }
    }

    /// Every column, left to right, and where each header word goes.
    private struct Columns {
        var all: [Column] = []
        var labelIndex: [Int: Int] = [:]   // gap → column
        var headerPlace: [[Int]] = []      // header word → its column (a group label: every column it spans)
    }

    /// The header rows and data rows, each as TAB-joined cells.
    func rows() -> [String] {
        let header = Array(lines.prefix(headerCount))
        let bodyTokens = PDFTokens.codesByPlace(PDFTableRebuilder.bands(Array(lines.dropFirst(headerCount))).map { PDFTokens.tokens($0) })
        let headerWords = header.flatMap(PDFTokens.headerWords)
        let gaps = Gaps(Array(bodyTokens.joined()), header: headerWords)
        let columns = place(headerWords, gaps)
        var (rows, loose) = anchoredRows(bodyTokens, gaps, columns)
        placeLoose(loose, into: &rows, gaps)
        joinWrappedNames(&rows, gaps, columns)
        var out: [String] = []
        var n = 0
        for line in header {
            var cells = Array(repeating: "", count: columns.all.count)
            for w in PDFTokens.headerWords(line) {
                for c in columns.headerPlace[n] { cells[c] += w.text }
                n += 1
            }
            out.append(cells.joined(separator: "\t"))
        }
        let indents = indentLevels(rows, labelIndex: columns.labelIndex, coded: Set(gaps.codedGaps.compactMap { columns.labelIndex[$0] }))
        for row in rows.sorted(by: { $0.y < $1.y }) {
            var cells = Array(repeating: "", count: columns.all.count)
            for (c, tokens) in row.cells {
                let sorted = tokens.sorted { ($0.bottom, $0.x0) < ($1.bottom, $1.x0) }
                cells[c] = columns.all[c].kind == .amount ? sorted.map(\.text).joined(separator: " ") : sorted.map(\.text).joined()
                if let level = indents[c]?[sorted.first?.x0 ?? 0], level > 0 {
                    cells[c] = String(repeating: PDFTableRebuilder.indentMark, count: level) + cells[c]
                }
            }
            for (c, codes) in row.codes {
                let code = codes.sorted { $0.x0 < $1.x0 }.map(\.text).joined()
                cells[c] = code + "-" + cells[c]
            }
            if cells.allSatisfy(\.isEmpty) { continue }
            out.append(cells.joined(separator: "\t"))
        }
        return out
    }

    /// The columns, and the column of each header word: over an amount column; or, for a column no header
    /// word is over, the header text nearest its left (a centred 合计 above a right-aligned figure); or in a
    /// label gap; or else over no column of the body, in a column of its own (事业收入 with no figures).
    private func place(_ headerWords: [PDFWord], _ gaps: Gaps) -> Columns {
        let amountCols = gaps.amountCols
        func overlapping(_ w: PDFWord, _ c: Column) -> Double { overlap(w.x0, w.x1, c.x0, c.x1) }
        var owner = Array(repeating: -1, count: headerWords.count)   // amount column, or -1
        func overlapped(_ w: PDFWord) -> Int? {
            amountCols.indices.max(by: { overlapping(w, amountCols[$0]) < overlapping(w, amountCols[$1]) }).flatMap { overlapping(w, amountCols[$0]) > 0 ? $0 : nil }
        }
        // A word with header words under it heads a group (see headsGroup); it takes a column only after the
        // words under it have (公务用车购置及运行费 reaches over the figures of 小计, whose own header does not).
        let upper = headerWords.indices.map { n in !gaps.isLabelWord(headerWords[n]) && PDFTableRebuilder.headsGroup(n, headerWords) }
        for (n, w) in headerWords.enumerated() where !upper[n] {
            if let k = overlapped(w) { owner[n] = k }
        }
        // A word split over lines (机关运行经费预算 / 数) goes with the part over the column; a group label over
        // that column is no such part (公务用车购置及运行费 reaches over 小计, and 公务用车 / 购置费 under it are
        // a column of their own).
        for (n, w) in headerWords.enumerated() where owner[n] < 0 {
            if let m = headerWords.indices.first(where: { owner[$0] >= 0 && !upper[$0] && overlap(w.x0, w.x1, headerWords[$0].x0, headerWords[$0].x1) > 0
                                                          && abs(headerWords[$0].centerX - w.centerX) < 15 }) { owner[n] = owner[m] }
        }
        for k in amountCols.indices where !owner.contains(k) {
            let left = k == 0 ? 0 : amountCols[k - 1].x1
            let candidates = headerWords.indices.filter {
                owner[$0] < 0 && headerWords[$0].x0 >= left - 1 && headerWords[$0].x1 <= amountCols[k].x1 + 2
            }
            guard let best = candidates.max(by: { headerWords[$0].x1 < headerWords[$1].x1 }) else { continue }
            for n in candidates where abs(headerWords[n].centerX - headerWords[best].centerX) < 15 { owner[n] = k }
        }
        for (n, w) in headerWords.enumerated() where upper[n] && owner[n] < 0 {
            if let k = overlapped(w) { owner[n] = k }
        }
        // The columns are made from the words under a group label first, so that the label does not merge
        // its columns into one (因公出国（境）费 over 预算数 | 决算数).
        var headerCols: [Column] = []
        var headerOwner: [Int: Int] = [:]   // header word → header-only column
        let headerOnly = headerWords.indices.filter { owner[$0] < 0 && !gaps.isLabelWord(headerWords[$0]) }
        for n in headerOnly.filter({ !upper[$0] }) + headerOnly.filter({ upper[$0] }) {
            let w = headerWords[n]
            if let k = headerCols.firstIndex(where: { overlapping(w, $0) > 0 }) {
                // A group label joins a column without widening it: the columns keep their leaf words' order.
                if !upper[n] {
                    headerCols[k].x0 = min(headerCols[k].x0, w.x0)
                    headerCols[k].x1 = max(headerCols[k].x1, w.x1)
                }
                headerOwner[n] = k
            } else {
                headerOwner[n] = headerCols.count
                headerCols.append(Column(kind: .amount, x0: w.x0, x1: w.x1))
            }
        }
        // All columns, left to right: a label column sits at the left of its gap.
        var all: [Column] = []
        for g in gaps.labelGaps.sorted() {
            let (left, right) = gaps.bounds(g)
            all.append(Column(kind: .label, x0: left, x1: right, gap: g))
        }
        let labelCount = all.count
        all += amountCols + headerCols
        let order = all.indices.sorted { (all[$0].x1, $0) < (all[$1].x1, $1) }
        let placeOf = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var out = Columns()
        out.all = order.map { all[$0] }
        out.labelIndex = Dictionary(uniqueKeysWithValues: out.all.indices.filter { out.all[$0].kind == .label }.map { (out.all[$0].gap, $0) })
        out.headerPlace = headerWords.indices.map { n in
            if owner[n] >= 0 { return [placeOf[labelCount + owner[n]]!] }
            if let h = headerOwner[n] { return [placeOf[labelCount + amountCols.count + h]!] }
            return [out.labelIndex[gaps.gap(headerWords[n].x0)] ?? 0]
        }
        spreadGroupLabels(headerWords, upper: upper, into: &out)
        return out
    }

    /// Whether header word `n` labels a group of columns: words below it stand in two columns under it, or
    /// it is centred between two columns rather than over the one it touches (a short 合计 over 预算数 |
    /// 决算数). A word split over lines (国有资 / 本经营 / 预算) or a name wrapped in its cell heads none.
    static func headsGroup(_ n: Int, _ words: [PDFWord]) -> Bool {
        let w = words[n]
        func apart(_ a: PDFWord, _ b: PDFWord) -> Bool { a.x1 <= b.x0 + 1 || b.x1 <= a.x0 + 1 }
        let below = words.indices.filter { $0 != n && words[$0].bottom > w.bottom + 1 }.map { words[$0] }
        let under = below.filter { !apart($0, w) }
        guard let a = under.max(by: { min($0.x1, w.x1) - max($0.x0, w.x0) < min($1.x1, w.x1) - max($1.x0, w.x0) }) else { return false }
        if under.contains(where: { apart($0, a) }) { return true }
        // A wide label centred over its middle column reaches towards the columns either side of it
        // (公务用车购置及运行费 over 小计 | 购置费 | 运行费), a wrapped name's next line does not.
        let aw = a.x1 - a.x0
        if w.x1 - w.x0 >= aw * 1.5 {
            let reach = below.filter { apart($0, a) && $0.x1 > w.x0 - aw && $0.x0 < w.x1 + aw }
            if reach.contains(where: { $0.centerX < a.centerX }) && reach.contains(where: { $0.centerX > a.centerX }) { return true }
        }
        // The nearest word below beside `a`, on the side of the label's middle.
        let side = below.filter { apart($0, a) && (w.centerX < a.centerX ? $0.centerX < a.centerX : $0.centerX > a.centerX) }
        guard let b = side.min(by: { abs($0.centerX - a.centerX) < abs($1.centerX - a.centerX) }) else { return false }
        return abs((a.centerX + b.centerX) / 2 - w.centerX) < abs(a.centerX - w.centerX) - 2
    }

    /// A group label printed over several columns (因公出国（境）费 over its 预算数 | 决算数; 合计 over two) goes
    /// into each of them: the run of adjacent figure columns whose middle is nearest its middle (of runs
    /// as near, the fewest columns whose cells hold the whole label), measured between the middles of the
    /// leaf header words of the run's ends. A label nearest a single column stays where it was placed.
    private func spreadGroupLabels(_ words: [PDFWord], upper: [Bool], into columns: inout Columns) {
        let figures = columns.all.indices.filter { columns.all[$0].kind == .amount }
        guard figures.count >= 2 else { return }
        // Each figure column's leaf header words (the words under no group label placed in it alone).
        let leaves = figures.map { c in words.indices.filter { !upper[$0] && columns.headerPlace[$0] == [c] }.map { words[$0] } }
        var centre: [Int: Double] = [:]
        for (k, c) in figures.enumerated() {
            centre[c] = leaves[k].isEmpty ? (columns.all[c].x0 + columns.all[c].x1) / 2 : leaves[k].map(\.centerX).reduce(0, +) / Double(leaves[k].count)
        }
        // Runs of figure columns with no label column between them.
        var runs: [[Int]] = []
        for (a, i) in figures.enumerated() {
            var run = [i]
            for j in figures[(a + 1)...] {
                guard j == run.last! + 1 else { break }
                run.append(j)
                runs.append(run)
            }
        }
        // A run's cells reach halfway to the columns beside it.
        func reach(_ run: [Int]) -> (Double, Double) {
            let first = run.first!, last = run.last!
            let left = first > 0 && columns.all[first - 1].kind == .amount ? (columns.all[first - 1].x1 + columns.all[first].x0) / 2 : columns.all[first].x0 - 20
            let right = last + 1 < columns.all.count ? (columns.all[last].x1 + columns.all[last + 1].x0) / 2 : columns.all[last].x1 + 20
            return (left, right)
        }
        // Only over columns headed alike (预算数 | 决算数 under each item): a label over columns of their own
        // names (本年支出 over 合计 | 基本支出 | 项目支出) has its place already, and their names say what they are.
        let leafText = leaves.map { $0.map(\.text).joined() }
        var repeated: [Int: Bool] = [:]
        for (k, c) in figures.enumerated() { repeated[c] = !leafText[k].isEmpty && leafText.filter { $0 == leafText[k] }.count >= 2 }
        // … or over a group's own 小计 and the parts after it (基本支出 over 小计 | 人员经费 | 日常公用支出; a 合计
        // is a table's, not a group's).
        let subtotal = Dictionary(uniqueKeysWithValues: figures.enumerated().map { ($1, foldName(leafText[$0]) == "小计") })
        runs = runs.filter { $0.allSatisfy { repeated[$0]! } || subtotal[$0[0]]! && !$0.dropFirst().contains { subtotal[$0]! } }
        for n in words.indices where upper[n] {
            let w = words[n]
            let scored = runs.map { run in (run: run, off: abs((centre[run.first!]! + centre[run.last!]!) / 2 - w.centerX)) }
            let single = figures.map { abs(centre[$0]! - w.centerX) }.min() ?? .greatestFiniteMagnitude
            // Runs around the same middle: the fewest columns whose cells hold the whole label.
            func covers(_ run: [Int]) -> Bool { let (l, r) = reach(run); return l <= w.x0 + 1 && w.x1 <= r + 1 }
            guard let best = scored.min(by: { a, b in
                guard abs(a.off - b.off) <= 1 else { return a.off < b.off }
                if covers(a.run) != covers(b.run) { return covers(a.run) }
                return a.run.count < b.run.count
            }), best.off < single, best.off <= max(15, (w.x1 - w.x0) / 2) else { continue }
            columns.headerPlace[n] = best.run
        }
    }

    /// The rows anchored by a code, a total, or a label beside figures, and the tokens of the lines that are
    /// not a row of their own (wrapped names, figures printed off their row), each with its column.
    private func anchoredRows(_ bodyTokens: [[PDFToken]], _ gaps: Gaps, _ columns: Columns) -> ([Row], [(PDFToken, Int)]) {
        func amountColumn(_ t: PDFToken) -> Int? {
            columns.all.indices.filter { columns.all[$0].kind == .amount }.min { abs(columns.all[$0].x1 - t.x1) < abs(columns.all[$1].x1 - t.x1) }
        }
        var rows: [Row] = []
        var loose: [(PDFToken, Int)] = []   // (token, column)
        for tokens in bodyTokens {
            guard let y = tokens.first?.bottom else { continue }
            let hasAmount = tokens.contains { $0.kind == .amount }
            var row = Row(y: y, anchored: false)
            var pending: [(PDFToken, Int)] = []
            for t in tokens {
                if t.kind == .amount {
                    if let c = amountColumn(t) { pending.append((t, c)) }
                    continue
                }
                let g = gaps.gap(t.x0)
                guard let c = columns.labelIndex[g] else { continue }
                let isTotal = t.kind == .text && (t.text.contains("合计") || t.text.contains("总计") || t.text.contains("小计"))
                if t.kind == .code { row.anchored = true; row.codes[c, default: []].append(t); continue }
                if isTotal || hasAmount && namesAUnit(t.text) || !gaps.codedGaps.contains(g) && (hasAmount || startsLabel(t.text)) { row.anchored = true }
                pending.append((t, c))
            }
            if row.anchored {
                for (t, c) in pending { row.cells[c, default: []].append(t) }
                rows.append(row)
            } else if !gaps.codedGaps.isEmpty || pending.contains(where: { $0.0.kind == .amount }) {
                loose += pending
            } else if let last = rows.indices.last, pending.allSatisfy({ $0.0.text.count <= 4 }) {
                // A label wrapped onto the next line in a table without codes.
                for (t, c) in pending { rows[last].cells[c, default: []].append(t) }
            } else if !pending.isEmpty {
                row.anchored = true
                for (t, c) in pending { row.cells[c, default: []].append(t) }
                rows.append(row)
            }
        }
        return (rows, loose)
    }

    /// A stray token joins the nearest row within a line and a half (a figure printed a little off its row,
    /// a wrapped name); farther from every row, its line is a row of its own. A name that fills its column
    /// and goes on over the next line is one block, placed by its middle.
    private func placeLoose(_ loose: [(PDFToken, Int)], into rows: inout [Row], _ gaps: Gaps) {
        let pitch = rowPitch(rows)
        var placedAt: [Int: Double] = [:]   // index in `loose` → the y it is placed by
        let byY = loose.indices.sorted { loose[$0].0.bottom < loose[$1].0.bottom }
        for (a, b) in zip(byY, byY.dropFirst()) {
            let (t, c) = loose[a], (u, d) = loose[b]
            guard t.kind == .text, u.kind == .text, c == d, let right = gaps.labelRight[gaps.gap(t.x0)] else { continue }
            let charWidth = (t.x1 - t.x0) / Double(max(1, t.text.count))
            if t.x1 > right - charWidth * 0.9, u.bottom - t.bottom < pitch, abs(u.x0 - t.x0) <= charWidth * 1.5 {
                let mid = (t.bottom + u.bottom) / 2
                placedAt[a] = mid
                placedAt[b] = mid
            }
        }
        for (i, (t, c)) in loose.enumerated().sorted(by: { $0.1.0.bottom < $1.1.0.bottom }) {
            let y = placedAt[i] ?? t.bottom
            let isAmount = t.kind == .amount
            let candidates = rows.indices.filter { (!isAmount || rows[$0].cells[c] == nil) && abs(rows[$0].y - y) <= pitch * 1.5 }
            if let k = candidates.min(by: { abs(rows[$0].y - y) < abs(rows[$1].y - y) }) {
                rows[k].cells[c, default: []].append(t)
            } else if let k = rows.firstIndex(where: { !$0.anchored && abs($0.y - t.bottom) < 1 }) {
                rows[k].cells[c, default: []].append(t)
            } else {
                var row = Row(y: t.bottom, anchored: false)
                row.cells[c] = [t]
                rows.append(row)
            }
        }
    }

    /// A name that fills its column and ends on a later line (三、单位预留机动经 / 费), in a table whose sides
    /// are printed side by side: the lines of one side's tall cell fall on the rows of another side, so the
    /// end of the name (and the figure, centred in the cell) sits on another row. The end joins the name it
    /// finishes, and a figure of that side printed between the two joins it too, when the name has none of
    /// its own. An end is no label of its own (no list number, no 合计), not indented past the name, and
    /// within a row and a half of it; in columns with codes, words are placed by `placeLoose`. A table of
    /// one side (names in several columns before the figures: 政府采购) keeps its rows as they are.
    private func joinWrappedNames(_ rows: inout [Row], _ gaps: Gaps, _ columns: Columns) {
        // A side: a label column and the amount columns right after it, up to the next label column.
        func side(_ c: Int) -> [Int] { Array(columns.all.indices.drop { $0 <= c }.prefix { columns.all[$0].kind == .amount }) }
        let sides = columns.all.indices.filter { columns.all[$0].kind == .label && !side($0).isEmpty }
        guard sides.count >= 2 else { return }
        let pitch = rowPitch(rows)
        rows.sort { $0.y < $1.y }
        for c in sides {
            let g = columns.all[c].gap
            guard !gaps.codedGaps.contains(g), let right = gaps.labelRight[g] else { continue }
            let side = side(c)
            var last: Int?   // the row of the name above, in this column
            for k in rows.indices {
                guard let cell = rows[k].cells[c], !cell.isEmpty else { continue }
                guard rows[k].codes[c] == nil else { last = k; continue }
                guard let j = last, rows[j].codes[c] == nil, let name = rows[j].cells[c]?.max(by: { $0.bottom < $1.bottom }),
                      let end = cell.min(by: { ($0.bottom, $0.x0) < ($1.bottom, $1.x0) }) else { last = k; continue }
                let charWidth = (name.x1 - name.x0) / Double(max(1, name.text.count))
                let text = cell.map(\.text).joined()
                guard name.kind == .text, end.kind == .text, name.x1 > right - charWidth * 0.9,
                      end.bottom > name.bottom, end.bottom - name.bottom <= pitch * 1.5,
                      end.x0 <= (rows[j].cells[c]?.map(\.x0).min() ?? name.x0) + charWidth * 0.5,
                      !startsLabel(text), !text.contains("合计"), !text.contains("小计"), !text.contains("总计") else { last = k; continue }
                let nameHasFigure = side.contains { rows[j].cells[$0] != nil }
                let figures = side.filter { rows[k].cells[$0] != nil }
                if nameHasFigure && !figures.isEmpty { last = k; continue }
                rows[j].cells[c, default: []] += cell
                rows[k].cells[c] = nil
                for a in figures where rows[k].cells[a]!.allSatisfy({ $0.bottom <= end.bottom + 1 }) {
                    rows[j].cells[a] = rows[k].cells[a]
                    rows[k].cells[a] = nil
                }
                // The side's figure may sit on a row between the two lines, with no name of this side.
                for m in rows.indices where m != j && m != k && rows[m].y > name.bottom && rows[m].y < end.bottom && !nameHasFigure {
                    for a in side where rows[j].cells[a] == nil {
                        if let f = rows[m].cells[a], rows[m].cells[c] == nil {
                            rows[j].cells[a] = f
                            rows[m].cells[a] = nil
                        }
                    }
                }
                last = j
            }
        }
        rows.removeAll { $0.cells.isEmpty && $0.codes.isEmpty }
    }

    /// Written before a name indented under the one above it, once per level (杭州 prints no codes, only
    /// names indented by level: 科学技术支出 / 技术研究与开发 / 科技成果转化与扩散).
    static let indentMark = "\u{3000}"

    /// For each label column without codes whose names start at two or three distinct steps (each no more
    /// than three characters from the last): the level of each starting x. Totals (合计) are left out.
    private func indentLevels(_ rows: [Row], labelIndex: [Int: Int], coded: Set<Int>) -> [Int: [Double: Int]] {
        var out: [Int: [Double: Int]] = [:]
        for c in Set(labelIndex.values).subtracting(coded) {
            let firsts = rows.compactMap { row -> PDFToken? in
                guard let t = row.cells[c]?.min(by: { ($0.bottom, $0.x0) < ($1.bottom, $1.x0) }), t.kind == .text,
                      !(t.text.contains("合计") || t.text.contains("总计")) else { return nil }
                return t
            }
            var steps: [Double] = []
            for x in firsts.map(\.x0).sorted() where steps.last.map({ x - $0 > 1.5 }) ?? true { steps.append(x) }
            guard (2...3).contains(steps.count), let charWidth = firsts.map({ ($0.x1 - $0.x0) / Double(max(1, $0.text.count)) }).min(),
                  zip(steps.dropFirst(), steps).allSatisfy({ $0 - $1 <= charWidth * 3 }) else { continue }
            var levels: [Double: Int] = [:]
            for t in firsts { levels[t.x0] = steps.lastIndex { $0 <= t.x0 + 1.5 } ?? 0 }
            out[c] = levels
        }
        return out
    }

    /// Printed lines closer than 0.8 of a character's height are one row of the table, printed at
    /// different heights: in a tall ruled row each cell centres its own text, so the 类 code, the 款 code
    /// beside the name and the figure sit a few points apart (财政局 2024 决算's 基本支出 table:
    /// `302` at 257.6, `01 办公费` at 264.7). Two rows never come that close: their text would overlap.
    /// A band is placed at the middle of its lines. Only lines that print a figure or a code join a band:
    /// a line of words alone is a wrapped name, which the rows join to their anchor by position (a unit
    /// name centred over two lines beside a one-line project row must not become part of the project).
    static func bands(_ lines: [PDFLine]) -> [PDFLine] {
        let widths = lines.flatMap(\.words).compactMap { w -> Double? in
            w.text.count >= 2 && w.text.allSatisfy(PDFTokens.isCJK) ? (w.x1 - w.x0) / Double(w.text.count) : nil
        }.sorted()
        guard !widths.isEmpty else { return lines }
        let reach = widths[widths.count / 2] * 0.8
        var out: [PDFLine] = []
        var members: [PDFLine] = []
        func close() {
            guard let first = members.first else { return }
            defer { members = [] }
            guard members.count > 1 else { out.append(first); return }
            let middle = members.map(\.bottom).reduce(0, +) / Double(members.count)
            let words = members.flatMap(\.words).map { PDFWord(page: $0.page, x0: $0.x0, x1: $0.x1, top: $0.top, bottom: middle, text: $0.text) }
            out.append(PDFLine(page: first.page, words: words.sorted { $0.x0 < $1.x0 }, bottom: middle))
        }
        var wordsOnly: [PDFLine] = []
        for line in lines {
            guard line.words.contains(where: { $0.text.contains(where: { ("0"..."9").contains($0) }) }) else {
                wordsOnly.append(line)
                continue
            }
            if let first = members.first, line.page != first.page || line.bottom - first.bottom >= reach { close() }
            members.append(line)
        }
        close()
        guard !wordsOnly.isEmpty else { return out }
        // Lines of words go back among the bands in their place: by page, then by height (stable).
        return (out + wordsOnly).enumerated().sorted {
            ($0.element.page, $0.element.bottom, $0.offset) < ($1.element.page, $1.element.bottom, $1.offset)
        }.map(\.element)
    }

    /// The usual distance between rows (the median gap between anchors), 20 points when unknown.
    private func rowPitch(_ rows: [Row]) -> Double {
        let ys = rows.map(\.y).sorted()
        let gaps = zip(ys.dropFirst(), ys).map { $0 - $1 }.filter { $0 > 2 }.sorted()
        return gaps.isEmpty ? 20 : gaps[gaps.count / 2]
    }

    /// 深圳市统计局（本级）, 某某委员会: a unit's row among classified rows, not a wrapped item name.
    private func namesAUnit(_ text: String) -> Bool {
        text.contains("本级") || ["局", "委员会", "办公室", "中心", "院", "处", "所", "站", "队"].contains { text.hasSuffix($0) } && text.count >= 4
    }

    /// A label that begins a row of its own: 一、…, （一）…, 1. …, or any label in a table without codes.
    private func startsLabel(_ text: String) -> Bool { text.count > 4 || text.contains("、") }

    private func overlap(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Double {
        max(0, min(a1, b1) - max(a0, b0))
    }
}
