// PropertyTests.swift — properties over random queries on the real dataset:
// grouping partitions the facts (a grouped sum adds up to the rows it
// grouped), and facts never double count (any grouping of one document's
// group of facts adds up to the same total as no grouping at all, because
// money a cut leaves unclassified is a null-key group).

import XCTest
import FQL
import FiscalData

final class PropertyTests: XCTestCase {
    /// A small deterministic generator, so failures reproduce.
    struct SplitMix { var s: UInt64; mutating func next() -> UInt64 { s &+= 0x9E3779B97F4A7C15; var z = s
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) }
        mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] } }

    let keys = ["class", "section", "item", "nature", "econ", "fund", "cost", "project", "unit", "year", "func"]
    let filters = ["", "unit ~ \"东城\"", "unit ~ \"西城\"", "unit ~ \"蔡甸\"", "year = 2024", "nature = basic",
                   "class = 212", "func = 201", "amount > 1", "class in (208, 221)", "not nature = project"]

    private func total(_ t: Table, column: String) -> Money? {
        guard let c = t.columns.firstIndex(where: { $0.name == column }) else { return nil }
        return try? Money.sum(t.rows.compactMap { r -> Money? in if case .money(let m) = r[c] { return m }; return nil })
    }

    func testGroupedSumEqualsTheSumOfTheRowsGrouped() throws {
        let engine = try Repo.engine()
        var rng = SplitMix(s: 2024)
        var checked = 0
        for _ in 0..<300 {
            let source = rng.pick(["budget", "final", "spending | where phase = final", "income"])
            let f1 = rng.pick(filters), f2 = rng.pick(filters)
            let k1 = rng.pick(keys), k2 = rng.pick(keys)
            let filter = [f1, f2].filter { !$0.isEmpty }.joined(separator: " and ")
            let base = source + (filter.isEmpty ? "" : " | where " + filter)
            let by = Set([k1, k2]).sorted().joined(separator: ", ")
            guard let grouped = try? engine.query("\(base) | sum by \(by)"),
                  let listed = try? engine.query("\(base) | select \(by), amount") else { continue }
            XCTAssertEqual(total(grouped, column: "amount"), total(listed, column: "amount"), "\(base) by \(by)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testAnyGroupingOfAGroupAddsUpToItsTotal() throws {
        let engine = try Repo.engine()
        let groups = [("budget", "东城", 2024, "5306.52"), ("final", "蔡甸", 2024, "174.25"),
                      ("budget", "西城", 2026, "5508.974386"), ("final", "西城", 2024, "5474.79")]
        var checked = 0
        for (source, unit, year, expected) in groups {
            let base = "\(source) | where unit ~ \"\(unit)\" and year = \(year)"
            XCTAssertEqual(total(try engine.query(base + " | sum"), column: "amount"), Money(expected), base)
            for k in keys {
                guard let t = try? engine.query("\(base) | sum by \(k)") else { continue }
                XCTAssertEqual(total(t, column: "amount"), Money(expected), "\(base) | sum by \(k)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }

    /// One answer per question (issue 11, item 3): for every unit, year, phase and measure of the bundled
    /// dataset and every field F, the rows of `sum by F` add up to `sum`, and `where F = x | sum` gives the
    /// row of x — the cut that answers a group does not depend on the shape of the query.
    func testOneAnswerWhateverTheShapeOfTheQuestion() throws {
        let engine = try Repo.engine()
        let groups = try engine.query("rows | where level = leaf | count by unit, year, phase, measure")
        let fields = ["class", "section", "item", "econ", "econ_gov", "nature", "fund", "cost", "project", "category"]
        var checked = 0, rowsChecked = 0
        func literal(_ v: Value) -> String {
            switch v {
            case .text(let t): return "\"" + t.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            default: return v.description
            }
        }
        for g in groups.rows {
            guard case .text(let unit) = g[0], case .int(let year) = g[1] else { continue }
            let base = "facts | where unit = \(literal(.text(unit))) and year = \(year) and phase = \(g[2].description) and measure = \(g[3].description)"
            guard let whole = try? engine.query(base + " | sum"), case .money(let total)? = whole.rows.first?[0] else { continue }
            for f in fields {
                guard let by = try? engine.query("\(base) | sum by \(f)") else { continue }
                XCTAssertEqual(self.total(by, column: "amount"), total, "\(base) | sum by \(f)")
                let key = 0, amount = by.columns.firstIndex { $0.name == "amount" }!
                for r in by.rows where !r[key].isNull {
                    let q = "\(base) and \(f) = \(literal(r[key])) | sum"
                    let one = try engine.query(q)
                    XCTAssertEqual(one.rows.first?[0], r[amount], q)
                    rowsChecked += 1
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
        XCTAssertGreaterThan(rowsChecked, 200)
    }

    /// The evaluator reads statements from the store's columns, not from materialised statements: every
    /// field of every row, read through a query, is the field of the statement the store gives back.
    func testEveryFieldReadFromTheColumnsIsTheStatementsField() throws {
        let engine = try Repo.engine()
        let fields = ["unit", "region", "year", "phase", "measure", "func", "class", "section", "item", "econ",
                      "econ_gov", "nature", "fund", "cost", "project", "category", "amount", "doc", "table", "line",
                      "level", "derived", "func.name", "econ.name"]
        let t = try engine.query("rows | select " + fields.joined(separator: ", "))
        let statements = engine.dataset.store.statements
        XCTAssertEqual(t.rows.count, statements.count)
        let catalog = engine.dataset.catalog
        func code(_ c: Code?) -> Value { c.map(Value.code) ?? .null }
        func text(_ x: String?) -> Value { x.map(Value.text) ?? .null }
        for (row, s) in zip(t.rows, statements) {
            let expected: [Value] = [
                .text(s.unit), s.region.isEmpty ? .null : .text(s.region), .int(s.year), .text(s.phase.rawValue),
                .text(s.measure.rawValue), code(s.function), code(s.function?.truncated(to: .class)),
                code(s.function?.truncated(to: .section)), code(s.function?.truncated(to: .item)), code(s.econDept),
                code(s.econGov), text(s.nature?.rawValue), text(s.fund?.rawValue), text(s.cost?.rawValue),
                text(s.project), text(s.category), .money(s.amount), .text(s.doc), .text(s.table), .int(s.line),
                .text(s.level.rawValue), text(s.derived), text(s.function.flatMap { catalog.name(of: $0) }),
                text(s.econDept.flatMap { catalog.name(of: $0) })]
            XCTAssertEqual(row, expected, "\(s.doc):\(s.line)")
        }
        // Facts read every figure as a leaf.
        let levels = try engine.query("spending | select level")
        XCTAssertFalse(levels.rows.isEmpty)
        XCTAssertTrue(levels.rows.allSatisfy { $0 == [.text("leaf")] })
    }

    /// A sort followed by a limit keeps the n best rows as it scans (Evaluator.sortedRows): the same rows,
    /// in the same order, as sorting everything and taking the first n, ties included.
    func testTopNIsTheFirstNRowsOfTheWholeSort() throws {
        let engine = try Repo.engine()
        for base in ["spending | sum by unit, year, phase, item", "rows | select unit, econ, year, amount", "spending | sum by unit, year, phase, econ"] {
            for order in ["amount desc", "amount", "year desc, amount"] {
                let all = try engine.query("\(base) | sort \(order)").rows
                XCTAssertGreaterThan(all.count, 40, base)
                for n in [1, 3, 5] {
                    XCTAssertEqual(try engine.query("\(base) | sort \(order) | limit \(n)").rows, Array(all.prefix(n)), "\(base) | sort \(order) | limit \(n)")
                }
            }
            let byAmount = try engine.query("\(base) | top 4").rows
            XCTAssertEqual(byAmount.count, 4)
        }
    }

    /// A condition on what a run of one group's facts shares (unit, year, phase, measure) is decided once a
    /// run: it keeps exactly the statements a listing shows with those values.
    func testConditionsOnAGroupsOwnFieldsKeepWhatTheListingShows() throws {
        let engine = try Repo.engine()
        var checked = 0
        for name in ["unit", "year", "phase", "measure"] {
            // The listing names only the field asked about: naming `year` brings in last year's figures
            // derived from 比上年…, as a condition on year does.
            let listing = try engine.query("facts | select \(name), amount").rows
            XCTAssertGreaterThan(listing.count, 100)
            let column = 0
            for v in Set(listing.map { $0[column] }) {
                let literal: String
                switch v {
                case .text(let t): literal = "\"\(t)\""
                case .int(let y): literal = String(y)
                default: continue
                }
                for op in ["=", "!="] {
                    let expected = listing.filter { op == "=" ? $0[column] == v : $0[column] != v }.count
                    let got = try engine.query("facts | where \(name) \(op) \(literal) | select amount").rows.count
                    XCTAssertEqual(got, expected, "facts | where \(name) \(op) \(literal)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }
}
