// SummaryTableReader.swift — reads the two-sided summary tables (收支总表,
// 收入支出决算总表, 财政拨款收支总表): income items on the left, spending by
// 类 on the right, each side a label column followed by its amount columns
// (行/行次 line-number columns skipped). Spending lines are matched to the
// catalogue's names: a 类 by its name and, where the table goes on below it by
// name only (深圳, 杭州: 款 and 项 indented, with no code), a 款 among the 类's
// and a 项 among the 款's; a line with lines of its own below it is their
// subtotal. Totals (合计/总计) are totals; a balance carried to next year
// (年末结转和结余, 结转下年) is a figure of its own measure, never spending.

import FiscalData

struct SummaryTableReader {
    let table: RawTable

    @discardableResult
    func read(into ctx: DocumentImport) -> Int {
        let layout = TableLayout(table)
        let labels = (0..<layout.width).filter { j in
            let t = layout.columnText[j]
            // 项目 heads a label column; 项目支出 is an amount column (a 单位预算's 本年支出 side).
            if t.contains("项目") && !t.contains("项目支出") || (t.isEmpty && layout.dataRows.contains { isLabel($0[j]) }) { return true }
            // A column of names under another header (功能科目名称): its cells are words, not figures.
            let filled = layout.dataRows.map { $0[j] }.filter { !$0.isEmpty }
            let words = !filled.isEmpty && filled.allSatisfy { isLabel($0) && (try? Money.parse($0)) == nil }
            // Or headed by its side (收入 | 金额 | 支出 | 金额), however few its rows.
            return words && (filled.count >= 3 || ["收入", "支出", "收入项目", "支出项目"].contains(t))
        }
        guard let first = labels.first else {
            ctx.cover(table.captionLine, table.name, rows: layout.dataRows.count, made: 0, note: "no 项目 label columns found; not read")
            ctx.note(table.captionLine, .unreadable, "\(table.number): cannot find the label columns of a summary table")
            return 0
        }
        // Each side: its label column and the amount columns up to the next label column.
        var sides: [(label: Int, amounts: [AmountColumn], income: Bool)] = []
        // Columns of another year (上年预算数 beside 本年) or of the change: said in the report, not read.
        var unread = UnreadColumns()
        var changes: [Int] = []   // columns of the change between the years
        for (k, l) in labels.enumerated() {
            let end = k + 1 < labels.count ? labels[k + 1] : layout.width
            var amounts: [AmountColumn] = []
            for j in (l + 1)..<max(l + 1, end) where !isLineNumber(j, layout) {
                switch AmountColumns.meaning(index: j, text: layout.columnText[j], leaf: layout.leafText[j], year: ctx.info.year) {
                case .amount(let c): amounts.append(c)
                case .restatement(let why): unread.add(j, why, layout)
                case .change: changes.append(j)
                }
            }
            sides.append((l, amounts, l == first && labels.count > 1))
        }
        let rows = layout.dataRows
        let lines = sides.map { side in
            side.income ? [] : spendingLines(rows, label: side.label, amount: side.amounts.first?.index, unit: table.unit, ctx.catalog)
        }
        return ctx.covering(table, rows: rows.count,
                            note: unread.note(table)) {
            ctx.cellsSeen += unread.cells
            for (r, row) in rows.enumerated() {
                for (k, side) in sides.enumerated() {
                    // A total's label printed across sides (支出合计 over the 功能分类 side, its figure under 支出用途).
                    let own = stripOrdinal(row[side.label])
                    let label = own.isEmpty ? sides.lazy.filter { $0.income == side.income }.map { stripOrdinal(row[$0.label]) }
                        .first { Self.isTotalLabel(foldName($0)) } ?? "" : own
                    let next = r + 1 < rows.count ? rows[r + 1][side.label] : ""
                    for c in side.amounts {
                        guard let amount = ctx.amount(row[c.index], line: row.line, unit: table.unit, what: "\(table.number) \(label.isEmpty ? "column \(c.index + 1)" : label)") else { continue }
                        let folded = foldName(label)
                        var level: RowLevel = c.level
                        if folded.contains("合计") || folded.contains("总计") { level = .total }
                        else if folded.contains("小计") || Self.opensSublist(row[side.label], next: next) { level = .subtotal }
                        if side.income {
                            // The line's fund, unless the column names its own: a 财政拨款 column's lines name theirs.
                            // A total or 小计 is of every fund of its column, no line's.
                            let named = fund(of: folded)
                            let f = c.fund == nil || c.fund == .appropriation && named != .other ? named : c.fund!
                            ctx.emit(.income, amount, table: table.name, line: row.line, level: level,
                                     fund: Self.isTotalLabel(folded) ? c.fund : f == .other && c.fund == .appropriation ? .appropriation : f,
                                     category: label.isEmpty ? nil : label, phase: c.phase, year: c.year)
                        } else if level != .total, folded.contains("结转") || folded.contains("结余") {
                            // The all-funds balance is the balance's total; a fund's column (财政拨款 tables) is part of it.
                            let balanceLevel: RowLevel = level != .leaf ? .subtotal : c.fund == nil ? .total : .leaf
                            ctx.emit(.balance, amount, table: table.name, line: row.line, level: balanceLevel, fund: c.fund,
                                     category: label.isEmpty ? nil : label, phase: c.phase, year: c.year)
                        } else if level == .leaf, let code = lines[k][r].code {
                            if !lines[k][r].named && c.index == side.amounts.first?.index {
                                ctx.note(row.line, .unreadable, "\(table.number) spending line \"\(label)\" (printed without a code) is not in the catalogue; its figures are kept under \(code.text)")
                            }
                            ctx.emit(.spending, amount, table: table.name, line: row.line, level: lines[k][r].level, function: code,
                                     nature: c.nature, fund: c.fund, cost: c.cost, category: lines[k][r].named ? nil : label, phase: c.phase, year: c.year)
                        } else if level == .leaf, let nature = Nature.allCases.first(where: { folded == foldName($0.chinese) }) {
                            // Spending by use beside spending by class (江苏: 一、基本支出 二、项目支出).
                            ctx.emit(.spending, amount, table: table.name, line: row.line, level: .leaf, nature: nature, fund: c.fund, phase: c.phase, year: c.year)
                        } else {
                            if level == .leaf { ctx.note(row.line, .unreadable, "\(table.number) spending line \"\(label)\" names no 类 in the catalogue; kept without a code") }
                            ctx.emit(.spending, amount, table: table.name, line: row.line, level: level, fund: c.fund,
                                     category: label.isEmpty ? nil : label, phase: c.phase, year: c.year)
                        }
                    }
                }
            }
            let byIndex = Dictionary(uniqueKeysWithValues: sides.flatMap(\.amounts).map { ($0.index, $0) })
            for j in changes { ctx.checkChangeColumn(j, rows, columns: byIndex, table: table) }
        }
    }

    /// What a line of a spending side is: its code (the code it names, or the 类 it lies under when the catalogue
    /// knows no code of its name), and whether it is a leaf or its sublines' subtotal.
    private struct SpendingLine {
        var code: Code?
        var level: RowLevel = .leaf
        var named = true
    }

    /// The lines of a spending side. A line is its sublines' subtotal when the next line is one of them. A 类
    /// followed by lines whose names the catalogue does not know (杭州 prints its 款 and 项 by name only, with
    /// codes nowhere) is read by its figures in column `amount`: each 款 followed by the 项 that add up to it,
    /// the 款 adding up to the 类; where exactly one reading fits, each such line lies under the 类, a 款 with
    /// 项 under it their subtotal (names indented by level say it without the figures). Otherwise they stay
    /// lines of no code.
    private func spendingLines(_ rows: [RawRow], label: Int, amount: Int?, unit: AmountUnit, _ catalog: Catalog) -> [SpendingLine] {
        let codes = functionCodes(rows.map { $0[label] }, catalog)
        var out = codes.indices.map { r in
            SpendingLine(code: codes[r], level: codes[r].map { c in
                r + 1 < codes.count && codes[r + 1].map { c.contains($0) && $0 != c } == true
            } == true ? .subtotal : .leaf)
        }
        guard let amount else { return out }
        func units(_ r: Int) -> Int64? {
            rows[r][amount].trimmed().isEmpty ? 0 : (try? Money.parse(rows[r][amount], unit: unit))?.money.units
        }
        var r = 0
        while r < rows.count {
            guard let c = codes[r], c.level == .class else { r += 1; continue }
            var end = r + 1
            while end < rows.count, codes[end] == nil, isPlainName(rows[end][label]) { end += 1 }
            let run = Array((r + 1)..<end)
            // Indented names (as the PDF reader marks them) say their level; else the figures do.
            var levels: [RowLevel]? = nil
            if run.contains(where: { rows[$0].indent(label) > 0 }) {
                levels = run.indices.map { n in n + 1 < run.count && rows[run[n + 1]].indent(label) > rows[run[n]].indent(label) ? .subtotal : .leaf }
            } else if let total = units(r), case let figures = run.compactMap(units), figures.count == run.count {
                levels = Self.levels(figures, total: total)
            }
            if !run.isEmpty, let levels {
                out[r].level = .subtotal
                for (n, i) in run.enumerated() { out[i] = SpendingLine(code: c, level: levels[n], named: false) }
            }
            r = max(end, r + 1)
        }
        return out
    }

    /// A spending line's label that names something: not empty, no total or balance, no 基本/项目支出.
    private func isPlainName(_ cell: String) -> Bool {
        let folded = foldName(stripOrdinal(cell))
        return !folded.isEmpty && !Self.isTotalOrBalance(folded) && !Nature.allCases.contains(where: { folded == foldName($0.chinese) })
    }

    /// A folded label of a total or a balance line (合计, 总计, 结转, 结余), which ends a run of names.
    private static func isTotalOrBalance(_ folded: String) -> Bool {
        ["合计", "总计", "结转", "结余"].contains(where: { folded.contains($0) })
    }

    /// The 款 and 项 of a 类's lines in print order, from their figures (in units) alone: each 款 followed by
    /// the 项 that add up to it, the 款 adding up to `total`, each sum within (n+1)·0.005 万元 for n parts. The
    /// levels of the one reading that fits (a 款 with 项: subtotal), or nil when none or several do.
    static func levels(_ figures: [Int64], total: Int64) -> [RowLevel]? {
        let half = Money.roundingTolerance.units / 2
        var found: [[RowLevel]] = [], steps = 0
        func walk(_ i: Int, _ sum: Int64, _ parts: Int, _ levels: [RowLevel]) {
            steps += 1
            guard steps < 10_000, found.count < 2 else { return }
            if i == figures.count {
                if abs(sum - total) <= Int64(parts + 1) * half { found.append(levels) }
                return
            }
            walk(i + 1, sum + figures[i], parts + 1, levels + [.leaf])
            var under: Int64 = 0
            for m in 1..<(figures.count - i) {
                under += figures[i + m]
                if abs(under - figures[i]) <= Int64(m + 1) * half {
                    walk(i + m + 1, sum + figures[i], parts + 1, levels + [.subtotal] + Array(repeating: .leaf, count: m))
                }
            }
        }
        walk(0, 0, 0, [])
        return found.count == 1 ? found[0] : nil
    }

    /// The functional code each label of a spending side names: a 类 by its name; a 款 by its name among the
    /// 款 of the 类 last named, a 项 among the 项 of the 款 last named. A total or balance line ends the run.
    private func functionCodes(_ labels: [String], _ catalog: Catalog) -> [Code?] {
        var cls: Code?, section: Code?
        return labels.map { cell in
            let folded = foldName(stripOrdinal(cell))
            guard !folded.isEmpty else { return nil }
            if Self.isTotalOrBalance(folded) { cls = nil; section = nil; return nil }
            let named = catalog.codes(named: folded, scheme: .function)
            if let c = named.first(where: { $0.level == .class }) { cls = c; section = nil; return c }
            // One code of that name under the line above, or none: a name the catalogue gives twice there is not guessed.
            func only(_ level: CodeLevel, under parent: Code?) -> Code? {
                guard let parent else { return nil }
                let found = named.filter { $0.level == level && parent.contains($0) }
                return found.count == 1 ? found[0] : nil
            }
            if let item = only(.item, under: section) { return item }
            if let k = only(.section, under: cls) { section = k; return k }
            return nil
        }
    }

    private func isLabel(_ cell: String) -> Bool {
        cell.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    /// A 行/行次 column: its header says so and its cells are whole numbers (or garbage).
    private func isLineNumber(_ j: Int, _ layout: TableLayout) -> Bool {
        let t = layout.columnText[j]
        guard t.contains("行") || t.contains("次") else { return false }
        return !(t.contains("预算") || t.contains("决算") || t.contains("金额") || t.contains("小计"))
    }

    /// 一、财政拨款 over （一）… or 1.…: a line numbered 一、 whose next line is numbered in a lower style is
    /// the sublines' subtotal (1、 under 1、 is a sibling, not a part).
    static func opensSublist(_ label: String, next: String) -> Bool {
        let t = label.trimmingCharacters(in: .whitespaces.union(["\u{3000}"]))
        let n = next.trimmingCharacters(in: .whitespaces.union(["\u{3000}"]))
        guard let comma = t.firstIndex(of: "、"), comma > t.startIndex, t[..<comma].allSatisfy({ "一二三四五六七八九十".contains($0) }) else { return false }
        return n.hasPrefix("（") || n.hasPrefix("(") || n.first.map { ("0"..."9").contains($0) } == true
    }

    /// 合计, 总计, 小计: a line that adds other lines up.
    static func isTotalLabel(_ folded: String) -> Bool {
        ["合计", "总计", "小计"].contains { folded.contains($0) }
    }

    private func fund(of label: String) -> Fund {
        if label.contains("结转") || label.contains("结余") { return .carryover }
        if label.contains("一般公共预算") { return .general }
        if label.contains("政府性基金") { return .govfund }
        if label.contains("国有资本") { return .soe }
        if label.contains("财政拨款") { return .appropriation }
        return .other
    }
}

/// "二十一、国有资本经营预算支出" → "国有资本经营预算支出"; "（一）一般公共预算资金" → "一般公共预算资金". An ordinal
/// has at least one numeral: a leading "、" or "（）" is left as it is.
func stripOrdinal(_ s: String) -> String {
    var t = s.trimmed()
    let numerals = "一二三四五六七八九十百0123456789"
    if let comma = t.firstIndex(of: "、"), comma > t.startIndex, t[..<comma].allSatisfy({ numerals.contains($0) }), t.distance(from: t.startIndex, to: comma) <= 4 {
        t = String(t[t.index(after: comma)...])
    }
    for (open, close) in [("（", "）"), ("(", ")")] where t.hasPrefix(open) {
        if let r = t.firstIndex(of: Character(close)), r > t.index(after: t.startIndex), t[t.index(after: t.startIndex)..<r].allSatisfy({ numerals.contains($0) }) {
            t = String(t[t.index(after: r)...])
        }
    }
    return t.trimmed()
}
