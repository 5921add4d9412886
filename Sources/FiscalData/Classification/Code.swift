// Code.swift — classification codes as values: functional (支出功能分类科目,
// 类 3 digits / 款 5 / 项 7) and economic (部门支出经济分类 301…, 政府支出经济分类
// 501…, 类 3 / 款 5), with level, parent, ancestors and node membership.
//
// A code packs into one UInt32 (scheme, digit count, value) so the store can
// keep tens of millions of them in flat arrays; 0 is reserved for "no code".

/// Which classification a code belongs to.
public enum CodeScheme: UInt8, Sendable, Hashable, CaseIterable, Comparable {
    /// 支出功能分类科目
    case function = 1
    /// 部门支出经济分类 (301…)
    case econDept = 2
    /// 政府支出经济分类 (501…)
    case econGov = 3

    /// The name used in the catalogue file and in FQL (`func`, `econ_dept`, `econ_gov`).
    public var key: String {
        switch self {
        case .function: return "func"
        case .econDept: return "econ_dept"
        case .econGov: return "econ_gov"
        }
    }

    public init?(key: String) {
        guard let s = CodeScheme.allCases.first(where: { $0.key == key }) else { return nil }
        self = s
    }

    /// Digit counts of the levels this scheme has, top down.
    public var levelDigits: [Int] { self == .function ? [3, 5, 7] : [3, 5] }

    public static func < (a: CodeScheme, b: CodeScheme) -> Bool { a.rawValue < b.rawValue }
}

/// The level of a code in its hierarchy.
public enum CodeLevel: Int, Sendable, Hashable, Comparable {
    case `class` = 3    // 类
    case section = 5    // 款
    case item = 7       // 项

    /// The Chinese name the catalogue uses: 类, 款, 项.
    public var chinese: String {
        switch self {
        case .class: return "类"
        case .section: return "款"
        case .item: return "项"
        }
    }

    public init?(chinese: String) {
        switch chinese {
        case "类": self = .class
        case "款": self = .section
        case "项": self = .item
        default: return nil
        }
    }

    public static func < (a: CodeLevel, b: CodeLevel) -> Bool { a.rawValue < b.rawValue }
}

/// A classification code: a node of the functional or an economic hierarchy.
public struct Code: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let scheme: CodeScheme
    /// 3, 5 or 7 (7 only for functional codes).
    public let digits: Int
    /// The code as a number: 2120101.
    public let value: UInt32

    /// Reads a code of `scheme` from its digits; nil unless the digit count is a level of the scheme
    /// and the text is all ASCII digits without a leading zero.
    public init?(_ text: some StringProtocol, scheme: CodeScheme) {
        guard scheme.levelDigits.contains(text.count), text.first != "0",
              text.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt32(text) else { return nil }
        self.scheme = scheme
        self.digits = text.count
        self.value = v
    }

    /// Reads a code and infers its scheme: 2… functional, 3… departmental economic, 5… government economic.
    public init?(inferring text: some StringProtocol) {
        guard let first = text.first else { return nil }
        switch first {
        case "2": self.init(text, scheme: .function)
        case "3": self.init(text, scheme: .econDept)
        case "5": self.init(text, scheme: .econGov)
        default: return nil
        }
    }

    init(scheme: CodeScheme, digits: Int, value: UInt32) {
        self.scheme = scheme
        self.digits = digits
        self.value = value
    }

    public var text: String { String(value) }
    public var description: String { text }

    public var level: CodeLevel { CodeLevel(rawValue: digits)! }

    /// The code one level up (20103 for 2010350), or nil for a 类.
    public var parent: Code? {
        guard digits > 3 else { return nil }
        return Code(scheme: scheme, digits: digits - 2, value: value / 100)
    }

    /// Every code above this one, nearest first.
    public var ancestors: [Code] {
        var out: [Code] = []
        var c = parent
        while let p = c { out.append(p); c = p.parent }
        return out
    }

    /// This code cut to `level` (212 for 2120101 at `.class`); nil if the code is above that level.
    public func truncated(to level: CodeLevel) -> Code? {
        guard level.rawValue <= digits else { return nil }
        var v = value
        for _ in 0..<((digits - level.rawValue) / 2) { v /= 100 }
        return Code(scheme: scheme, digits: level.rawValue, value: v)
    }

    /// True when `other` is this node or lies under it: 212 contains 21201 and 2120101.
    public func contains(_ other: Code) -> Bool {
        guard other.scheme == scheme, other.digits >= digits else { return false }
        return other.truncated(to: level) == self
    }

    /// Orders by scheme, then as the hierarchy is printed: 201 < 20103 < 2010350 < 20137 < 202.
    public static func < (a: Code, b: Code) -> Bool {
        if a.scheme != b.scheme { return a.scheme < b.scheme }
        return a.sortKey < b.sortKey
    }

    /// The value padded to 7 digits, so that prefix order is numeric order and a node's
    /// descendants form one contiguous range [sortKey, sortKey + span).
    public var sortKey: UInt32 {
        var v = value
        for _ in 0..<((7 - digits) / 2) { v *= 100 }
        return v
    }

    /// How many 7-digit keys this node spans (1 for a 项, 100 for a 款, 10,000 for a 类).
    public var sortSpan: UInt32 {
        var s: UInt32 = 1
        for _ in 0..<((7 - digits) / 2) { s *= 100 }
        return s
    }

    /// The code packed into a non-zero UInt32: scheme (2 bits) | digits (3 bits) | value (24 bits).
    public var packed: UInt32 {
        (UInt32(scheme.rawValue) << 30) | (UInt32(digits) << 24) | value
    }

    /// Unpacks a code packed with `packed`; nil for 0 (no code).
    public init?(packed: UInt32) {
        guard packed != 0, let s = CodeScheme(rawValue: UInt8(packed >> 30)) else { return nil }
        self.init(scheme: s, digits: Int((packed >> 24) & 0x7), value: packed & 0xFF_FFFF)
    }
}
