// DocumentImport.swift — the state of importing one document: what was
// decided about it (unit, region, year, phase), the statements made so far,
// the diagnostics, the coverage of its tables, and the catalogue it enriches.
// Readers (Tables/, Layouts/, Prose/) call `emit` and `amount` here, so every
// statement carries its provenance and every repaired cell is reported.

import FiscalData

/// What was decided about a document, and how.
public struct DocumentInfo: Sendable, Hashable {
    public let id: String
    public let layout: Layout
    public var unit: String
    public var region: String
    public var year: Int
    public var phase: Phase
    /// One line per decision: "unit from 部门名称 at line 72", …
    public var evidence: [String]

    /// The document as documents.tsv records it (the evidence joined with "; ").
    public var record: DocumentRecord {
        DocumentRecord(doc: id, layout: layout.rawValue, unit: unit, region: region, year: year, phase: phase,
                       evidence: evidence.joined(separator: "; "))
    }
}

/// The document layouts the importer knows.
public enum Layout: String, Sendable, Hashable {
    /// Tables captioned 预算01表 … 预算14表, then 情况说明 prose (Beijing districts' budgets).
    case beijingBudget = "budget-captions"
    /// Tables captioned 公开01表 … 公开NN表, then 情况说明 prose: Wuhan's final accounts, 江苏's budgets (the
    /// phase is the title's).
    case wuhanFinal = "disclosure-captions"
    /// Final accounts given only in prose (Beijing districts).
    case proseFinal = "prose-final"
    /// A budget given only in prose: its 情况说明 without tables, or with its tables printed as pictures.
    case proseBudget = "prose-budget"
    /// Tables known by their national standard titles (收入支出决算总表, 部门支出预算总表 …) with no
    /// NN表 caption numbers: Shanghai and most other regions.
    case standardTitles = "standard-titles"
}

/// What became of one table or block of a document.
public struct CoverageEntry: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let name: String
    public let rowsRead: Int
    public internal(set) var statements: Int
    /// Why figures here were not ingested; nil when everything was.
    public internal(set) var note: String?
    /// For a table: the amount cells it holds (each non-empty cell of an amount column); nil for prose.
    public var cells: Int? = nil
    /// Of those, the cells of changes checked against the figures read beside them (not stored).
    public var checked = 0

    public var description: String {
        "line \(line): \(name): \(rowsRead) rows, \(statements) statements"
            + (cells.map { $0 <= statements + checked ? " from \($0) amount cells" : " from \($0) amount cells (\($0 - statements - checked) not read: see below)" } ?? "")
            + (checked > 0 ? "; \(checked) cells of changes checked against the figures beside them" : "")
            + (note.map { " — \($0)" } ?? "")
    }
}

final class DocumentImport {
    let doc: SourceDocument
    var info: DocumentInfo
    var catalog: Catalog
    var statements: [Statement] = []
    var diagnostics: [Diagnostic] = []
    var coverage: [CoverageEntry] = []
    /// The money unit of the figures being read: a table's (set while its reader runs), else that of the
    /// last amount read; each statement made records it (`Statement.printed`).
    var printedUnit = AmountUnit.wan
    /// Amount cells met so far (each non-empty cell given to `amount`, or counted as skipped by a reader).
    var cellsSeen = 0
    /// Of those, the cells of a change between two figures read beside it, checked against them, not stored.
    var cellsChecked = 0

    init(doc: SourceDocument, info: DocumentInfo, catalog: Catalog) {
        self.doc = doc
        self.info = info
        self.catalog = catalog
    }

    /// A statement of this document with its provenance; fields not given are none.
    func emit(_ measure: Measure, _ amount: Money, table: String, line: Int, level: RowLevel = .leaf,
              function: Code? = nil, econDept: Code? = nil, econGov: Code? = nil, nature: Nature? = nil,
              fund: Fund? = nil, cost: Cost? = nil, project: String? = nil, category: String? = nil,
              phase: Phase? = nil, year: Int? = nil, derived: String? = nil) {
        statements.append(Statement(
            unit: info.unit, region: info.region, year: year ?? info.year, phase: phase ?? info.phase,
            measure: measure, function: function, econDept: econDept, econGov: econGov, nature: nature,
            fund: fund, cost: cost, project: project, category: category, amount: amount,
            doc: info.id, table: table, line: line, level: level, derived: derived, printed: printedUnit))
    }

    /// The amount in `cell` (nil when empty), reporting repairs and unreadable cells at `line`.
    func amount(_ cell: String, line: Int, unit: AmountUnit, what: String) -> Money? {
        do {
            // An empty cell, or one printed as a dash (none), is no amount cell.
            guard let p = try Money.parse(cell, unit: unit) else { return nil }
            cellsSeen += 1
            printedUnit = unit
            let repairs = p.repairs.filter { $0 != .convertedFromYuan }
            if !repairs.isEmpty {
                note(line, .repaired, "\(what): read \"\(cell)\" as \(p.money.format(grouping: false)) (\(repairs.map(\.rawValue).joined(separator: ", ")))")
            }
            if unit == .yuan {
                note(line, .repaired, "\(what): converted \(cell) 元 to \(p.money.format(grouping: false)) 万元")
            }
            return p.money
        } catch {
            cellsSeen += 1
            note(line, .unreadable, "\(what): \(error)")
            return nil
        }
    }

    /// The cells of `row`, a change between the years (增减), against `now` less `before`, column by column:
    /// each cell is met; one that agrees (within a cent a row: both figures rounded) is checked, one that
    /// does not is reported; with no rows to check against, the cells are met and not read.
    func checkChanges(_ row: RawRow, now: RawRow?, before: RawRow?, table: RawTable) {
        for j in row.cells.indices { checkChange(row, j, now: now?[j], before: before?[j], table: table) }
    }

    /// The cells of column `j`, the change between the years (增减), each against the pair of `columns` nearest
    /// left of it: this year's and another year's (上年预算数 | 本年预算数 | 增减, in either order).
    func checkChangeColumn(_ j: Int, _ rows: [RawRow], columns: [Int: AmountColumn], table: RawTable) {
        let left = columns.keys.filter { $0 < j }.sorted(by: >)
        let now = left.first { columns[$0]?.year == nil }, before = left.first { columns[$0]?.year != nil }
        for row in rows { checkChange(row, j, now: now.map { row[$0] }, before: before.map { row[$0] }, table: table) }
    }

    /// One cell of a change: met; checked when it is `now` less `before` within a cent (both figures rounded),
    /// reported when it is not; met and not read when there is no pair of figures to check it against.
    private func checkChange(_ row: RawRow, _ j: Int, now: String?, before: String?, table: RawTable) {
        guard let change = try? Money.parse(row[j], unit: table.unit) else { return }
        cellsSeen += 1
        guard let now, let before, let a = try? Money.parse(now, unit: table.unit), let b = try? Money.parse(before, unit: table.unit),
              let expected = try? a.money.subtracting(b.money), let off = try? expected.subtracting(change.money) else {
            note(row.line, .skipped, "\(table.number) column \(j + 1): the change \(row[j]), with no figures of both years beside it to check it against")
            return
        }
        if off.units.magnitude <= Money.roundingTolerance.units.magnitude {
            cellsChecked += 1
        } else {
            note(row.line, .unreadable, "\(table.number) column \(j + 1): the change \(row[j]) is not \(now) less \(before) (\(expected.format(grouping: false)))")
        }
    }

    func note(_ line: Int, _ kind: Diagnostic.Kind, _ message: String) {
        diagnostics.append(Diagnostic(doc: info.id, line: line, kind: kind, message: message))
    }

    /// Records a code–name pair the document prints; a name conflict becomes a diagnostic.
    func sawName(_ code: Code, _ name: String, line: Int) {
        guard !name.isEmpty, !foldName(name).contains("合计") else { return }
        if let c = catalog.enrich(code: code, name: name, source: "disclosure \(info.id.prefix(3))") {
            note(line, .decided, "name differs from the catalogue: \(c.documentName) for \(c.code) (catalogue: \(c.catalogueName))")
        }
    }

    /// Runs a table reader's `body`, then records the table's coverage with the statements `body` made
    /// (`note` gets that count); returns the count.
    @discardableResult
    func covering(_ table: RawTable, rows: Int, note: ((Int) -> String?)? = nil, _ body: () -> Void) -> Int {
        let note = note ?? { $0 == 0 ? table.emptyReason : nil }
        let before = statements.count, cellsBefore = cellsSeen, checkedBefore = cellsChecked
        printedUnit = table.unit
        body()
        printedUnit = .wan
        let made = statements.count - before
        cover(table.captionLine, table.name, rows: rows, made: made, note: note(made))
        // Cells no reader looked at count too (a column of no known meaning): every figure of the data rows.
        let cells = max(cellsSeen - cellsBefore, Self.figures(in: table))
        coverage[coverage.count - 1].cells = cells
        coverage[coverage.count - 1].checked = cellsChecked - checkedBefore
        if made == 0 && cells > 0 {
            self.note(table.captionLine, .unreadable, "\(table.name): a table recognised, with \(cells) amount cells, but not one read")
        }
        return made
    }

    /// The cells of `table`'s data rows that hold a figure: not a code (3, 5 or 7 bare digits), and not in
    /// a column of line numbers or codes (行, 行次, 栏次, 序号, 编码, 代码 in its header, or no
    /// figure with a decimal point or separator in it).
    static func figures(in table: RawTable) -> Int {
        let layout = TableLayout(table)
        // A column of bare whole numbers only (1, 2, 3 … under 行) numbers lines; amounts show a "." or ",".
        let counted = (0..<layout.width).filter { j in
            let t = layout.columnText[j]
            let figured = layout.dataRows.contains { $0[j].contains(".") || $0[j].contains(",") }
            return figured && !(t == "行" || ["行次", "栏次", "序号", "编码", "代码"].contains { t.contains($0) })
        }
        return layout.dataRows.reduce(0) { n, row in
            n + counted.filter { j in
                let c = row[j]
                let bare = c.allSatisfy { $0.isASCII && $0.isNumber }
                return !c.isEmpty && !(bare && [3, 5, 7].contains(c.count)) && (try? Money.parse(c)) != nil
            }.count
        }
    }

    func cover(_ line: Int, _ name: String, rows: Int, made: Int, note: String? = nil) {
        coverage.append(CoverageEntry(line: line, name: name, rowsRead: rows, statements: made, note: note))
    }
}
