// Money+Format.swift — printing amounts: with thousands separators for tables,
// without them for CSV/JSON and the dataset files; always only the decimals
// the amount needs (at most 6), so printing and re-reading is exact.

extension Money {
    /// `5,306.52` (grouping) or `5306.52`; `174.25`, `0`, `-62.74`, `5,508.974386`.
    public func format(grouping: Bool) -> String {
        let negative = units < 0
        let m = units.magnitude
        let whole = m / UInt64(Money.unitsPerWan)
        var frac = m % UInt64(Money.unitsPerWan)
        var wholeText = String(whole)
        if grouping && wholeText.count > 3 {
            var grouped = ""
            for (i, ch) in wholeText.enumerated() {
                if i > 0 && (wholeText.count - i) % 3 == 0 { grouped.append(",") }
                grouped.append(ch)
            }
            wholeText = grouped
        }
        var text = (negative ? "-" : "") + wholeText
        if frac != 0 {
            var digits = Money.maxDecimals
            while frac % 10 == 0 { frac /= 10; digits -= 1 }
            let f = String(frac)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }
}

extension Money {
    /// The decimals this amount needs (0…6): 2 for 174.25, 1 for 1.3, 6 for 5508.974386.
    public var decimalsNeeded: Int {
        var frac = units.magnitude % UInt64(Money.unitsPerWan)
        if frac == 0 { return 0 }
        var d = Money.maxDecimals
        while frac % 10 == 0 { frac /= 10; d -= 1 }
        return d
    }

    /// Like `format(grouping:)`, padded with zeros to at least `decimals` decimals (`550.80` in a column of cents).
    public func format(grouping: Bool, decimals: Int) -> String {
        let text = format(grouping: grouping)
        let have = decimalsNeeded
        guard decimals > have else { return text }
        return text + (have == 0 ? "." : "") + String(repeating: "0", count: decimals - have)
    }
}
