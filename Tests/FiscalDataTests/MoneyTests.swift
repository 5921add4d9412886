// MoneyTests.swift — exact amounts: every number form the disclosures print,
// 元 → 万元 conversion, formatting, exact sums, percentages, overflow.

import XCTest
@testable import FiscalData

final class MoneyTests: XCTestCase {
    private func units(_ text: String, _ unit: AmountUnit = .wan) throws -> Int64? {
        try Money.parse(text, unit: unit)?.money.units
    }

    func testNumberFormsFromTheDocuments() throws {
        let cases: [(String, Int64)] = [
            ("5,306.52", 5_306_520_000),
            ("174. 25", 174_250_000),
            ("1, 431. 217495", 1_431_217_495),
            ("0. 97", 970_000),
            ("5, 508. 974386", 5_508_974_386),
            ("1,091. 871800", 1_091_871_800),
            ("0", 0),
            ("14864.9", 14_864_900_000),
            ("-62.74", -62_740_000),
            ("４２．５", 42_500_000),
            ("  113.14 ", 113_140_000),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try units(text), expected, text)
        }
    }

    func testDashedZeroIsZeroAndEmptyIsAbsent() throws {
        XCTAssertEqual(try Money.parse("-0-")?.money, .zero)
        XCTAssertEqual(try Money.parse("--0--")?.money, .zero)
        XCTAssertEqual(try Money.parse(" -0- ")?.repairs, [.dashedZero])
        XCTAssertNil(try Money.parse(""))
        XCTAssertNil(try Money.parse("   "))
        XCTAssertNil(try Money.parse("\u{3000}"))
        // A dash or a slash alone is how a table prints "none": absent, as an empty cell; a sign alone is not.
        for none in ["-", "—", "－", "–", "--", "/", " － "] { XCTAssertNil(try Money.parse(none), none) }
        XCTAssertThrowsError(try Money.parse("+"))
    }

    func testRepairsAreReported() throws {
        XCTAssertEqual(try Money.parse("174. 25")?.repairs, [.removedSpaces])
        XCTAssertEqual(try Money.parse("5,306.52")?.repairs, [])
        XCTAssertEqual(try Money.parse("１７４")?.repairs, [.foldedFullWidth])
        XCTAssertEqual(try Money.parse("13,000.00", unit: .yuan)?.repairs, [.convertedFromYuan])
    }

    func testYuanConvertsExactly() throws {
        XCTAssertEqual(try units("13,000.00", .yuan), 1_300_000)          // 1.3 万元
        XCTAssertEqual(try Money.parse("13,000.00", unit: .yuan)?.money.format(grouping: true), "1.3")
        XCTAssertEqual(try units("0.01", .yuan), 1)                       // 0.000001 万元
        XCTAssertEqual(try units("2500", .yuan), 250_000)                 // 0.25 万元
        XCTAssertThrowsError(try Money.parse("0.001", unit: .yuan)) { error in
            XCTAssertEqual(error as? MoneyError, .tooPrecise(text: "0.001", decimals: 3, allowed: 2))
        }
    }

    func testMalformedNumbersAreErrors() {
        let bad = ["12a", "1,23.4", "12,3456", ".5", "5.", "1.2.3", "七"]
        for text in bad {
            XCTAssertThrowsError(try Money.parse(text), text) { XCTAssertTrue($0 is MoneyError) }
        }
        XCTAssertThrowsError(try Money.parse("1.1234567")) { error in
            XCTAssertEqual(error as? MoneyError, .tooPrecise(text: "1.1234567", decimals: 7, allowed: 6))
        }
        // Trailing zeros past the precision carry nothing and are accepted.
        XCTAssertEqual(Money("1.50000000"), Money(units: 1_500_000))
    }

    func testFormatting() {
        XCTAssertEqual(Money(units: 5_306_520_000).format(grouping: true), "5,306.52")
        XCTAssertEqual(Money(units: 5_306_520_000).format(grouping: false), "5306.52")
        XCTAssertEqual(Money(units: 5_508_974_386).format(grouping: true), "5,508.974386")
        XCTAssertEqual(Money(units: 174_250_000).format(grouping: true), "174.25")
        XCTAssertEqual(Money(units: 550_800_000).format(grouping: true), "550.8")
        XCTAssertEqual(Money(units: 0).format(grouping: true), "0")
        XCTAssertEqual(Money(units: -62_740_000).format(grouping: true), "-62.74")
        XCTAssertEqual(Money(units: 1).format(grouping: true), "0.000001")
        XCTAssertEqual(Money(units: 1_234_567_000_000).format(grouping: true), "1,234,567")
        XCTAssertEqual(Money(units: -1_234_000_000).format(grouping: true), "-1,234")
    }

    /// A million random amounts, printed, read back and summed, against an integer reference.
    func testMillionRandomAmountsSumExactly() throws {
        var rng = SplitMix64(seed: 20_241_231)
        var reference: Int128 = 0
        var total = Money.zero
        for i in 0..<1_000_000 {
            let u = Int64(bitPattern: rng.next() % 100_000_000_000_000) - 50_000_000_000_000  // ±5e7 万元
            reference += Int128(u)
            let text = Money(units: u).format(grouping: i % 2 == 0)
            let read = try XCTUnwrap(Money.parse(text)?.money)
            XCTAssertEqual(read.units, u)
            total = try total.adding(read)
        }
        XCTAssertEqual(Int128(total.units), reference)
    }

    /// Plain decimals (the fast path) read the same as the documents' forms: 元 with 0–2 decimals,
    /// 万元 with up to 6, negatives; a third decimal of 元 is not exact and is refused.
    func testPlainDecimalsInBothUnits() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let cents = Int64(rng.next() % 10_000_000_000) * (rng.next() % 2 == 0 ? 1 : -1)
            let sign = cents < 0 ? "-" : ""
            let whole = cents.magnitude / 100, fraction = cents.magnitude % 100
            let texts = ["\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)", fraction == 0 ? "\(sign)\(whole)" : nil]
            for case let text? in texts {
                XCTAssertEqual(try Money.parse(text, unit: .yuan)?.money.units, cents, text)
                XCTAssertEqual(try Money.parse(text, unit: .yuan)?.repairs, [.convertedFromYuan])
            }
        }
        XCTAssertThrowsError(try Money.parse("1.005", unit: .yuan))
        XCTAssertEqual(try Money.parse("-0.000001")?.money.units, -1)
        XCTAssertEqual(try Money.parse("007.5")?.money, Money("7.5"))
    }

    func testOverflowIsAnErrorNotAWrap() {
        let big = Money(units: .max)
        XCTAssertThrowsError(try big.adding(Money(units: 1))) { XCTAssertTrue(($0 as? MoneyError).map { if case .overflow = $0 { return true } else { return false } } ?? false) }
        XCTAssertThrowsError(try Money(units: .min).subtracting(Money(units: 1)))
        XCTAssertThrowsError(try Money.sum([big, big]))
        XCTAssertThrowsError(try Money.parse("99999999999999999999"))
        XCTAssertThrowsError(try Money.parse("9,223,372,036,855"))   // > Int64 max in units
        XCTAssertNoThrow(try Money.parse("9,223,372,036,854"))
    }

    func testPercentIsExactAndRoundsHalfAwayFromZero() throws {
        // 000: 比2024年年初预算减少62.74万元，下降20.76%: 62.74 / (239.51 + 62.74)
        let p = try XCTUnwrap(Money.percent(Money("-62.74")!, of: Money("302.25")!))
        XCTAssertEqual(p.description, "-20.76")
        XCTAssertEqual(Money.percent(Money("1")!, of: Money("8")!)?.description, "12.50")
        XCTAssertEqual(Money.percent(Money("0.00125")!, of: Money("1")!)?.description, "0.13")    // 0.125 → 0.13
        XCTAssertEqual(Money.percent(Money("-0.00125")!, of: Money("1")!)?.description, "-0.13")  // half away from zero
        XCTAssertEqual(Money.percent(Money("0.001249")!, of: Money("1")!)?.description, "0.12")
        XCTAssertEqual(Money.percent(Money("174.25")!, of: Money("174.25")!)?.description, "100.00")
        XCTAssertNil(Money.percent(Money("1")!, of: .zero))
        XCTAssertTrue(Money.percent(Money("1")!, of: Money("3")!)! < Money.percent(Money("1")!, of: Money("2")!)!)
        XCTAssertEqual(Money.percent(Money("1")!, of: Money("3")!)!, Money.percent(Money("2")!, of: Money("6")!)!)
    }
}

/// A small deterministic generator, so random tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
