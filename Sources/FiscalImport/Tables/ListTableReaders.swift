// ListTableReaders.swift — the small tables: “三公”经费 (by item, with 预算数
// and 决算数 where given), 政府采购 and 政府购买服务 (category | amount), the
// Wuhan 基本支出决算明细表 (three side-by-side groups of economic code |
// name | amount), and the performance tables, whose numbers are targets
// (reported as not ingested) apart from each project's 项目总额.

import FiscalData

enum SangongItem {
    /// The item names (FiscalData, shared with the checks).
    private typealias N = SangongNames

    /// The item a header names, and whether it is a total or subtotal: the lowest header cell that names an
    /// item decides (公务用车购置费 under 公务用车购置及运行费 under 财政拨款“三公”经费); 预算数/决算数 name none.
    static func item(_ text: String, leaf: String) -> (String, RowLevel)? {
        let l = foldName(leaf)
        // The group of both car items as the lowest cell (a table that does not split it): the cars' figure.
        if l.contains("购置及运行") { return (N.cars, .subtotal) }
        if l.contains("购置费") || l == "公务用车购" { return (N.carPurchase, .leaf) }
        if l.contains("运行维护") || l.contains("运行费") || l == "公务用车运" { return (N.carRunning, .leaf) }
        var t = foldName(text)
        for phase in ["预算数", "决算数"] { t = t.replacingOccurrences(of: phase, with: "") }
        // The group of both car items, before its words are taken for either.
        for group in ["购置及运行维护费", "购置及运行费"] { t = t.replacingOccurrences(of: group, with: "〔车〕") }
        let keys: [(String, String, RowLevel)] = [
            ("购置费", N.carPurchase, .leaf), ("运行维护费", N.carRunning, .leaf), ("运行费", N.carRunning, .leaf),
            ("小计", N.cars, .subtotal), ("〔车〕", N.cars, .subtotal), ("出国", N.abroad, .leaf), ("接待", N.reception, .leaf),
            ("合计", N.all, .total), ("总额", N.all, .total), ("总计", N.all, .total),
        ]
        let found = keys.compactMap { k in t.range(of: k.0, options: .backwards).map { (at: $0.lowerBound, name: k.1, level: k.2) } }
        if let last = found.max(by: { $0.at < $1.at }) { return (last.name, last.level) }
        return t.contains("公务用车") ? (N.cars, .subtotal) : nil
    }

    /// The phase of a column in a table that gives both 预算数 and 决算数 (a 决算's “三公” table: 预算数 is the
    /// year's adjusted budget, 决算数 the final), from the lowest words of its header; nil in other tables.
    static func phase(_ text: String, both: Bool) -> Phase? {
        guard both else { return nil }
        let t = foldName(text)
        return t.hasSuffix("决算数") ? .final : t.hasSuffix("预算数") ? .adjusted : nil
    }

    /// The fund of a column split by fund under its item (深圳: 一般公共预算 | 政府性基金预算 | 国有资本经营预算
    /// under each item), from the end of its header; nil for a column of all funds.
    static func fund(_ text: String) -> Fund? {
        let t = foldName(text)
        if t.hasSuffix("一般公共预算") { return .general }
        if t.hasSuffix("政府性基金预算") || t.hasSuffix("政府性基金") { return .govfund }
        if t.hasSuffix("国有资本经营预算") { return .soe }
        return nil
    }

    /// A row that is not this year's figures: one of another year (2025年 beside 2026年), or the change
    /// between the years (增减变化金额).
    enum OtherRow: Equatable {
        case year(Int)
        case change(String)
    }

    /// What a row is when it is not this year's figures; nil for a row of this year.
    static func otherRow(_ cells: [String], year: Int) -> OtherRow? {
        for cell in cells.map(foldName) {
            if cell.contains("增减") || cell.contains("变化") || cell.hasPrefix("比上年") { return .change(cell) }
            if cell.count <= 6, cell.hasSuffix("年") || cell.hasSuffix("年度"), let y = Int(cell.prefix { $0.isASCII && $0.isNumber }), (1990...2100).contains(y), y != year {
                return .year(y)
            }
        }
        return nil
    }
}

struct SangongTableReader {
    let table: RawTable

    @discardableResult
    func read(into ctx: DocumentImport) -> Int {
        let layout = TableLayout(table)
        var columns: [(Int, String, RowLevel, Phase?, Fund?)] = []
        var operating: [Int] = []   // a 机关运行经费 column beside the “三公” items (Shanghai budgets)
        let header = layout.columnText.joined()
        let both = header.contains("预算数") && header.contains("决算数")
        // “三公”经费、会议费、培训费支出预算表 (江苏): 会议费 and 培训费 beside the “三公” items, each a measure of
        // its own, and a 合计 over all, which no measure's figure is. (columnText is folded already.)
        let others: [(Int, Measure)] = (0..<layout.width).compactMap { j in
            layout.columnText[j].contains("会议费") ? (j, .meetings) : layout.columnText[j].contains("培训费") ? (j, .training) : nil
        }
        var notRead: [Int: String] = [:]   // column → why its figures are not read
        var items = (0..<layout.width).map { SangongItem.item(layout.columnText[$0], leaf: layout.leafText[$0]) }
        // Columns split by fund (一般公共预算 | 政府性基金预算 | 国有资本经营预算) share the item printed over one of
        // them (总计 centred over the three).
        let funds = (0..<layout.width).map { SangongItem.fund(layout.columnText[$0]) }
        var start = 0
        while start < layout.width {
            var end = start + 1
            if funds[start] != nil {
                while end < layout.width, let f = funds[end], f != funds[start] { end += 1 }
                let named = Set((start..<end).compactMap { items[$0].map { "\($0.0)|\($0.1)" } })
                if named.count == 1, let item = (start..<end).lazy.compactMap({ items[$0] }).first {
                    for j in start..<end { items[j] = item }
                }
            }
            start = end
        }
        for j in 0..<layout.width where !layout.columnText[j].contains("年度") && !others.contains(where: { $0.0 == j }) {
            if layout.columnText[j].contains("机关运行经费") { operating.append(j); continue }
            guard var (name, level) = items[j] else { continue }
            if !others.isEmpty && level == .total && !layout.columnText[j].contains("三公") {
                notRead[j] = "合计 adds 会议费 and 培训费 to the “三公”经费"
                continue
            }
            // A 小计 before 因公出国 is the “三公”经费's own; the one after it, the cars'.
            if level == .subtotal && name == SangongNames.cars && layout.columnText[j].hasSuffix("小计"),
               !items[..<j].contains(where: { $0?.0 == SangongNames.abroad }), items[(j + 1)...].contains(where: { $0?.0 == SangongNames.abroad }) {
                (name, level) = (SangongNames.all, .total)
            }
            columns.append((j, name, level, SangongItem.phase(layout.columnText[j], both: both), SangongItem.fund(layout.columnText[j])))
        }
        // The cars' column of a table that does not split it into 购置费 and 运行费 holds the cars' figure itself.
        if !columns.contains(where: { $0.1 == SangongNames.carPurchase || $0.1 == SangongNames.carRunning }) {
            for k in columns.indices where columns[k].1 == SangongNames.cars && columns[k].2 == .subtotal { columns[k].2 = .leaf }
        }
        // Each column's phase read from its own header, or else (a header with 预算数 and 决算数 over
        // garbled item cells) the Wuhan layout's fixed order.
        if layout.width >= 12 && both && !layout.dataRows.isEmpty && columns.filter({ $0.3 != nil }).count < 12 {
            columns = []
            operating = []
            // Wuhan: 预算数 then 决算数, each 合计 | 因公出国 | 公务用车 小计 | 购置 | 运行 | 公务接待.
            let order: [(String, RowLevel)] = [(SangongNames.all, .total), (SangongNames.abroad, .leaf), (SangongNames.cars, .subtotal),
                                               (SangongNames.carPurchase, .leaf), (SangongNames.carRunning, .leaf), (SangongNames.reception, .leaf)]
            for (k, (name, level)) in order.enumerated() {
                // The 预算数 of this table is the year's adjusted budget (its note says so).
                columns.append((k, name, level, .adjusted, nil))
                columns.append((k + 6, name, level, .final, nil))
            }
            ctx.note(table.captionLine, .decided, "\(table.number): columns read in the layout's fixed order (预算数 as adjusted budget, 决算数 as final); the header cells are garbled")
        }
        let skipped = notRead.keys.sorted().filter { j in layout.dataRows.contains { !$0[j].isEmpty } }
        // Rows of another year and of the change (深圳: 2025年 | 2026年 | 增减变化金额): another year's figures are
        // read as that year's (facts take a year's own document first); a change is checked against the two rows.
        let kinds = layout.dataRows.map { SangongItem.otherRow($0.cells, year: ctx.info.year) }
        let changes = layout.dataRows.indices.filter { if case .change = kinds[$0] { return true } else { return false } }
        let notes = skipped.map { "column \($0 + 1): \(notRead[$0]!)" }
        return ctx.covering(table, rows: layout.dataRows.count,
                            note: { made in notes.isEmpty ? (made == 0 ? table.emptyReason : nil) : "not ingested: " + notes.joined(separator: "; ") }) {
            ctx.cellsSeen += skipped.reduce(0) { n, j in n + layout.dataRows.indices.filter { !changes.contains($0) && !layout.dataRows[$0][j].isEmpty }.count }
            for (r, row) in layout.dataRows.enumerated() where !changes.contains(r) {
                var year: Int? = nil
                if case .year(let y) = kinds[r] {
                    year = y
                    ctx.note(row.line, .decided, "\(table.number): the row of \(y) read as \(y)'s figures, beside this document's \(ctx.info.year)")
                }
                // A table by unit (合计, then a row per unit): the 合计 row's items are the sums of the units' rows.
                let sumsRows = layout.dataRows.count - changes.count > 1 && row.cells.contains { let f = foldName($0); return f.hasPrefix("合计") || f.hasPrefix("总计") }
                for (j, name, level, phase, fund) in columns {
                    guard let amount = ctx.amount(row[j], line: row.line, unit: table.unit, what: "\(table.number) \(name)") else { continue }
                    ctx.emit(.sangong, amount, table: table.name, line: row.line, level: sumsRows && level == .leaf ? .subtotal : level,
                             fund: fund, category: name, phase: phase, year: year)
                }
                for j in operating {
                    guard let amount = ctx.amount(row[j], line: row.line, unit: table.unit, what: "\(table.number) 机关运行经费") else { continue }
                    ctx.emit(.operating, amount, table: table.name, line: row.line)
                }
                for (j, measure) in others {
                    guard let amount = ctx.amount(row[j], line: row.line, unit: table.unit, what: "\(table.number) \(measure.chinese)") else { continue }
                    ctx.emit(measure, amount, table: table.name, line: row.line, level: sumsRows ? .subtotal : .leaf,
                             phase: SangongItem.phase(layout.columnText[j], both: both), year: year)
                }
            }
            // A change row: this year's row less the other year's, cell by cell.
            let this = layout.dataRows.indices.filter { kinds[$0] == nil }, other = layout.dataRows.indices.filter {
                if case .year = kinds[$0] { return true } else { return false }
            }
            for r in changes {
                ctx.checkChanges(layout.dataRows[r], now: this.count == 1 ? layout.dataRows[this[0]] : nil,
                                 before: other.count == 1 ? layout.dataRows[other[0]] : nil, table: table)
            }
        }
    }
}

/// Category | amount tables: 政府采购 (C-服务 961.31), 政府购买服务.
struct CategoryTableReader {
    let table: RawTable
    let measure: Measure

    @discardableResult
    func read(into ctx: DocumentImport) -> Int {
        let layout = TableLayout(table)
        // The figures' column: the rightmost that holds one. A line with no figure there is a name wrapped
        // from its row (a cell of words in a column of names), not a cell to read.
        let figures = layout.dataRows.flatMap { row in row.cells.indices.filter { !row.cells[$0].isEmpty && (try? Money.parse(row.cells[$0])) != nil } }.max()
        // The rows with a figure: the figure's column, and the depth of the row's label (the column it starts in:
        // 江苏's 政府采购 table is an outline, 品目大类 | 专项名称 | 经济科目 | 采购物品名称, each level a column
        // further right, and each row the sum of the deeper rows after it).
        var rows: [(row: RawRow, figure: Int, depth: Int)] = []
        for row in layout.dataRows {
            if figures != nil && !TableLayout.isData(row) { continue }   // words alone
            guard let j = figures.flatMap({ row[$0].isEmpty ? nil : $0 }) ?? row.cells.lastIndex(where: { !$0.isEmpty }), j > 0 else { continue }
            rows.append((row, j, row.cells[..<j].firstIndex(where: { !$0.isEmpty }) ?? 0))
        }
        return ctx.covering(table, rows: layout.dataRows.count, note: { $0 == 0 ? (table.notes.first?.text ?? "no figures in the table") : nil }) {
            // The category of an outline's deeper rows is that of the top row above them (一、货物A: 货物).
            var top: String? = nil
            for (n, (row, j, depth)) in rows.enumerated() {
                let label = row.cells[depth]
                guard let amount = ctx.amount(row[j], line: row.line, unit: table.unit, what: "\(table.number) \(label)") else { continue }
                let folded = foldName(label)
                let total = folded.contains("合计") || folded.contains("总计")
                let category = Self.kind(label)
                if depth == 0 { top = total ? nil : category }
                let parent = n + 1 < rows.count && rows[n + 1].depth > depth
                ctx.emit(measure, amount, table: table.name, line: row.line, level: total ? .total : parent ? .subtotal : .leaf,
                         category: total ? nil : depth == 0 ? category : top ?? category)
            }
        }
    }

    /// The kind a label names: C-服务 → 服务, 一、货物A → 货物 (a list number before, a letter after); other
    /// labels as they are.
    static func kind(_ label: String) -> String {
        var k = Substring(label.split(separator: "-", maxSplits: 1).last ?? Substring(label))
        if let comma = k.firstIndex(of: "、"), k[..<comma].allSatisfy({ "一二三四五六七八九十".contains($0) }) { k = k[k.index(after: comma)...] }
        let trimmed = k.reversed().drop { $0.isASCII && $0.isLetter }
        return trimmed.isEmpty ? label : String(trimmed.reversed())
    }
}

/// Wuhan 一般公共预算财政拨款基本支出决算明细表: groups of (code, name, amount) side by side;
/// the first group is 人员经费, the others 公用经费. Codes that lost a digit are repaired by name.
struct EconDetailTableReader {
    let table: RawTable

    @discardableResult
    func read(into ctx: DocumentImport) -> Int {
        let layout = TableLayout(table)
        let groups = stride(from: 0, to: layout.width - 2, by: 3).map { $0 }
        var parents: [Int: Code] = [:]
        return ctx.covering(table, rows: layout.dataRows.count, note: { _ in nil }) {
            for row in layout.dataRows {
                let joined = foldName(row.cells.joined())
                if joined.contains("合计") {
                    // 人员经费合计 … 公用经费合计: the first amount is personnel, the last public.
                    let amounts = row.cells.enumerated().filter { (try? Money.parse($0.element)) != nil && !$0.element.isEmpty }
                    if let p = amounts.first, let a = ctx.amount(p.element, line: row.line, unit: table.unit, what: "人员经费合计") {
                        ctx.emit(.spending, a, table: table.name, line: row.line, level: .total, nature: .basic, fund: .general, cost: .personnel)
                    }
                    if amounts.count > 1, let p = amounts.last, let a = ctx.amount(p.element, line: row.line, unit: table.unit, what: "公用经费合计") {
                        if p.offset != groups.last.map({ $0 + 2 }) && p.offset != 5 {
                            ctx.note(row.line, .repaired, "公用经费合计 found in column \(p.offset + 1), shifted out of its place")
                        }
                        ctx.emit(.spending, a, table: table.name, line: row.line, level: .total, nature: .basic, fund: .general, cost: .public)
                    }
                    continue
                }
                for g in groups {
                    let digits = row[g].filter { !$0.isWhitespace }
                    let name = row[g + 1]
                    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                        if !row[g + 2].isEmpty { ctx.note(row.line, .unreadable, "\(table.number): amount \(row[g + 2]) has no economic code beside it") }
                        continue
                    }
                    var code = Code(digits, scheme: .econDept)
                    if code == nil {
                        switch ctx.catalog.repair(digits: digits, name: name, scheme: .econDept, under: parents[g]) {
                        case .success(let r): code = r.code; ctx.note(row.line, .repaired, r.notes.joined(separator: "; "))
                        case .failure(let e):
                            if !row[g + 2].isEmpty { ctx.note(row.line, .unreadable, "economic code \(digits) \(name): \(e); its amount \(row[g + 2]) is kept without a code") }
                        }
                    }
                    if let c = code { if c.level == .class { parents[g] = c }; ctx.sawName(c, name, line: row.line) }
                    guard let amount = ctx.amount(row[g + 2], line: row.line, unit: table.unit, what: "\(table.number) \(name)") else { continue }
                    ctx.emit(.spending, amount, table: table.name, line: row.line, level: code?.level == .class ? .subtotal : .leaf,
                             econDept: code, nature: .basic, fund: .general, cost: g == 0 ? .personnel : .public,
                             category: code == nil ? name : nil)
                }
            }
        }
    }
}

/// Performance tables: their numbers are targets (件, %, 天), except each project's 项目总额, which
/// becomes a statement of the project's spending (checked against the project table's rows).
struct PerformanceTableReader {
    let table: RawTable

    func read(into ctx: DocumentImport) {
        let layout = TableLayout(table)
        let numeric = layout.dataRows.reduce(0) { n, row in n + row.cells.filter { !$0.isEmpty && (try? Money.parse($0)) != nil }.count }
        let name = (0..<layout.width).first { layout.leafText[$0].contains("项目名称") }
        let total = (0..<layout.width).first { layout.columnText[$0].contains("项目总额") }
        var read = 0, repeats = 0
        var seen: [String: (line: Int, amount: Money)] = [:]
        if let name, let total {
            // A project row names the project by its id ("11010122T00000402024-…"); target rows shifted left
            // put indicator text and units (%, 次/年) under these headers.
            for row in layout.dataRows where projectID(row[name]) != nil && !row[total].isEmpty {
                guard let amount = ctx.amount(row[total], line: row.line, unit: table.unit, what: "\(table.number) 项目总额") else { continue }
                // A project whose targets run onto the next page is printed again under the repeated header.
                if let first = seen[row[name]], first.amount == amount {
                    ctx.note(row.line, .repaired, "\(table.number): the project of line \(first.line) printed again after a page break; read once")
                    repeats += 1
                    continue
                }
                seen[row[name]] = (row.line, amount)
                ctx.emit(.spending, amount, table: table.name, line: row.line, nature: .project, project: projectName(row[name]))
                read += 1
            }
        }
        let targets = numeric - read - repeats
        let note = read == 0
            ? "not ingested: \(numeric) numeric cells are performance targets and project totals that restate the project table"
            : "\(read) project totals (项目总额) read" + (repeats > 0 ? ", \(repeats) repeated after a page break read once" : "") + "; not ingested: \(targets) numeric cells are performance targets (数量, 质量, 时效, 成本 …)"
        ctx.cover(table.captionLine, table.name, rows: layout.dataRows.count, made: read, note: note)
    }

    /// "11010122T00000402024-东城区“接诉即办”专项工作经费" → the name after the project id, without the
    /// spaces extraction put inside it.
    private func projectName(_ cell: String) -> String {
        let t = cell.filter { !$0.isWhitespace }
        guard let id = projectID(cell) else { return t }
        return String(t.dropFirst(id.count + 1))
    }

    /// The project id before the name's dash (ten or more letters and digits), if the cell starts with one.
    private func projectID(_ cell: String) -> String? {
        let t = cell.filter { !$0.isWhitespace }
        guard let dash = t.firstIndex(of: "-") else { return nil }
        let id = t[..<dash]
        return id.count >= 10 && id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? String(id) : nil
    }
}
