// NearMissTests.swift — did-you-mean stays a near miss and stays linear: a word
// more than 3 edits longer or shorter than a name is never compared letter by
// letter (a megabyte-long field name took 80 s of edit distances; issue 14).

import XCTest
import FQL

final class NearMissTests: XCTestCase {
    func testNearMissesAndLongWords() {
        XCTAssertEqual(nearMiss("untt", among: ["unit", "year", "phase"]), "unit")
        XCTAssertEqual(nearMiss("fianl", among: ["final", "facts"]), "final")
        XCTAssertNil(nearMiss("u", among: ["unit_name_longer"]), "more than 3 letters apart in length")
        XCTAssertNil(nearMiss(String(repeating: "u", count: 1_000_000), among: ["unit"]), "a long word has no near miss")
        XCTAssertNil(nearMiss(String(repeating: "unit", count: 17), among: [String(repeating: "unit", count: 17) + "x"]),
                     "past 64 letters nothing is suggested")
    }
}
