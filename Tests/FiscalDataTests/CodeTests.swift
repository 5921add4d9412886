// CodeTests.swift — codes as values: levels, parents, ancestors, node membership, packing.

import XCTest
@testable import FiscalData

final class CodeTests: XCTestCase {
    private func f(_ s: String) -> Code { Code(s, scheme: .function)! }

    func testLevelsAndParents() {
        XCTAssertEqual(f("212").level, .class)
        XCTAssertEqual(f("21201").level, .section)
        XCTAssertEqual(f("2120101").level, .item)
        XCTAssertEqual(f("2120101").parent, f("21201"))
        XCTAssertEqual(f("21201").parent, f("212"))
        XCTAssertNil(f("212").parent)
        XCTAssertEqual(f("2010350").ancestors, [f("20103"), f("201")])
        XCTAssertEqual(f("2120101").truncated(to: .class), f("212"))
        XCTAssertNil(f("212").truncated(to: .item))
        XCTAssertEqual(Code("30101", scheme: .econDept)!.parent, Code("301", scheme: .econDept))
    }

    func testMembership() {
        XCTAssertTrue(f("212").contains(f("2120101")))
        XCTAssertTrue(f("21201").contains(f("2120101")))
        XCTAssertTrue(f("2120101").contains(f("2120101")))
        XCTAssertTrue(f("201").contains(f("20103")))
        XCTAssertFalse(f("2120101").contains(f("21201")))
        XCTAssertFalse(f("201").contains(f("2120101")))
        XCTAssertFalse(f("20103").contains(f("2013750")))
        // Same digits, other scheme: not a member.
        XCTAssertFalse(Code("301", scheme: .econDept)!.contains(Code("30101", scheme: .econGov)!))
    }

    func testInvalidCodes() {
        for bad in ["", "21", "2120", "201035", "21201011", "0120101", "21a01", " 212"] {
            XCTAssertNil(Code(bad, scheme: .function), bad)
        }
        XCTAssertNil(Code("2120101", scheme: .econDept))  // economic codes stop at 款
        XCTAssertEqual(Code(inferring: "50101")?.scheme, .econGov)
        XCTAssertEqual(Code(inferring: "30101")?.scheme, .econDept)
        XCTAssertEqual(Code(inferring: "2080501")?.scheme, .function)
        XCTAssertNil(Code(inferring: "4010101"))
    }

    func testOrderFollowsTheHierarchy() {
        let sorted = ["202", "2013750", "201", "20137", "2010350", "20103"].map(f).sorted()
        XCTAssertEqual(sorted.map(\.text), ["201", "20103", "2010350", "20137", "2013750", "202"])
    }

    func testPackingRoundTrips() {
        for c in [f("201"), f("2120199"), f("22102"), Code("30399", scheme: .econDept)!, Code("509", scheme: .econGov)!] {
            XCTAssertNotEqual(c.packed, 0)
            XCTAssertEqual(Code(packed: c.packed), c)
        }
        XCTAssertNil(Code(packed: 0))
    }
}
