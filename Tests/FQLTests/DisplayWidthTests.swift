// DisplayWidthTests.swift — terminal cells per text, from the Unicode data
// (issue 15): wide and full-width characters take two cells, combining marks
// and format characters none; the code points the old hand-made table got
// wrong (emoji, Tangut, Nüshu, combining marks) are among the cases. And the
// generated table is what scripts/gen-width.py makes.

import Foundation
import RepoPaths
import XCTest
import FiscalData
@testable import FQL

final class DisplayWidthTests: XCTestCase {
    /// Text, and the cells a terminal gives it.
    static let cases: [(String, Int)] = [
        ("abc", 3), ("蔡甸区", 6), ("，。（）", 8), ("Ａ", 2), ("ｱ", 1), ("한", 2),
        ("✅", 2), ("🚀", 2), ("👨\u{200D}👩", 4), ("❤\u{FE0F}", 1),
        ("e\u{301}", 1), ("a\u{20DD}", 1), ("\u{0E01}\u{0E31}", 1),
        ("\u{17000}", 2), ("\u{1B170}", 2), ("\u{1F9D1}", 2), ("\u{30000}", 2),
        ("\u{1100}\u{1161}\u{11AB}", 2), ("x\u{200B}y", 2), ("soft\u{AD}", 5),
    ]

    func testCellsPerText() {
        for (text, cells) in Self.cases {
            let scalars = text.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            XCTAssertEqual(displayWidth(text), cells, "U+\(scalars)")
        }
    }

    func testTheTableIsWhatTheScriptGenerates() throws {
        let made = try Subprocess.run("/usr/bin/env", ["python3", RepoPaths.root + "/scripts/gen-width.py"])
        XCTAssertEqual(made.status, 0, made.err)
        let kept = try String(contentsOfFile: RepoPaths.root + "/Sources/FQL/Output/WidthTable.swift", encoding: .utf8)
        XCTAssertEqual(String(decoding: made.out, as: UTF8.self), kept, "run: python3 scripts/gen-width.py > Sources/FQL/Output/WidthTable.swift")
    }
}
