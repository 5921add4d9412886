// Statement.swift — one amount read from one place of one document, with
// every field of the data model (data-model.md, "Statements") and its
// provenance. This is the value type at the API boundary; the store keeps
// statements as columns (Store.swift).

/// 年初预算, 调整预算 or 决算.
public enum Phase: String, Sendable, Hashable, CaseIterable {
    case budget, adjusted, final

    public var chinese: String {
        switch self {
        case .budget: return "预算"
        case .adjusted: return "调整预算"
        case .final: return "决算"
        }
    }
}

/// What kind of money a statement measures.
public enum Measure: String, Sendable, Hashable, CaseIterable {
    /// 支出
    case spending
    /// 收入
    case income
    /// “三公”经费
    case sangong
    /// 政府采购
    case procurement
    /// 机关运行经费
    case operating
    /// 政府购买服务
    case service
    /// 国有资产 (固定资产总额 and the like)
    case assets
    /// 年末结转和结余 (结转下年): money left at the year's end, beside spending in a summary table, not spent
    case balance
    /// 车辆: the vehicles a unit holds (共有车辆5辆，其中…), a count, not money
    case vehicles
    /// 购置车辆: the vehicles bought, or to be bought (预算安排购置车辆1辆), a count, not money
    case vehiclesBought = "vehicles_bought"
    /// 会议费: printed beside the “三公”经费 (江苏's “三公”经费、会议费、培训费 table), never part of them
    case meetings
    /// 培训费: printed beside the “三公”经费, as 会议费 is
    case training

    public var chinese: String {
        switch self {
        case .spending: return "支出"
        case .income: return "收入"
        case .sangong: return "“三公”经费"
        case .procurement: return "政府采购"
        case .operating: return "机关运行经费"
        case .service: return "政府购买服务"
        case .assets: return "国有资产"
        case .balance: return "年末结转和结余"
        case .vehicles: return "车辆"
        case .vehiclesBought: return "购置车辆"
        case .meetings: return "会议费"
        case .training: return "培训费"
        }
    }

    /// For a measure that counts things rather than money, what it counts in (辆); nil for money (万元).
    public var countUnit: String? {
        switch self {
        case .vehicles, .vehiclesBought: return "辆"
        default: return nil
        }
    }
}

/// 基本支出 or 项目支出.
public enum Nature: String, Sendable, Hashable, CaseIterable {
    case basic, project

    public var chinese: String { self == .basic ? "基本支出" : "项目支出" }
}

/// Where the money comes from.
public enum Fund: String, Sendable, Hashable, CaseIterable {
    /// 一般公共预算
    case general
    /// 政府性基金
    case govfund
    /// 国有资本经营
    case soe
    /// 上年结转
    case carryover
    /// anything else (事业收入, 其他收入 …)
    case other
    /// 财政拨款 as one figure: appropriations of every kind together (一般公共预算 with 政府性基金 and
    /// 国有资本经营), printed without their split. Last, so that the byte codes of the others stay.
    case appropriation
}

/// Within basic spending: 人员经费 or 公用经费.
public enum Cost: String, Sendable, Hashable, CaseIterable {
    case personnel, `public`

    public var chinese: String { self == .personnel ? "人员经费" : "公用经费" }
}

/// Whether a row is a leaf figure or a sum of others (kept for checking, never added).
public enum RowLevel: String, Sendable, Hashable, CaseIterable {
    case leaf, subtotal, total
}

/// One amount read from one place.
public struct Statement: Hashable, Sendable {
    public var unit: String
    public var region: String
    public var year: Int
    public var phase: Phase
    public var measure: Measure
    public var function: Code?
    public var econDept: Code?
    public var econGov: Code?
    public var nature: Nature?
    public var fund: Fund?
    public var cost: Cost?
    public var project: String?
    /// A further breakdown the document names where no code applies
    /// (the “三公” items, 政府采购 types, income sources).
    public var category: String?
    public var amount: Money
    /// Document id (the file name's stem).
    public var doc: String
    /// The table title, or the prose section, the figure was read from.
    public var table: String
    /// The `table` of every figure read from prose: 情况说明, then its section's heading.
    public static let proseTable = "情况说明"
    /// Whether the figure was read from prose, not a table.
    public var isProse: Bool { table.hasPrefix(Statement.proseTable) }
    /// 1-based line in the document.
    public var line: Int
    public var level: RowLevel
    /// For a figure the document states only through a change: what it was derived from.
    /// Nil for a stated figure.
    public var derived: String?
    /// The money unit the document printed the figure in; `amount` is always in 万元 (converted exactly).
    public var printed: AmountUnit

    public init(unit: String, region: String, year: Int, phase: Phase, measure: Measure,
                function: Code? = nil, econDept: Code? = nil, econGov: Code? = nil,
                nature: Nature? = nil, fund: Fund? = nil, cost: Cost? = nil,
                project: String? = nil, category: String? = nil,
                amount: Money, doc: String, table: String, line: Int,
                level: RowLevel = .leaf, derived: String? = nil, printed: AmountUnit = .wan) {
        self.unit = unit
        self.region = region
        self.year = year
        self.phase = phase
        self.measure = measure
        self.function = function
        self.econDept = econDept
        self.econGov = econGov
        self.nature = nature
        self.fund = fund
        self.cost = cost
        self.project = project
        self.category = category
        self.amount = amount
        self.doc = doc
        self.table = table
        self.line = line
        self.level = level
        self.derived = derived
        self.printed = printed
    }
}
