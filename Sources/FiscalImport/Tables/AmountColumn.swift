// AmountColumn.swift — what an amount column of a table means, read from its
// header text: nature (基本/项目), cost (人员/公用经费), fund, a category (an
// income source, 其中 items), and whether it is a leaf or a row total.

import FiscalData

struct AmountColumn: Equatable {
    let index: Int
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
    static let incomeSources = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    static let ofWhich = ["事业单位经营支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]

    /// The meaning of a column from its folded header text `t` and its lowest header cell `leaf`.
    static func meaning(index: Int, text t: String, leaf: String) -> ColumnMeaning {
        if t.contains("扣除基建") { return .restatement("项目支出 less capital projects restates the 项目支出 column") }
        if t.contains("政府采购") { return .restatement("政府采购 columns are the part of the spending in the other columns bought through procurement, not spending of their own") }
        var c = AmountColumn(index: index)
        if t.contains("人员经费") || leaf == "人员支出" { c.nature = .basic; c.cost = .personnel }
        else if t.contains("公用经费") || t.hasSuffix("公用支出") { c.nature = .basic; c.cost = .public }
        else if t.contains("基本支出") { c.nature = .basic }
        else if t.contains("项目支出") { c.nature = .project }
        if t.contains("结转") || t.contains("结余") { c.fund = .carryover }
        else if t.contains("一般公共预算") { c.fund = .general }
        else if t.contains("政府性基金") { c.fund = .govfund }
        else if t.contains("国有资本") { c.fund = .soe }
        else if t.contains("财政专户") || t.contains("单位资金") { c.fund = .other }
        if let s = incomeSources.first(where: { leaf.contains($0) }) {
            c.category = s
            c.fund = s == "财政拨款收入" ? .general : .other
        }
        if let s = ofWhich.first(where: { leaf.contains($0) || t.hasPrefix("其中") && t.contains($0) }) {
            c.category = s
            c.level = .subtotal
        }
        if leaf.hasSuffix("合计") || leaf.hasSuffix("小计") || leaf.hasSuffix("支出总计") || leaf == "总计" || leaf == "合计" || t.hasSuffix("小计") || t.hasSuffix("合计") {
            if c.cost == nil { c.level = .subtotal }
            if leaf == "小计" && c.nature == nil && c.fund == nil { c.level = .subtotal }
        }
        return .amount(c)
    }
}
