// Money+Parse.swift — reading amounts as the disclosures print them.
//
// Accepted: `5,306.52`, `174. 25` and `1, 431. 217495` (spaces from PDF
// extraction), full-width digits and punctuation, `-0-` and `--0--` (zero),
// a leading minus, amounts in 元 converted exactly to 万元. An empty cell is
// absent (nil), never zero. Every deviation from a clean number is reported
// as a repair so the importer can record it.

/// The unit a table states its amounts in.
public enum AmountUnit: String, Sendable, Hashable {
    case wan = "万元"
    case yuan = "元"

    /// The unit's byte in the store's `printed` column (0 for 万元, the unit amounts are kept in).
    public var byte: UInt8 { self == .wan ? 0 : 1 }
    public init?(byte: UInt8) {
        switch byte {
        case 0: self = .wan
        case 1: self = .yuan
        default: return nil
        }
    }

    /// Decimals an amount in this unit may have and still be exact in 0.000001 万元.
    var maxDecimals: Int { self == .wan ? Money.maxDecimals : 2 }
    /// The exponent from this unit's smallest exact decimal to Money units.
    var unitsPerOne: Int64 { self == .wan ? Money.unitsPerWan : Money.unitsPerYuan }
}

/// A repair made while reading an amount.
public enum AmountRepair: String, Sendable, Hashable, CaseIterable {
    case removedSpaces = "removed spaces inside the number"
    case foldedFullWidth = "read full-width digits or punctuation"
    case dashedZero = "read a dashed zero (-0-) as 0"
    case convertedFromYuan = "converted 元 to 万元"
}

/// An amount read from text, with what had to be repaired to read it.
public struct ParsedAmount: Sendable, Equatable {
    public let money: Money
    public let repairs: [AmountRepair]
}

extension Money {
    /// Reads `text` as an amount in `unit`.
    ///
    /// Returns nil for an empty or blank cell (absent, not zero); throws
    /// `MoneyError` for anything that is not a number or cannot be exact.
    public static func parse(_ text: String, unit: AmountUnit = .wan) throws(MoneyError) -> ParsedAmount? {
        if let money = plain(text, unit: unit) {
            return ParsedAmount(money: money, repairs: unit == .yuan ? [.convertedFromYuan] : [])
        }
        var repairs: [AmountRepair] = []
        var chars: [Character] = []
        for ch in text.trimmed() {
            let folded = foldFullWidth(ch)
            if folded != ch { repairs.append(.foldedFullWidth) }
            if folded.isWhitespace {
                repairs.append(.removedSpaces)
                continue
            }
            chars.append(folded)
        }
        // A cell of dashes or a slash alone (-, —, －, /) is how tables print "none": no figure, as an empty cell.
        if chars.isEmpty || chars.allSatisfy({ $0 == "-" }) || chars == ["/"] { return nil }
        if isDashedZero(chars) {
            return ParsedAmount(money: .zero, repairs: dedupe(repairs + [.dashedZero]))
        }
        let money = try parseClean(chars, original: text, unit: unit)
        if unit == .yuan { repairs.append(.convertedFromYuan) }
        return ParsedAmount(money: money, repairs: dedupe(repairs))
    }

    /// The amount of a plain decimal ("-174.25", "5306.520000"), read byte by byte; nil for anything
    /// else (spaces, separators, too many decimals, overflow), which the full parser then handles.
    /// Every statements.tsv amount is plain, so loading a dataset goes this way.
    private static func plain(_ text: String, unit: AmountUnit) -> Money? {
        var whole: Int64 = 0, fraction: Int64 = 0, decimals = 0
        var negative = false, sawDot = false, digits = 0
        for (k, b) in text.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "-") where k == 0: negative = true
            case UInt8(ascii: "."): if sawDot || digits == 0 { return nil }; sawDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let d = Int64(b - UInt8(ascii: "0"))
                digits += 1
                if sawDot {
                    decimals += 1
                    if decimals > Money.maxDecimals { return nil }
                    fraction = fraction * 10 + d
                } else {
                    let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { return nil }
                    whole = a
                }
            default: return nil
            }
        }
        guard digits > 0, !sawDot || decimals > 0 else { return nil }
        let perUnit = unit == .wan ? Money.unitsPerWan : Money.unitsPerYuan
        var scale: Int64 = 1
        for _ in 0..<(Money.maxDecimals - decimals) { scale *= 10 }
        // The fraction in 0.000001 units, then in the amount's unit (元 carry 2 decimals of 0.01 元 each).
        let (w, o1) = whole.multipliedReportingOverflow(by: perUnit)
        let (fractionUnits, rest) = (fraction * scale * perUnit).quotientAndRemainder(dividingBy: Money.unitsPerWan)
        guard !o1, rest == 0 else { return nil }
        let (total, o2) = w.addingReportingOverflow(fractionUnits)
        if o2 { return nil }
        return Money(units: negative ? -total : total)
    }

    /// Convenience for clean literals in code and tests: `Money("174.25")`.
    public init?(_ text: String, unit: AmountUnit = .wan) {
        guard let p = try? Money.parse(text, unit: unit) else { return nil }
        self = p.money
    }

    private static func isDashedZero(_ chars: [Character]) -> Bool {
        guard let zero = chars.firstIndex(of: "0"), chars.contains("-") else { return false }
        let before = chars[..<zero], after = chars[(zero + 1)...]
        return !before.isEmpty && !after.isEmpty
            && before.allSatisfy { $0 == "-" } && after.allSatisfy { $0 == "-" }
    }

    private static func parseClean(_ chars: [Character], original: String, unit: AmountUnit) throws(MoneyError) -> Money {
        var i = 0
        var negative = false
        if chars[0] == "-" || chars[0] == "+" {
            negative = chars[0] == "-"
            i = 1
        }
        var intDigits: [UInt8] = []
        var groups: [Int] = []  // lengths of digit runs split by ','
        var run = 0
        var fracDigits: [UInt8] = []
        var inFraction = false
        while i < chars.count {
            let c = chars[i]
            if let d = c.wholeNumberValue, c.isASCII {
                if inFraction { fracDigits.append(UInt8(d)) } else { intDigits.append(UInt8(d)); run += 1 }
            } else if c == "," && !inFraction {
                groups.append(run); run = 0
            } else if c == "." && !inFraction {
                inFraction = true
            } else {
                throw .invalid(text: original, reason: "unexpected \"\(c)\"")
            }
            i += 1
        }
        groups.append(run)
        if intDigits.isEmpty && fracDigits.isEmpty { throw .invalid(text: original, reason: "no digits") }
        if intDigits.isEmpty { throw .invalid(text: original, reason: "no digits before the decimal point") }
        if inFraction && fracDigits.isEmpty { throw .invalid(text: original, reason: "no digits after the decimal point") }
        if groups.count > 1 {
            let first = groups[0], rest = groups.dropFirst()
            if !(1...3).contains(first) || rest.contains(where: { $0 != 3 }) {
                throw .invalid(text: original, reason: "thousands separator out of place")
            }
        }
        if fracDigits.count > unit.maxDecimals {
            // Trailing zeros beyond the exact precision carry no information.
            let significant = fracDigits.lastIndex(where: { $0 != 0 }).map { $0 + 1 } ?? 0
            if significant > unit.maxDecimals {
                throw .tooPrecise(text: original, decimals: fracDigits.count, allowed: unit.maxDecimals)
            }
            fracDigits = Array(fracDigits.prefix(unit.maxDecimals))
        }
        var whole: Int64 = 0
        for d in intDigits {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { throw .overflow("reading \"\(original)\"") }
            whole = s
        }
        var frac: Int64 = 0
        var fracScale: Int64 = 1
        for d in fracDigits { frac = frac * 10 + Int64(d); fracScale *= 10 }
        // units = whole × unitsPerOne + frac × unitsPerOne / 10^decimals (exact by construction)
        let perOne = unit.unitsPerOne
        let (w, o) = whole.multipliedReportingOverflow(by: perOne)
        if o { throw .overflow("reading \"\(original)\"") }
        let f = frac * (perOne / fracScale)
        let (total, o3) = w.addingReportingOverflow(f)
        if o3 { throw .overflow("reading \"\(original)\"") }
        return Money(units: negative ? -total : total)
    }

    private static func dedupe(_ r: [AmountRepair]) -> [AmountRepair] {
        var seen = Set<AmountRepair>()
        return r.filter { seen.insert($0).inserted }
    }
}

/// Maps full-width digits and punctuation to ASCII and U+3000 to a space; other characters unchanged.
public func foldFullWidth(_ ch: Character) -> Character {
    guard let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1 else { return ch }
    switch scalar.value {
    case 0xFF01...0xFF5E: return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
    case 0x3000: return " "
    case 0x2212, 0x2013, 0x2014, 0xFE63: return "-"  // minus sign and dashes
    default: return ch
    }
}

/// Unicode's White_Space, with ASCII decided without a table look-up.
@inline(__always)
private func isWhiteSpace(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x80 ? u.value == 0x20 || (0x09...0x0D).contains(u.value) : u.properties.isWhitespace
}

extension StringProtocol {
    /// The text without leading and trailing white space (including U+3000), in time linear in its length
    /// (scalar by scalar:
    /// `Substring.last` on Characters re-scans, and 40,000 trailing spaces took seconds).
    public func trimmed() -> String {
        let s = String(self)
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isWhiteSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard isWhiteSpace(scalars[before]) else { break }
            end = before
        }
        if start == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[start..<end])
    }
}
