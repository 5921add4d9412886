// PredicateTests.swift — `where` conditions decided once per distinct integer of
// a column (Eval/Predicate.swift) give, on every row of the bundled dataset,
// exactly what the expression evaluator gives on the materialised statement.

import XCTest
@testable import FQL
import FiscalData

final class PredicateTests: XCTestCase {
    let conditions = [
        "year = 2024", "year != 2024", "year > 2024", "year in (2023, 2026)", "unit ~ \"西城\"", "not unit ~ \"西城\"",
        "phase = final", "phase = 预算", "measure = income", "nature = basic", "not nature = project",
        "nature = basic or fund = general", "fund != general", "cost = personnel", "class = 201", "class in (208, 221)",
        "func = 2010101", "section = 20101 and year = 2024", "econ = 302", "econ ~ \"工资\"", "func ~ \"行政\"",
        "project ~ \"经费\"", "category = \"公务接待费\"", "level = total", "table ~ \"支出\"", "line > 100",
        "amount > 100", "amount > 100 and class = 201", "derived ~ \"比上年\"", "region ~ \"北京\"",
        "doc ~ \"budget\" or year = 2024", "not (class = 212 or amount < 1)", "(year + 1) = 2025",
        // Chains of `and`s of one-field parts, narrowed part by part; a part unknown on some rows (a project
        // or an econ code a row lacks) first, last and in the middle.
        "class = 212 and year = 2024", "year = 2024 and nature = basic and class in (201, 208)",
        "project ~ \"经费\" and year > 2023", "year > 2023 and econ = 302", "phase = final and econ != 302 and unit ~ \"西城\"",
        "not project ~ \"经费\" and (econ = 301 and fund = general)",
    ]

    func testConditionsDecidedPerColumnIntegerAgreeWithTheEvaluator() throws {
        let engine = try Repo.engine()
        let ev = engine.evaluator
        let store = engine.dataset.store
        var passed = 0
        for c in conditions {
            for source in ["rows", "spending"] {
                let plan = try engine.plan("\(source) | where \(c)")
                guard case .filter(let e)? = plan.steps.first else { XCTFail("no filter for \(c)"); continue }
                let facts = source != "rows"
                let all = StatementRows(refs: (0..<Int32(store.count)).map { $0 }, facts: facts)
                let pass = Set(try Predicate(e, ev).passing(all))
                for n in 0..<store.count {
                    var s = store.statement(at: n)
                    if facts { s.level = .leaf }
                    let expected = try ev.eval(e, .statement(s)) == .bool(true)
                    XCTAssertEqual(pass.contains(n), expected, "\(source) | where \(c), row \(n)")
                    if expected { passed += 1 }
                }
            }
        }
        XCTAssertGreaterThan(passed, 0)
    }
}
