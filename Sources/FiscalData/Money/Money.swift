// Money.swift — exact fixed-point amounts in 万元.
//
// An amount is an integer count of 0.000001 万元 (= 0.01 元), held in an Int64.
// Every figure in the disclosures fits; arithmetic that would not fit throws
// `MoneyError.overflow` instead of wrapping. Nothing here uses floating point.

/// An exact amount of money in 万元, stored as a count of 0.000001 万元.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Units per 万元.
    public static let unitsPerWan: Int64 = 1_000_000
    /// 0.01 万元: the rounding of figures printed to 2 decimals (data-model.md, "Checks").
    public static let roundingTolerance = Money(units: 10_000)
    /// Units per 元 (1 元 = 0.0001 万元).
    public static let unitsPerYuan: Int64 = 100
    /// The most decimals a 万元 amount can carry exactly.
    public static let maxDecimals = 6

    /// The count of 0.000001 万元.
    public let units: Int64

    public init(units: Int64) { self.units = units }

    public static let zero = Money(units: 0)

    public static func < (a: Money, b: Money) -> Bool { a.units < b.units }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }

    /// `self + other`; throws on overflow.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (r, o) = units.addingReportingOverflow(other.units)
        if o { throw .overflow("\(self) + \(other)") }
        return Money(units: r)
    }

    /// `self - other`; throws on overflow.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        let (r, o) = units.subtractingReportingOverflow(other.units)
        if o { throw .overflow("\(self) - \(other)") }
        return Money(units: r)
    }

    /// `self × n` for a whole number n; throws on overflow.
    public func multiplied(by n: Int64) throws(MoneyError) -> Money {
        let (r, o) = units.multipliedReportingOverflow(by: n)
        if o { throw .overflow("\(self) × \(n)") }
        return Money(units: r)
    }

    /// The exact sum of `amounts`; throws on overflow.
    public static func sum<S: Sequence>(_ amounts: S) throws(MoneyError) -> Money where S.Element == Money {
        var total = Money.zero
        for a in amounts { total = try total.adding(a) }
        return total
    }

    /// `part / whole × 100` as an exact ratio, or nil when `whole` is zero.
    public static func percent(_ part: Money, of whole: Money) -> Percent? {
        whole.isZero ? nil : Percent(numerator: Int128(part.units) * 100, denominator: Int128(whole.units))
    }

    public var description: String { format(grouping: false) }
}

/// Why an amount could not be read or computed.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not a number; `reason` says what was wrong.
    case invalid(text: String, reason: String)
    /// The text has more decimals than the unit can hold exactly.
    case tooPrecise(text: String, decimals: Int, allowed: Int)
    /// The result does not fit.
    case overflow(String)

    public var description: String {
        switch self {
        case let .invalid(text, reason): return "not an amount: \"\(text)\" (\(reason))"
        case let .tooPrecise(text, decimals, allowed):
            return "amount \"\(text)\" has \(decimals) decimals; at most \(allowed) can be kept exactly"
        case let .overflow(what): return "amount overflow in \(what)"
        }
    }
}

/// An exact ratio expressed in percent (numerator / denominator), rounded only for display.
public struct Percent: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int128
    public let denominator: Int128

    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "a percentage needs a non-zero base")
        if denominator < 0 {
            self.numerator = -numerator
            self.denominator = -denominator
        } else {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    // Cross products in full width (256 bits): a share of amounts near Money's limit against another
    // overflows 128 bits, and a comparison must not trap.
    private static func cross(_ a: Percent, _ b: Percent) -> (Int128, UInt128) {
        let p = a.numerator.multipliedFullWidth(by: b.denominator)
        return (p.high, p.low)
    }

    public static func < (a: Percent, b: Percent) -> Bool {
        let x = cross(a, b), y = cross(b, a)
        return x.0 != y.0 ? x.0 < y.0 : x.1 < y.1
    }

    public static func == (a: Percent, b: Percent) -> Bool { cross(a, b) == cross(b, a) }

    public func hash(into h: inout Hasher) { h.combine(hundredths) }

    /// The value in hundredths of a percent, rounded half away from zero. (The numerator is at most
    /// 100 × Money's largest count, so 100 × that fits in 128 bits.)
    public var hundredths: Int128 {
        let scaled = numerator * 100
        let q = scaled / denominator
        let r = scaled % denominator
        // Half away from zero: compare twice the remainder's magnitude with the divisor.
        if (r.magnitude * 2) >= denominator.magnitude {
            return scaled < 0 ? q - 1 : q + 1
        }
        return q
    }

    /// Rounded to 2 decimals, half away from zero: `20.76`, `-5.07`, `100.00`.
    public var description: String {
        let h = hundredths
        let sign = h < 0 ? "-" : ""
        let m = h.magnitude
        let frac = m % 100
        return "\(sign)\(m / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
