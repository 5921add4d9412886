// CodedTableReader.swift — reads the tables whose rows are classified by
// codes: Wuhan's func tables (code | name | amounts), Beijing's "CODE-NAME"
// cells by func × economic class (支出预算总表, 项目支出表, 基本支出表,
// 财政拨款支出表), and Beijing's income table by unit code. One statement per
// non-empty amount cell, with the row's codes and the column's meaning.
// Damaged codes are repaired from the catalogue and reported; a row that is
// a 类 or 款 with its 项 below it is a subtotal, a 合计 row a total.

import FiscalData

struct CodedTableReader {
    let table: RawTable
    let measure: Measure
    /// Fund, nature or cost every figure of the table has (from its title).
    var tableFund: Fund? = nil
    var tableNature: Nature? = nil

    private enum DescriptorKind { case funcCode, codeName, unitCode, projectName, itemName, name, other }

    /// A data row as read: its codes, label, and what it is (a total, a group of the rows below it).
    private struct Parsed {
        let row: RawRow
        var function: Code?, econDept: Code?, econGov: Code?
        var project: String?
        /// The item a row of a table of income names (项目名称 | 金额: 一般公共预算…收入), and the fund its name
        /// says (the vocabulary's words for a fund column: 一般公共预算, 政府性基金 …).
        var category: String?
        var fund: Fund?
        var isTotal: Bool
        var isGroup: Bool
        var unitRow = false
        /// The indent of its name (names printed without codes), nil when not indented.
        var level: Int? = nil
        var label = ""
        /// A total's own cost when its label names one (人员经费合计 | 公用经费合计 closing a basic table).
        var cost: Cost? { isTotal ? Cost.allCases.first { foldName(label).contains($0.chinese) } : nil }
    }

    /// Reads the table into `ctx`; returns the number of statements made.
    @discardableResult
    func read(into ctx: DocumentImport) -> Int {
        let layout = TableLayout(table)
        if let stacked = sidesStacked(layout) {
            return CodedTableReader(table: stacked, measure: measure, tableFund: tableFund, tableNature: tableNature).read(into: ctx)
        }
        var columns: [Int: AmountColumn] = [:]
        var kinds: [Int: DescriptorKind] = [:]
        var unread = UnreadColumns()
        var changes: [Int] = []   // columns of the change between the years
        for j in 0..<layout.width {
            let kind = descriptor(j, layout)
            if kind != .other { kinds[j] = kind; continue }
            guard layout.dataRows.contains(where: { !$0[j].isEmpty }) || !layout.columnText[j].isEmpty else { continue }
            switch AmountColumns.meaning(index: j, text: layout.columnText[j], leaf: layout.leafText[j], year: ctx.info.year) {
            case .amount(var c):
                if c.nature == nil { c.nature = tableNature }
                if c.fund == nil { c.fund = tableFund }
                columns[j] = c
            case .restatement(let why):
                unread.add(j, why, layout)
            case .change:
                changes.append(j)
            }
        }
        // A 小计 of no nature right before the 人员经费 | 公用经费 of 基本支出 is their group's subtotal, whose label a
        // PDF printed over the parts only (杭州 表5: 基本支出 over 人员经费, beside 小计 and 日常公用支出).
        for (j, c) in columns where c.nature == nil && c.level == .subtotal && foldName(layout.leafText[j]) == "小计" {
            let next = columns.keys.filter { $0 > j }.sorted().prefix(2).compactMap { columns[$0] }
            if next.count == 2, next.allSatisfy({ $0.nature == .basic && $0.cost != nil }) { columns[j]?.nature = .basic }
        }
        // First pass: each row's codes, label and cells.
        var parsed: [Parsed] = []
        var lastByDigits: [Int: Code] = [:]
        let indented = layout.dataRows.contains { !$0.indents.isEmpty }
        for row in layout.dataRows {
            var p = Parsed(row: row, function: nil, econDept: nil, econGov: nil, project: nil, category: nil, fund: nil, isTotal: false, isGroup: false)
            var label = ""
            for (j, kind) in kinds.sorted(by: { $0.key < $1.key }) {
                let cell = row[j]
                switch kind {
                case .funcCode:
                    let digits = cell.filter { !$0.isWhitespace }
                    if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                        let name = kinds.filter({ $0.value == .name && $0.key > j }).map(\.key).min().map { row[$0] } ?? ""
                        // A column headed 科目编码 may hold economic codes (一般公共预算支出明细表(按经济分类科目)): no
                        // functional class begins with 3 or 5, and every economic code does.
                        let scheme: CodeScheme = digits.hasPrefix("3") ? .econDept : digits.hasPrefix("5") ? .econGov : .function
                        let c = code(digits, name: name, scheme: scheme, row: row, last: &lastByDigits, ctx: ctx)
                        switch scheme {
                        case .function: p.function = c
                        case .econDept: p.econDept = c
                        case .econGov: p.econGov = c
                        }
                    } else {
                        label += cell
                    }
                case .codeName:
                    if let (c, name) = splitCodeName(cell, row: row, ctx: ctx, last: &lastByDigits) {
                        switch c.scheme {
                        case .function: p.function = c
                        case .econDept: p.econDept = c
                        case .econGov: p.econGov = c
                        }
                        ctx.sawName(c, name, line: row.line)
                    } else if !cell.isEmpty, (try? Money.parse(cell)) != nil {
                        ctx.note(row.line, .unreadable, "\(table.number) column \(j + 1) (\(layout.columnText[j])) holds \"\(cell)\", not a code: a cell shifted out of place; the row is kept without this code")
                    } else {
                        label += cell
                    }
                case .unitCode:
                    if cell.count <= 3 && !cell.isEmpty { p.isGroup = true }
                case .projectName:
                    // 合计 (小计) printed in the project column is the table's total (a subtotal), not a project.
                    if ["合计", "总计", "小计"].contains(where: foldName(cell).contains) { label += cell } else { p.project = cell.isEmpty ? nil : cell }
                case .itemName:
                    // 小计 (合计) printed where the items are is a subtotal (a total) of them, not an item.
                    label += cell
                    if foldName(cell) == "小计" { p.isGroup = true }
                    else if !cell.isEmpty && !["合计", "总计"].contains(where: foldName(cell).contains) {
                        p.category = cell
                        if case .amount(let c) = AmountColumns.meaning(index: j, text: cell, leaf: cell) { p.fund = c.fund }
                    }
                case .name:
                    label += cell
                case .other:
                    break
                }
            }
            let folded = foldName(label)
            p.label = label
            if indented, let j = kinds.filter({ $0.value == .name || $0.value == .codeName }).keys.min() { p.level = row.indent(j) }
            let uncoded = p.function == nil && p.econDept == nil && p.econGov == nil
            p.isTotal = uncoded && (folded.contains("合计") || folded.contains("总计"))
            // A row naming the unit itself (深圳市统计局（本级）) above classified rows totals them.
            if uncoded && !p.isTotal && !folded.isEmpty && folded.contains(foldName(ctx.info.unit)) && kinds.values.contains(.codeName) { p.unitRow = true }
            parsed.append(p)
        }
        // A code with a deeper code of the same scheme below it in the table is a subtotal.
        classifyByIndent(&parsed, ctx: ctx)
        let funcs = parsed.compactMap(\.function)
        let econs = parsed.filter { $0.function == nil }.compactMap(\.econDept)
        if !funcs.isEmpty { for k in parsed.indices where parsed[k].unitRow { parsed[k].isGroup = true } }
        return ctx.covering(table, rows: layout.dataRows.count,
                            note: unread.note(table)) {
            ctx.cellsSeen += unread.cells
            for p in parsed {
                var level: RowLevel = p.isTotal ? .total : .leaf
                if let f = p.function, funcs.contains(where: { $0 != f && f.contains($0) }) { level = .subtotal }
                // The same for economic classes in a table classified by economic code alone (301 above 30101).
                if p.function == nil, let e = p.econDept, econs.contains(where: { $0 != e && e.contains($0) }) { level = .subtotal }
                if p.isGroup { level = .subtotal }
                for (j, c) in columns.sorted(by: { $0.key < $1.key }) {
                    guard let amount = ctx.amount(p.row[j], line: p.row.line, unit: table.unit, what: "\(table.number) column \(j + 1)") else { continue }
                    let cellLevel: RowLevel = level == .total ? .total : (c.level == .subtotal ? .subtotal : level)
                    ctx.emit(c.measure ?? measure, amount, table: table.name, line: p.row.line, level: cellLevel,
                             function: p.function, econDept: p.econDept, econGov: p.econGov,
                             nature: c.nature, fund: c.fund ?? p.fund, cost: c.cost ?? p.cost, project: p.project, category: c.category ?? p.category,
                             phase: c.phase, year: c.year)
                }
            }
            for j in changes { ctx.checkChangeColumn(j, parsed.map(\.row), columns: columns, table: table) }
        }
    }

    /// Names printed without codes but indented by level (杭州: 类 / 款 / 项 as 0, 1, 2 indents): each name is
    /// resolved in the catalogue under the code above it where the catalogue has it; a name with deeper names
    /// below it is a subtotal either way, so that only the deepest names are added.
    private func classifyByIndent(_ parsed: inout [Parsed], ctx: DocumentImport) {
        guard parsed.contains(where: { $0.level != nil }), !parsed.contains(where: { $0.function != nil }) else { return }
        var above: [Int: Code] = [:]   // the code resolved at each level, for the names under it
        // Names of functional classes at the top level, or else not functional names at all (units, sources).
        let functional = parsed.contains { $0.level == 0 && !ctx.catalog.codes(named: $0.label, scheme: .function).filter { $0.level == .class }.isEmpty }
        for k in parsed.indices where !parsed[k].isTotal {
            guard let level = parsed[k].level, !parsed[k].label.isEmpty else { continue }
            let next = parsed[(k + 1)...].first { !$0.isTotal && $0.level != nil }
            if let deeper = next?.level, deeper > level { parsed[k].isGroup = true }
            guard functional else { continue }
            let want: CodeLevel = level == 0 ? .class : level == 1 ? .section : .item
            let candidates = ctx.catalog.codes(named: parsed[k].label, scheme: .function).filter { $0.level == want }
            let code = level == 0 ? candidates.first : candidates.first { c in above[level - 1].map { $0.contains(c) } ?? false }
            above = above.filter { $0.key < level }
            if let code {
                above[level] = code
                parsed[k].function = code
            } else if let parent = above.filter({ $0.key < level }).max(by: { $0.key < $1.key })?.value {
                // Classified as far as the catalogue goes: under the nearest name above it that it knows.
                parsed[k].function = parent
                ctx.note(parsed[k].row.line, .unreadable, "\(table.number): \(parsed[k].label) (level \(level + 1), printed without a code) is not in the catalogue; its figures are kept under \(parent.text)")
            } else {
                ctx.note(parsed[k].row.line, .unreadable, "\(table.number): \(parsed[k].label) (level \(level + 1), printed without a code) is not in the catalogue under its parent; kept without a code")
            }
        }
    }

    /// A two-sided table (an economic table printed as 工资福利支出 | 商品和服务支出 side by side: code-name,
    /// amounts, code-name, amounts) as one side: each row's right half becomes a row of its own, after all
    /// the left halves, under the left side's header. Nil when the table has one side.
    private func sidesStacked(_ layout: TableLayout) -> RawTable? {
        let starts = (0..<layout.width).filter { descriptor($0, layout) == .codeName }
        guard starts.count >= 2 else { return nil }
        let width = starts[1] - starts[0]
        guard starts.indices.allSatisfy({ k in (k + 1 < starts.count ? starts[k + 1] : layout.width) - starts[k] <= width }) else { return nil }
        func side(_ row: RawRow, _ k: Int) -> RawRow {
            RawRow(line: row.line, cells: (0..<width).map { row[starts[k] + $0] })
        }
        var t = table
        t.rows = layout.headerRows.map { side($0, 0) }
        for k in starts.indices {
            t.rows += layout.dataRows.map { side($0, k) }.filter { !$0.cells.allSatisfy(\.isEmpty) }
        }
        return t
    }



    /// What column `j` describes, from its header and its cells.
    private func descriptor(_ j: Int, _ layout: TableLayout) -> DescriptorKind {
        let t = layout.columnText[j]
        let leaf = layout.leafText[j]
        let cells = layout.dataRows.map { $0[j] }.filter { !$0.isEmpty }
        let codeNames = cells.filter { splitCodeNameRaw($0) != nil }.count
        // 项目 is a project in a table of spending; in a table of income (江苏's 收入预算总表: 项目名称 | 金额) the
        // column names the items of income.
        if leaf.contains("项目名称") { return measure == .income ? .itemName : .projectName }
        if t.contains("代码") && t.contains("单位") { return .unitCode }
        // "063001-单位名称" under 项目单位 and "21-行政类" under 类型 look like CODE-NAME
        // cells but are descriptors, not classification codes.
        let classifies = t.contains("科目") || t.contains("分类") || t.contains("编码")
        // A column of figures under 单位资金 is money, whatever its header says of a 单位.
        let figures = !cells.isEmpty && cells.filter { (try? Money.parse($0)) != nil }.count * 2 > cells.count
        if !classifies && !figures && (leaf.contains("单位") || leaf.contains("类型")) { return .name }
        // (A 合计 row's label is no cell of the column's kind: a table of one item has as many.)
        let labels = cells.filter { c in !["合计", "总计"].contains { foldName(c).contains($0) } }
        if !labels.isEmpty && codeNames * 2 > labels.count { return .codeName }
        let digitCells = cells.filter { c in let d = c.filter { !$0.isWhitespace }; return d.count >= 3 && d.allSatisfy { $0.isASCII && $0.isNumber } }.count
        if t.contains("科目") && (t.contains("编码") || t.contains("类款项") || t.contains("功能分类")) && !t.contains("名称")
            && digitCells * 2 >= cells.count { return .funcCode }
        if !figures && (leaf.contains("名称") || leaf == "项目" || leaf.contains("单位") || leaf.contains("类型")) { return .name }
        return cells.isEmpty || figures ? .other : .name
    }

    /// A code of `scheme` from its digits, repaired from the catalogue when digits were lost.
    private func code(_ digits: String, name: String, scheme: CodeScheme, row: RawRow,
                      last: inout [Int: Code], ctx: DocumentImport) -> Code? {
        if let c = Code(digits, scheme: scheme) {
            last[c.digits] = c
            ctx.sawName(c, name, line: row.line)
            return c
        }
        let target = scheme.levelDigits.first { $0 > digits.count } ?? 0
        let parent = last[target - 2]
        switch ctx.catalog.repair(digits: digits, name: name, scheme: scheme, under: parent) {
        case .success(let r):
            ctx.note(row.line, .repaired, r.notes.joined(separator: "; "))
            last[r.code.digits] = r.code
            return r.code
        case .failure(let e):
            ctx.note(row.line, .unreadable, "code \(digits): \(e); the row's figures are kept without a code")
            return nil
        }
    }

    /// "2080501-行政单位离退休" → (2080501, 行政单位离退休).
    private func splitCodeName(_ cell: String, row: RawRow, ctx: DocumentImport, last: inout [Int: Code]) -> (Code, String)? {
        guard let (digits, name) = splitCodeNameRaw(cell) else { return nil }
        if let c = Code(inferring: digits) { return (c, name) }
        let scheme: CodeScheme = digits.hasPrefix("2") ? .function : digits.hasPrefix("5") ? .econGov : .econDept
        guard let c = code(digits, name: name, scheme: scheme, row: row, last: &last, ctx: ctx) else { return nil }
        return (c, name)
    }
}

/// Splits "2080501-行政单位离退休" into digits and name; nil if the cell is not of that form.
func splitCodeNameRaw(_ cell: String) -> (String, String)? {
    guard let dash = cell.firstIndex(of: "-") else { return splitCodeNameLoose(cell) }
    let digits = cell[..<dash]
    guard (2...7).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    let name = String(cell[cell.index(after: dash)...]).trimmed()
    // A code whose name was printed out of reach (wrapped away) keeps its code: "2080599-".
    guard name.isEmpty ? [3, 5, 7].contains(digits.count) : name.first.map({ !($0.isASCII && $0.isNumber) }) ?? false else { return nil }
    return (String(digits), String(name))
}

/// The other ways a cell prints a code with its name: "205 教育支出", "205　教育支出", "[205]教育支出",
/// "205教育支出", "205—教育支出". Only a whole code (3, 5 or 7 digits) of a scheme (2…, 3…, 5…) before a name
/// that is no number, so that "2025年…" or "110 指挥中心建设" are not taken for codes.
private func splitCodeNameLoose(_ cell: String) -> (String, String)? {
    var rest = Substring(cell.trimmed())
    let bracketed = rest.first == "[" || rest.first == "【"
    if bracketed { rest = rest.dropFirst() }
    let digits = rest.prefix { $0.isASCII && $0.isNumber }
    guard [3, 5, 7].contains(digits.count), let first = digits.first, "235".contains(first) else { return nil }
    rest = rest.dropFirst(digits.count)
    if bracketed { guard rest.first == "]" || rest.first == "】" else { return nil }; rest = rest.dropFirst() }
    rest = rest.drop { $0 == " " || $0 == "\u{3000}" || $0 == "—" || $0 == "－" || $0 == "_" }
    guard let c = rest.first, !c.isASCII, !c.isNumber, !"年月日万元%".contains(c) else { return nil }
    return (String(digits), String(rest).trimmed())
}
