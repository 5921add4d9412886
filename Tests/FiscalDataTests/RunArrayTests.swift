// RunArrayTests.swift — a column kept as runs reads back exactly the rows put
// in, whichever form it chose, through every way of reading it; and it picks
// the smaller form.

import XCTest
@testable import FiscalData

final class RunArrayTests: XCTestCase {
    /// Rows with long runs, short runs and steps (as lines rise), from a seed.
    static func rows(_ n: Int, seed: UInt64, runLength: Int) -> [Int32] {
        var rng = SplitMix64(seed: seed)
        var out: [Int32] = []
        while out.count < n {
            let v = Int32(truncatingIfNeeded: rng.next() % 7)
            let length = 1 + Int(rng.next() % UInt64(runLength))
            let rising = rng.next() % 3 == 0
            for k in 0..<length where out.count < n { out.append(rising ? v + Int32(k) : v) }
        }
        return out
    }

    /// Every way of reading `a` gives `rows`.
    func assertReads(_ a: RunArray<Int32>, _ rows: [Int32], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, rows.count, label, file: file, line: line)
        XCTAssertEqual((0..<rows.count).map { a[$0] }, rows, "\(label): subscript", file: file, line: line)
        XCTAssertEqual(Array(a), rows, "\(label): iterator", file: file, line: line)
        XCTAssertEqual(a.expanded, rows, "\(label): expanded", file: file, line: line)
        var cursor = RunArray.Cursor(a)
        XCTAssertEqual((0..<rows.count).map { cursor($0) }, rows, "\(label): cursor", file: file, line: line)
        // A cursor that jumps back and far ahead.
        var jumping = RunArray.Cursor(a)
        for i in stride(from: rows.count - 1, through: 0, by: -37) { XCTAssertEqual(jumping(i), rows[i], label, file: file, line: line) }
        guard !a.stepped, rows.count > 10 else { return }
        for range in [0..<rows.count, 3..<rows.count / 2, rows.count / 3..<rows.count / 3 + 1, 5..<5] {
            var seen: [Int32] = []
            var lastValue: Int32? = nil, lastEnd = range.lowerBound
            a.forEachRun(in: range) { r, v in
                XCTAssertEqual(r.lowerBound, lastEnd, "\(label): runs follow each other", file: file, line: line)
                if a.isDense { XCTAssertNotEqual(v, lastValue, "\(label): neighbouring runs differ", file: file, line: line) }
                seen += repeatElement(v, count: r.count)
                (lastValue, lastEnd) = (v, r.upperBound)
            }
            XCTAssertEqual(seen, Array(rows[range]), "\(label): forEachRun \(range)", file: file, line: line)
            XCTAssertEqual(a.anyNonZero(in: range), rows[range].contains { $0 != 0 }, label, file: file, line: line)
        }
    }

    func testAColumnOfOneRunGatheredInAnyOrder() {
        // One value on every row is so in any order (kept as it is); a stepped one run (lines rising) is not.
        var order = (0..<Int32(500)).map { $0 }
        var g = SystemRandomNumberGenerator()
        order.shuffle(using: &g)
        let same = [Int32](repeating: 7, count: 500)
        let one = RunArray(same)
        XCTAssertEqual(one.runCount, 1)
        assertReads(one.gathered(order), same, "one value, gathered")
        let rising = (1...Int32(500)).map { $0 }
        let stepped = RunArray(rising, stepped: true)
        XCTAssertEqual(stepped.runCount, 1)
        assertReads(stepped.gathered(order), order.map { rising[Int($0)] }, "rising, gathered")
        assertReads(RunArray<Int32>([]).gathered([]), [], "empty, gathered")
    }

    func testEveryFormReadsBackItsRows() {
        for (seed, runLength) in [(1, 1), (2, 3), (3, 40), (4, 400)] as [(UInt64, Int)] {
            let rows = Self.rows(3000, seed: seed, runLength: runLength)
            for stepped in [false, true] {
                let label = "seed \(seed), runs up to \(runLength), stepped \(stepped)"
                // Made at once, and row by row.
                let made = RunArray(rows, stepped: stepped)
                assertReads(made, rows, label + ", made")
                var appended = RunArray<Int32>(stepped: stepped)
                for v in rows { appended.append(v) }
                assertReads(appended, rows, label + ", appended")
                var indexed = appended
                indexed.index()
                XCTAssertEqual(indexed.blockRun.isEmpty, indexed.isDense || indexed.runCount < 2, label)
                assertReads(indexed, rows, label + ", indexed")
                XCTAssertEqual(indexed, appended, label)
                // Two halves joined (as the loader's two threads are).
                var first = RunArray(Array(rows[..<1234]), stepped: stepped)
                first.append(contentsOf: RunArray(Array(rows[1234...]), stepped: stepped))
                assertReads(first, rows, label + ", joined")
                // Reordered, and compacted after rows came in another order.
                let order = (0..<Int32(rows.count)).reversed().map { $0 }
                assertReads(made.gathered(order), rows.reversed(), label + ", gathered")
                var dense = RunArray(values: stepped ? rows.enumerated().map { $1 &- Int32($0) } : rows, starts: [],
                                     isDense: true, stepped: stepped, count: rows.count)!
                dense.compact()
                assertReads(dense, rows, label + ", compacted")
                XCTAssertEqual(dense.isDense, made.isDense, label)
                // Rebuilt from its parts (a snapshot).
                let parts = RunArray(values: made.values, starts: made.starts, isDense: made.isDense, stepped: stepped, count: rows.count)
                XCTAssertEqual(parts, made, label)
            }
            let texts = RunArray(rows.map { UInt32(bitPattern: $0) }).mapped { $0 + 10 }
            XCTAssertEqual(Array(texts), rows.map { UInt32(bitPattern: $0) + 10 })
        }
    }

    func testTheSmallerFormIsKept() {
        // One value per group of 200 rows: runs; a value changing every row: dense.
        let grouped = (0..<10_000).map { UInt32($0 / 200) }
        let a = RunArray(grouped)
        XCTAssertFalse(a.isDense)
        XCTAssertEqual(a.runCount, 50)
        let changing = (0..<10_000).map { UInt8($0 % 2) }
        XCTAssertTrue(RunArray(changing).isDense)
        // Lines rising by one a row (a stepped column): one run per stretch of consecutive lines.
        let lines: [Int32] = (0..<10_000).map { (i: Int) -> Int32 in Int32(i < 5000 ? 7 + i : 100 + i) }
        let l = RunArray(lines, stepped: true)
        XCTAssertEqual(l.runCount, 2)
        XCTAssertEqual(Array(l), lines)
        // A column appended to row by row turns dense once runs would be larger, and reads the same.
        var b = RunArray<UInt8>()
        for v in changing { b.append(v) }
        XCTAssertTrue(b.isDense)
        XCTAssertEqual(Array(b), changing)
    }

    /// Built a run at a time (a fact selector's group of each row and its members): the rows put in, runs
    /// where runs are smaller, dense where every row differs.
    func testRunAtATime() {
        var groups = RunArray<Int32>(), expected: [Int32] = []
        for (g, k) in [(3, 5), (3, 2), (1, 1), (7, 300), (0, 0), (2, 4)] as [(Int32, Int)] {
            groups.append(g, count: k)
            expected += repeatElement(g, count: k)
        }
        groups.finish()
        assertReads(groups, expected.map { $0 }, "groups")
        XCTAssertEqual(groups.runCount, 4)
        var members = RunArray<Int32>(stepped: true), rising: [Int32] = []
        for (first, k) in [(10, 5), (15, 3), (40, 2), (0, 7)] as [(Int32, Int)] {
            members.appendRising(from: first, count: k)
            rising += (0..<Int32(k)).map { first + $0 }
        }
        members.finish()
        assertReads(members, rising, "members")
        XCTAssertEqual(members.runCount, 3)
        var single = RunArray<Int32>()
        for v in 0..<Int32(500) { single.append(v, count: 1) }
        single.finish()
        XCTAssertTrue(single.isDense)
        XCTAssertEqual(Array(single), Array(0..<500))
    }

    func testPartsThatDoNotMakeAColumnAreRefused() {
        XCTAssertNil(RunArray<UInt8>(values: [1, 2], starts: [0], isDense: false, stepped: false, count: 5))
        XCTAssertNil(RunArray<UInt8>(values: [1, 2], starts: [0, 0], isDense: false, stepped: false, count: 5))
        XCTAssertNil(RunArray<UInt8>(values: [1, 2], starts: [1, 3], isDense: false, stepped: false, count: 5))
        XCTAssertNil(RunArray<UInt8>(values: [1, 2], starts: [0, 5], isDense: false, stepped: false, count: 5))
        XCTAssertNil(RunArray<UInt8>(values: [1, 2], starts: [], isDense: true, stepped: false, count: 5))
        XCTAssertNotNil(RunArray<UInt8>(values: [1, 2], starts: [0, 4], isDense: false, stepped: false, count: 5))
    }
}
