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
    /// Figures of another year than the document's (2025年预算数 or 上年预算数 in a 2026 budget).
    var year: Int? = nil
}

enum ColumnMeaning: Equatable {
    case amount(AmountColumn)
    /// A column whose figures restate others; not ingested, for the reason given.
    case restatement(String)
    /// The change between the years (增减): checked against the pair of columns before it, not stored.
    case change
}

enum AmountColumns {
    /// The meaning of a column from its folded header text `t` and its lowest header cell `leaf`, by the
    /// `column` rows of Vocabulary/tables.tsv.
    static func meaning(index: Int, text t: String, leaf: String, year: Int? = nil, vocabulary: TableVocabulary = .standard) -> ColumnMeaning {
        func first(_ g: ColumnRule.Group) -> (ColumnRule, ColumnKey)? {
            for r in vocabulary.columns where r.group == g { if let k = r.match(text: t, leaf: leaf) { return (r, k) } }
            return nil
        }
        var c = AmountColumn(index: index)
        // Another year's figures: of the year its header names, or of the year before (上年预算数).
        var other: (year: Int, phase: Phase)? = nil
        if let year, let (y, phase) = otherYear(t, year: year) {
            guard let phase else { return .restatement("the \(y) estimated outturn, beside the \(year) figures") }
            other = (y, phase)
        } else if let year, let (r, _) = first(.prior), let phase = Phase(rawValue: r.values[0]) {
            other = (year - 1, phase)
        } else if let (r, _) = first(.restate) {
            return .restatement(r.values[0])
        } else if first(.change) != nil {
            return .change
        }
        // Another year's phase is the one its header names, over any 年初预算 rule.
        func done(_ c: AmountColumn) -> ColumnMeaning {
            var c = c
            if let other { (c.year, c.phase) = (other.year, other.phase) }
            return .amount(c)
        }
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
            return done(c)
        }
        if first(.total) != nil && c.cost == nil { c.level = .subtotal }
        return done(c)
    }

    /// The year of a column of a table of the document's `year` that holds another year's figures (its
    /// header names that year: 2024年预算数 beside 2025年预算数), with their phase (预算 budget, 决算 final;
    /// nil for 执行数, an estimate); nil for a column of this year. (上年预算数 and 增减 are `prior` and `change`
    /// rows of the vocabulary; 上年结转 is this year's income, carried over.)
    static func otherYear(_ header: String, year: Int) -> (Int, Phase?)? {
        var rest = Substring(header)
        while let digit = rest.firstIndex(where: { $0.isASCII && $0.isNumber }) {
            let digits = rest[digit...].prefix { $0.isASCII && $0.isNumber }
            rest = rest[digit...].dropFirst(digits.count)
            guard digits.count == 4, let y = Int(digits), (1990...2100).contains(y), y != year, rest.hasPrefix("年") else { continue }
            let after = rest.dropFirst().prefix(8)
            if after.contains("决算") { return (y, .final) }
            if after.contains("预算") { return (y, .budget) }
            if after.contains("执行") { return (y, nil) }
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
