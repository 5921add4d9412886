// AmountColumn.swift — what an amount column of a table means, read from its
// header text: a measure of its own (政府采购), nature (基本/项目), cost (人员/公用经费),
// fund, a category (an income source, 其中 items), and whether it is a leaf or a row total — by the
// `column` rows of Vocabulary/tables.tsv, which hold the header words.

import FiscalData

struct AmountColumn: Equatable {
    let index: Int
    /// A measure of the column's own, not the table's (政府采购 beside spending).
    var measure: Measure? = nil
    var level: RowLevel = .leaf
    var nature: Nature? = nil
    var cost: Cost? = nil
    var fund: Fund? = nil
    var category: String? = nil
    var phase: Phase? = nil
}

enum ColumnMeaning: Equatable {
    case amount(AmountColumn)
    /// A column whose figures restate others; not ingested, for the reason given.
    case restatement(String)
}

enum AmountColumns {
    /// The meaning of a column from its folded header text `t` and its lowest header cell `leaf`, by the
    /// `column` rows of Vocabulary/tables.tsv.
    static func meaning(index: Int, text t: String, leaf: String, year: Int? = nil, vocabulary: TableVocabulary = .standard) -> ColumnMeaning {
        if let year, let why = otherYear(t, year: year) { return .restatement(why) }
        func first(_ g: ColumnRule.Group) -> (ColumnRule, ColumnKey)? {
            for r in vocabulary.columns where r.group == g { if let k = r.match(text: t, leaf: leaf) { return (r, k) } }
            return nil
        }
        if let (r, _) = first(.restate) { return .restatement(r.values[0]) }
        var c = AmountColumn(index: index)
        if let (r, _) = first(.phase) { c.phase = Phase(rawValue: r.values[0]) }
        if let (r, _) = first(.nature) {
            c.nature = Nature(rawValue: r.values[0])
            c.cost = Cost(rawValue: r.values[1])
        }
        if let (r, _) = first(.fund) { c.fund = Fund(rawValue: r.values[0]) }
        if let (r, k) = first(.source) {
            c.category = k.name
            c.fund = Fund(rawValue: r.values[0])
        }
        if let (_, k) = first(.ofwhich) {
            c.category = k.name
            c.level = .subtotal
        }
        // A column of a measure of its own (政府采购 小计 beside 支出总计) is that measure's row figure, not a total.
        if let (r, _) = first(.measure) {
            c.measure = Measure(rawValue: r.values[0])
            if c.level != .subtotal || c.category == nil { c.level = .leaf }
            return .amount(c)
        }
        if first(.total) != nil && c.cost == nil { c.level = .subtotal }
        return .amount(c)
    }

    /// Why a column of a table of the document's `year` holds another year's figures: its header names
    /// that year (2024年预算数 beside 2025年预算数); nil for a column of this year. (上年预算数 and 增减 are
    /// `restate` rows of the vocabulary; 上年结转 is this year's income, carried over.)
    static func otherYear(_ header: String, year: Int) -> String? {
        var rest = Substring(header)
        while let digit = rest.firstIndex(where: { $0.isASCII && $0.isNumber }) {
            let digits = rest[digit...].prefix { $0.isASCII && $0.isNumber }
            rest = rest[digit...].dropFirst(digits.count)
            guard digits.count == 4, let y = Int(digits), (1990...2100).contains(y), y != year, rest.hasPrefix("年") else { continue }
            let after = rest.dropFirst().prefix(8)
            if ["预算", "决算", "执行"].contains(where: { after.contains($0) }) { return "the \(y) figures, beside the \(year) ones" }
        }
        return nil
    }
}

/// The amount columns a table reader leaves unread (a column restating others, another year's, a ratio): what
/// the report says of them, and their filled cells, counted as met but not read.
struct UnreadColumns {
    private(set) var reasons: [String] = []
    private(set) var cells = 0

    mutating func add(_ j: Int, _ why: String, _ layout: TableLayout) {
        let filled = layout.dataRows.filter { !$0[j].isEmpty }.count
        guard filled > 0 else { return }
        reasons.append("column \(layout.columnText[j]): \(why)")
        cells += filled
    }

    /// The coverage note of `table`: why columns were not read, else why the table gave nothing.
    func note(_ table: RawTable) -> (Int) -> String? {
        { made in reasons.isEmpty ? (made == 0 ? table.emptyReason : nil) : reasons.joined(separator: "; ") }
    }
}
