// Value.swift — the typed values a query produces: text, whole numbers,
// exact money, exact percentages, classification codes, booleans, and null.
// Null is not zero: it sorts last, compares as unknown, and prints as `–`.

import FiscalData

/// One cell of a result.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case text(String)
    case int(Int)
    case money(Money)
    case percent(Percent)
    case code(Code)
    case bool(Bool)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Plain text without separators (what csv/tsv carry).
    public var description: String {
        switch self {
        case .null: return ""
        case .text(let s): return s
        case .int(let i): return String(i)
        case .money(let m): return m.format(grouping: false)
        case .percent(let p): return p.description
        case .code(let c): return c.text
        case .bool(let b): return b ? "true" : "false"
        }
    }

    var money: Money? { if case .money(let m) = self { return m } else { return nil } }
}

/// The enumerated fields' value sets, with the Chinese names analysts type.
public enum EnumKind: String, Sendable, Hashable {
    case phase, measure, nature, fund, cost, level

    /// (value, names it answers to).
    var members: [(String, [String])] {
        switch self {
        case .phase:
            return [("budget", ["预算", "年初预算"]), ("adjusted", ["调整预算"]), ("final", ["决算"])]
        case .measure:
            return [("spending", ["支出"]), ("income", ["收入"]), ("sangong", ["三公", "三公经费", "“三公”经费", "\"三公\"经费"]),
                    ("procurement", ["政府采购"]), ("operating", ["机关运行经费"]), ("service", ["政府购买服务"]),
                    ("assets", ["国有资产"]), ("balance", ["年末结转和结余", "结转结余", "结转下年"]),
                    ("vehicles", ["车辆"]), ("vehicles_bought", ["购置车辆", "车辆购置"]),
                    ("meetings", ["会议费"]), ("training", ["培训费"])]
        case .nature:
            return [("basic", ["基本支出", "基本"]), ("project", ["项目支出", "项目"])]
        case .fund:
            return [("general", ["一般公共预算"]), ("govfund", ["政府性基金", "政府性基金预算"]),
                    ("soe", ["国有资本经营", "国有资本经营预算"]), ("carryover", ["上年结转"]), ("other", ["其他"]),
                    ("appropriation", ["财政拨款"])]
        case .cost:
            return [("personnel", ["人员经费"]), ("public", ["公用经费"])]
        case .level:
            return [("leaf", []), ("subtotal", []), ("total", [])]
        }
    }

    /// The value `word` names (English or Chinese), or nil.
    func value(named word: String) -> String? {
        let w = word.lowercased()
        return members.first { $0.0 == w || $0.1.contains(word) }?.0
    }

    var allNames: [String] { members.flatMap { [$0.0] + $0.1 } }
}

/// The type of a column or expression.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case text, int, money, percent, bool
    /// A classification code; nil scheme for a column mixing schemes (`codes`).
    case code(CodeScheme?)
    case enumerated(EnumKind)

    public var description: String {
        switch self {
        case .text: return "text"
        case .int: return "a whole number"
        case .money: return "an amount"
        case .percent: return "a percentage"
        case .bool: return "true/false"
        case .code(let s): return s.map { "a \($0.key) code" } ?? "a code"
        case .enumerated(let k): return "a \(k.rawValue) (\(k.members.map(\.0).joined(separator: ", ")))"
        }
    }

    var isNumeric: Bool { self == .int || self == .money || self == .percent }
}

/// Orders two values of one column: nulls last, numbers numerically, codes in hierarchy order.
func compareValues(_ a: Value, _ b: Value) -> Int {
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return 1
    case (_, .null): return -1
    case let (.text(x), .text(y)): return x == y ? 0 : (x < y ? -1 : 1)
    case let (.int(x), .int(y)): return x == y ? 0 : (x < y ? -1 : 1)
    case let (.money(x), .money(y)): return x == y ? 0 : (x < y ? -1 : 1)
    case let (.percent(x), .percent(y)): return x == y ? 0 : (x < y ? -1 : 1)
    case let (.code(x), .code(y)): return x == y ? 0 : (x < y ? -1 : 1)
    case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
    default:
        // Mixed numeric kinds compare exactly through the common scale.
        if let x = exactNumber(a), let y = exactNumber(b) {
            let l = x.num * y.den, r = y.num * x.den
            return l == r ? 0 : (l < r ? -1 : 1)
        }
        return a.description < b.description ? -1 : (a.description == b.description ? 0 : 1)
    }
}

/// A number as an exact fraction.
func exactNumber(_ v: Value) -> (num: Int128, den: Int128)? {
    switch v {
    case .int(let i): return (Int128(i), 1)
    case .money(let m): return (Int128(m.units), Int128(Money.unitsPerWan))
    case .percent(let p): return (p.numerator, p.denominator)
    default: return nil
    }
}
