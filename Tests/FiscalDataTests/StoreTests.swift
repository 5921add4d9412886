// StoreTests.swift — the statement store and its file: round trip, indexes
// against a full scan, the invariant check, and bad lines named by place.

import XCTest
@testable import FiscalData

final class StoreTests: XCTestCase {
    /// Random but valid statements, with every optional field sometimes absent and awkward text.
    static func randomStatements(_ n: Int, seed: UInt64) -> [Statement] {
        var rng = SplitMix64(seed: seed)
        let units = ["北京市东城区城市管理指挥中心", "武汉市蔡甸区城市运行管理中心", "北京市西城区城市管理指挥中心"]
        let funcs = ["201", "20103", "2010350", "2120101", "2120107", "21201", "212", "2210201", "2080501"]
        let projects = ["东城区“接诉即办”专项工作经费", "tab\tin name", "back\\slash", "line\nbreak", "监督员装备费"]
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func maybe<T>(_ v: @autoclosure () -> T) -> T? { rng.next() % 3 == 0 ? nil : v() }
        return (0..<n).map { i in
            Statement(unit: pick(units), region: pick(["北京市东城区", "武汉市蔡甸区", ""]), year: 2022 + Int(rng.next() % 4),
                      phase: pick(Phase.allCases), measure: pick(Measure.allCases),
                      function: maybe(Code(pick(funcs), scheme: .function)!),
                      econDept: maybe(Code(pick(["30101", "302", "30227"]), scheme: .econDept)!),
                      econGov: maybe(Code(pick(["50101", "502"]), scheme: .econGov)!),
                      nature: maybe(pick(Nature.allCases)), fund: maybe(pick(Fund.allCases)), cost: maybe(pick(Cost.allCases)),
                      project: maybe(pick(projects)), category: maybe(pick(["公务接待费", "C-服务"])),
                      amount: Money(units: Int64(bitPattern: rng.next() % 10_000_000_000_000) - 1_000_000_000_000),
                      doc: pick(["000_28812af1b3d468ad", "003_7b7825285b0ac163"]), table: pick(["预算03表 支出预算总表", ""]),
                      line: 1 + i % 800, level: pick(RowLevel.allCases), derived: maybe(pick(["比年初预算减少62.74万元"])))
        }
    }

    func testFileRoundTripKeepsEveryField() throws {
        let statements = Self.randomStatements(5_000, seed: 7)
        let text = StatementFile.text(statements)
        let store = try StatementFile.read(text, file: "s.tsv")
        XCTAssertEqual(store.count, statements.count)
        XCTAssertEqual(store.statements, statements)
        XCTAssertEqual(StatementFile.text(store.statements), text)
    }

    /// The fast reader (bytes straight into columns) gives the store the checked reader gives, for the bundled
    /// dataset and for random statements without escapes; a file with an escape goes to the checked reader.
    func testFastReaderAgreesWithTheCheckedReader() throws {
        let bundled = try String(contentsOfFile: Repo.datasets + "/statements.tsv", encoding: .utf8)
        let fast = try XCTUnwrap(StatementFile.readFast(bundled), "the writer's own file is read fast")
        XCTAssertEqual(fast.statements, try StatementFile.readChecked(bundled, file: "s.tsv").statements)
        XCTAssertEqual(fast.checkInvariants(), [])
        let plain = Self.randomStatements(5_000, seed: 5).map { s -> Statement in
            var s = s
            if let p = s.project, p.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\\" }) { s.project = "plain" }
            return s
        }
        let text = StatementFile.text(plain)
        let store = try XCTUnwrap(StatementFile.readFast(text))
        XCTAssertEqual(store.statements, plain)
        XCTAssertEqual(StatementFile.text(store.statements), text)
        XCTAssertNil(StatementFile.readFast(StatementFile.text(Self.randomStatements(200, seed: 7))), "escapes go to the checked reader")
        // Fields the fast reader cannot read go to the checked reader, which names the place.
        for bad in ["2024x", "+2024", " 2024"] {
            let broken = text.replacingOccurrences(of: "\t2023\t", with: "\t\(bad)\t")
            XCTAssertNil(StatementFile.readFast(broken), bad)
        }
        for bad in ["1.2345678", "1,000.00", ".5", "1."] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var f = lines[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            f[13] = bad
            lines[1] = f.joined(separator: "\t")
            XCTAssertNil(StatementFile.readFast(lines.joined(separator: "\n")), bad)
        }
        // A line of one field more or less, and a carriage return, go to the checked reader too (tried on eight
        // lines, at different places in the eight-byte words the reader looks at).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for shift in 0..<8 {
            for (label, change) in [("an extra field", { (l: String) in l + "\t" }), ("a field short", { (l: String) in String(l[..<l.lastIndex(of: "\t")!]) }),
                                    ("a carriage return", { (l: String) in l + "\r" })] {
                var broken = lines
                broken[2 + shift] = change(lines[2 + shift])
                XCTAssertNil(StatementFile.readFast(broken.joined(separator: "\n")), "\(label), line \(3 + shift)")
            }
        }
    }

    /// A large file is read on two threads, each half of its lines, and the halves joined: the store (texts'
    /// ids included) is the one a single reader makes, and a line the fast reader cannot read in either half
    /// sends the whole file to the checked reader.
    func testTwoThreadReadGivesTheStoreOneReaderGives() throws {
        let bundled = try String(contentsOfFile: Repo.datasets + "/statements.tsv", encoding: .utf8)
        let plain = Self.randomStatements(5_000, seed: 5).map { s -> Statement in
            var s = s
            if let p = s.project, p.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\\" }) { s.project = "plain" }
            return s
        }
        // Without its last newline too.
        for text in [bundled, StatementFile.text(plain), String(StatementFile.text(plain).dropLast())] {
            let one = try XCTUnwrap(StatementFile.readFast(text, splitFrom: .max))
            let two = try XCTUnwrap(StatementFile.readFast(text, splitFrom: 0))
            XCTAssertEqual(two.columns.pool.strings, one.columns.pool.strings)
            XCTAssertEqual(two.columns.unit, one.columns.unit)
            XCTAssertEqual(two.columns.doc, one.columns.doc)
            XCTAssertEqual(two.columns.amount, one.columns.amount)
            XCTAssertEqual(two.statements, one.statements)
        }
        var lines = StatementFile.text(plain).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A year the fast reader cannot read, in the first half and in the second.
        let of2023 = lines.indices.filter { lines[$0].contains("\t2023\t") }
        for at in [of2023.first!, of2023.last!] {
            var broken = lines
            broken[at] = broken[at].replacingOccurrences(of: "\t2023\t", with: "\t2023x\t")
            XCTAssertTrue(StatementFile.readFast(broken.joined(separator: "\n"), splitFrom: 0) == nil, "line \(at + 1)")
        }
        lines[lines.count / 2] = ""
        XCTAssertTrue(StatementFile.readFast(lines.joined(separator: "\n"), splitFrom: 0) == nil, "an empty line")
    }

    /// The loader reads statements.tsv from its bytes: the same store as from the text, and a text field that
    /// is not UTF-8 is still refused with its line, as the text reader refuses it.
    func testBytesReaderAgreesAndRefusesBytesThatAreNotUTF8() throws {
        let bundled = try Data(contentsOf: URL(fileURLWithPath: Repo.datasets + "/statements.tsv"))
        let fromBytes = try XCTUnwrap(StatementFile.readFast(bytes: bundled))
        XCTAssertEqual(fromBytes.statements, try StatementFile.readChecked(String(decoding: bundled, as: UTF8.self), file: "s.tsv").statements)
        var broken = [UInt8](bundled)
        let line3 = broken.indices.filter { broken[$0] == 0x0A }[1] + 1
        broken[line3] = 0xFF   // the first byte of the third line: its unit
        XCTAssertNil(StatementFile.readFast(bytes: Data(broken)))
        let folder = NSTemporaryDirectory() + "fql-utf8-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Repo.datasets + "/catalogue.tsv", toPath: folder + "/catalogue.tsv")
        try Data(broken).write(to: URL(fileURLWithPath: folder + "/statements.tsv"))
        XCTAssertThrowsError(try Dataset.load(folder: folder)) { error in
            XCTAssertEqual(error as? DatasetError, .notUTF8(path: folder + "/statements.tsv", line: 3, offset: line3))
        }
    }

    /// Statements that come group by group, but not in the store's order of groups (a file in document
    /// order), are reordered a stretch at a time: the same store as from the statements one by one.
    func testGroupByGroupInputIsReorderedByStretches() throws {
        let all = Self.randomStatements(6_000, seed: 21)
        // Grouped, groups in an order of their own (by the hash of their first statement's line).
        let groups = Dictionary(grouping: all.indices) { FactGroup(all[$0]) }.values
            .sorted { all[$0[0]].line &* 7919 % 1013 < all[$1[0]].line &* 7919 % 1013 }
        let grouped = groups.flatMap { $0.map { all[$0] } }
        let store = try Store(grouped)
        XCTAssertTrue(store.isReordered)
        XCTAssertEqual(store.statements, grouped)
        XCTAssertEqual(store.checkInvariants(), [])
        // The same statements with the groups interleaved (a row of each in turn: no stretches) are gathered
        // row by row, and come back as given too.
        var interleaved: [Statement] = []
        for k in 0..<(groups.map(\.count).max() ?? 0) { for g in groups where k < g.count { interleaved.append(all[g[k]]) } }
        XCTAssertEqual(try Store(interleaved).statements, interleaved)
        for i in stride(from: 0, to: store.count, by: 97) {
            let s = store.statement(at: i)
            XCTAssertEqual(s, grouped[store.givenPosition(i)])
        }
    }

    func testGroupsCountedOnTwoThreadsAreNumberedAsInOnePass() throws {
        // The rows' groups are counted in two halves when the store is large; here in two halves of small
        // inputs, against one pass: the same order, the same columns, and "already clustered" alike.
        let all = Self.randomStatements(5_000, seed: 21)
        let key = { (s: Statement) in "\(s.unit)|\(s.year)|\(s.phase)|\(s.measure)" }
        let groups = Dictionary(grouping: all, by: key)
        let byGroup = groups.keys.sorted().flatMap { groups[$0]! }
        let byGroupReversed = groups.keys.sorted().reversed().flatMap { groups[$0]! }
        // A group straddling the halves, and another group of the first half coming back after it.
        var comesBack = byGroup
        comesBack.append(byGroup[0])
        let store = try Store(all)
        let clustered = (0..<store.count).map { store.statement(at: $0) }
        for (label, statements) in [("shuffled", all), ("group by group", byGroup), ("groups reversed", byGroupReversed),
                                    ("a group comes back", comesBack), ("clustered already", clustered),
                                    ("clustered, then the first group again", clustered + [clustered[0]]),
                                    ("two rows", Array(all.prefix(2)))] {
            var columns = Columns()
            for s in statements { columns.append(s) }
            let (one, oneGiven) = Store.clustered(columns, twoThreadsFrom: .max)
            let (two, twoGiven) = Store.clustered(columns, twoThreadsFrom: 2)
            XCTAssertEqual(oneGiven, twoGiven, label)
            if label == "clustered already" { XCTAssertNil(twoGiven, label) } else if label != "two rows" { XCTAssertNotNil(twoGiven, label) }
            XCTAssertEqual(one.unit, two.unit, label)
            XCTAssertEqual(one.year, two.year, label)
            XCTAssertEqual(one.phase, two.phase, label)
            XCTAssertEqual(one.measure, two.measure, label)
            XCTAssertEqual(one.amount, two.amount, label)
            XCTAssertEqual(one.line, two.line, label)
        }
    }

    func testIndexesAgreeWithAFullScan() throws {
        let all = Self.randomStatements(20_000, seed: 11)
        let store = try Store(all)
        XCTAssertEqual(store.checkInvariants(), [])
        // Rows are places in the columns (kept by group); the statements come back in the order given.
        XCTAssertTrue(store.isReordered)
        XCTAssertEqual(store.statements, all)
        let rows = (0..<store.count).map { store.statement(at: $0) }
        XCTAssertEqual((0..<store.count).map { all[store.givenPosition($0)] }, rows)
        func scan(_ p: (Statement) -> Bool) -> RowList { rows.indices.filter { p(rows[$0]) }.map(Int32.init) }
        for u in store.units { XCTAssertEqual(store.rows(unit: u), scan { $0.unit == u }, u) }
        XCTAssertEqual(store.rows(unit: "nobody"), [])
        for y in 2021...2026 { XCTAssertEqual(store.rows(year: y), scan { $0.year == y }) }
        for p in Phase.allCases { XCTAssertEqual(store.rows(phase: p), scan { $0.phase == p }) }
        for m in Measure.allCases { XCTAssertEqual(store.rows(measure: m), scan { $0.measure == m }) }
        for text in ["201", "20103", "2010350", "212", "21201", "2120101", "221", "22102", "208", "209", "2120199"] {
            let node = Code(text, scheme: .function)!
            XCTAssertEqual(store.rows(functionUnder: node), scan { $0.function.map(node.contains) ?? false }, text)
        }
        XCTAssertEqual(store.rows(functionUnder: Code("301", scheme: .econDept)!), [])
        let both = Store.intersect(store.rows(year: 2024), store.rows(phase: .final))
        XCTAssertEqual(both, scan { $0.year == 2024 && $0.phase == .final })
    }

    func testInvariantCheckFindsCorruption() throws {
        let store = try Store(Self.randomStatements(100, seed: 3))
        var cols = store.columns
        cols.amount.removeLast()
        XCTAssertEqual(Store(unchecked: cols, indexes: store.indexes).checkInvariants().first?.hasPrefix("column lengths differ"), true)

        // The store keeps a group's rows together, years first: each year's rows are one stretch.
        XCTAssertTrue(store.indexes.byYear.values.allSatisfy { $0.bounds.count == 2 })
        var idx = store.indexes
        idx.byYear[idx.byYear.keys.first!]!.bounds[0] += 1
        XCTAssertEqual(Store(unchecked: store.columns, indexes: idx).checkInvariants(), ["year index disagrees with a full scan"])
        var touching = store.indexes
        let (k, v) = (touching.byUnit.first!.key, touching.byUnit.first!.value.bounds)
        touching.byUnit[k]!.bounds = [v[0], v[0] + 1, v[0] + 1] + v.dropFirst()
        XCTAssertEqual(Store(unchecked: store.columns, indexes: touching).checkInvariants(), ["unit index disagrees with a full scan"])

        var idx2 = store.indexes
        idx2.byFunction.codes.reverse()
        XCTAssertTrue(Store(unchecked: store.columns, indexes: idx2).checkInvariants().contains("func index is not sorted"))
        // A code's rows out of order (a gap of zero repeats a row).
        var idx3 = store.indexes
        let code = idx3.byFunction.offsets.indices.dropLast().first { idx3.byFunction.offsets[$0 + 1] - idx3.byFunction.offsets[$0] >= 2 }!
        idx3.byFunction.gaps[Int(idx3.byFunction.offsets[code]) + 1] = 0
        XCTAssertFalse(Store(unchecked: store.columns, indexes: idx3).checkInvariants().isEmpty)
        var idx4 = store.indexes
        idx4.byFunction.offsets.removeLast()
        XCTAssertEqual(Store(unchecked: store.columns, indexes: idx4).checkInvariants(), ["func index is not well formed"])

        var cols3 = store.columns
        cols3.phase = RunArray([99] + Array(cols3.phase.dropFirst()))
        XCTAssertTrue(Store(unchecked: cols3, indexes: store.indexes).checkInvariants().contains("row 0: bad phase byte"))
    }

    func testInvalidStatementsAreRefused() {
        var s = Self.randomStatements(1, seed: 1)[0]
        s.function = Code("30101", scheme: .econDept)
        XCTAssertThrowsError(try Store([s])) { XCTAssertEqual($0 as? StoreError, .invalid("func 30101 is not a functional code")) }
        s.function = nil
        s.year = 24
        XCTAssertThrowsError(try Store([s])) { XCTAssertEqual($0 as? StoreError, .invalid("year 24 is out of range")) }
    }

    /// `printed` says which figures the document printed in 元; a file written before that column (19 fields)
    /// still reads, every figure then as printed in 万元. Both readers: the fast one and the checked one (an
    /// escape sends a file to the checked reader).
    func testPrintedUnitRoundTripsAndOldFilesStillRead() throws {
        var a = Self.randomStatements(2, seed: 7)
        a[0].printed = .yuan
        for text in [StatementFile.text(a), StatementFile.text(a).replacingOccurrences(of: a[1].unit, with: a[1].unit + "\\t")] {
            let store = try StatementFile.read(text, file: "s.tsv")
            XCTAssertEqual(store.statements.map(\.printed), [.yuan, .wan])
        }
        let old = StatementFile.headerWithoutPrinted.joined(separator: "\t") + "\n"
            + "东城\t北京市东城区\t2024\tbudget\tspending\t2120101\t30101\t50101\tbasic\tgeneral\t\t\t\t485.49\t003\t预算03表\t121\tleaf\t\n"
        for text in [old, old.replacingOccurrences(of: "东城\t", with: "东\\t城\t")] {
            let store = try StatementFile.read(text, file: "s.tsv")
            XCTAssertEqual(store.statement(at: 0).printed, .wan)
            XCTAssertEqual(store.statement(at: 0).amount, try Money.parse("485.49")!.money)
        }
    }

    func testBadStatementLinesNameFileLineAndColumn() {
        let header = StatementFile.header.joined(separator: "\t")
        let good = "东城\t北京市东城区\t2024\tbudget\tspending\t2120101\t30101\t50101\tbasic\tgeneral\t\t\t\t485.49\t003\t预算03表\t121\tleaf\t\t"
        XCTAssertNoThrow(try StatementFile.read(header + "\n" + good + "\n", file: "s.tsv"))
        func replacing(_ field: Int, _ value: String) -> String {
            var f = good.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            f[field] = value
            return f.joined(separator: "\t")
        }
        let cases: [(String, String)] = [
            (replacing(13, "485,49"), "s.tsv:2:69: amount: not an amount: \"485,49\" (thousands separator out of place)"),
            (replacing(13, "1,485.49"), "s.tsv:2:69: amount: \"1,485.49\" has a thousands separator; the file has none"),
            (replacing(13, "485. 49"), "s.tsv:2:69: amount: \"485. 49\" is not a plain amount (digits, optional minus and point)"),
            (replacing(13, ""), "s.tsv:2:69: amount: missing"),
            (replacing(3, "plan"), "s.tsv:2:16: phase: unknown value \"plan\"; expected one of budget, adjusted, final"),
            (replacing(5, "212010"), "s.tsv:2:32: func: \"212010\" is not a func code"),
            (replacing(2, "二〇二四"), "s.tsv:2:11: year: \"二〇二四\" is not a whole number"),
            (replacing(16, "0"), "s.tsv:2:1: line 0 must be from 1 to 2147483647"),
            (replacing(18, "bad\\q"), "s.tsv:2:98: bad escape; expected \\t, \\n, \\r or \\\\"),
            (replacing(19, "元x"), "s.tsv:2:96: printed: unknown value \"元x\"; expected 元 or empty (万元)"),
            (good + "\textra", "s.tsv:2:97: expected 20 fields, found 21"),
        ]
        for (line, message) in cases {
            XCTAssertThrowsError(try StatementFile.read(header + "\n" + line + "\n", file: "s.tsv"), line) { error in
                XCTAssertEqual((error as? DataFileError)?.description, message)
            }
        }
        XCTAssertThrowsError(try StatementFile.read("unit\tregion\n", file: "s.tsv")) { error in
            XCTAssertEqual((error as? DataFileError)?.description, "s.tsv:1:13: bad header: expected \"year\", found end of line")
        }
        XCTAssertThrowsError(try StatementFile.read("", file: "s.tsv")) { error in
            XCTAssertEqual((error as? DataFileError)?.description, "s.tsv:1:1: empty file; expected the header line")
        }
    }

    func testBundledDatasetLoads() throws {
        let ds = try Dataset.load(folder: Repo.datasets)
        XCTAssertGreaterThanOrEqual(ds.catalog.count, try Repo.catalog().count)
        XCTAssertEqual(ds.store.checkInvariants(), [])
        XCTAssertThrowsError(try Dataset.load(folder: Repo.root + "/no-such-folder")) { error in
            XCTAssertEqual(error as? DatasetError, .missing(path: Repo.root + "/no-such-folder/catalogue.tsv"))
        }
    }
}
