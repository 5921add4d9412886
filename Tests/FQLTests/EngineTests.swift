// EngineTests.swift — the embedding API's own behaviour: a query asked again is
// answered from its checked plan (Engine keeps them by text), and never from a
// plan whose parameters or `let` names have since changed.

import XCTest
import FQL

final class EngineTests: XCTestCase {
    /// What a fresh engine, with these parameters and no names bound, shows for `query`.
    private func fresh(_ query: String, _ parameters: [String: String] = [:], lets: [String] = []) throws -> String {
        let e = Engine(dataset: try Repo.engine().dataset)
        e.parameters = parameters
        for l in lets { _ = e.run(l) }
        return try e.query(query).render(.table)
    }

    func testAQueryAskedAgainFollowsItsParameters() throws {
        let e = Engine(dataset: try Repo.engine().dataset)
        let q = "final | where unit ~ $unit | sum by class"
        // Not yet set: the check fails, and nothing is kept of it.
        guard case .failure(_, let rendered)? = e.run(q).first else { return XCTFail("a query naming an unset parameter ran") }
        XCTAssertTrue(rendered.contains("$unit"), rendered)
        e.parameters = ["unit": "西城"]
        let xicheng = try e.query(q).render(.table)
        XCTAssertEqual(xicheng, try fresh(q, ["unit": "西城"]))
        XCTAssertEqual(try e.query(q).render(.table), xicheng)
        e.parameters = ["unit": "蔡甸"]
        let caidian = try e.query(q).render(.table)
        XCTAssertNotEqual(caidian, xicheng)
        XCTAssertEqual(caidian, try fresh(q, ["unit": "蔡甸"]))
    }

    func testAQueryAskedAgainFollowsItsLetNames() throws {
        let e = Engine(dataset: try Repo.engine().dataset)
        let bindXicheng = #"let x = final | where unit ~ "西城""#
        let bindCaidian = #"let x = final | where unit ~ "蔡甸""#
        _ = e.run(bindXicheng)
        let xicheng = try e.query("x | sum")
        XCTAssertEqual(xicheng.render(.table), try fresh("x | sum", lets: [bindXicheng]))
        _ = e.run(bindCaidian)
        XCTAssertEqual(try e.query("x | sum").render(.table), try fresh("x | sum", lets: [bindCaidian]))
        XCTAssertNotEqual(try e.query("x | sum").render(.table), xicheng.render(.table))
    }

    func testManyDifferentQueriesStillAnswerEachTheirOwn() throws {
        // More texts than the engine keeps plans for: each still gets its own answer.
        let e = Engine(dataset: try Repo.engine().dataset)
        let years = ["2023", "2024"]
        var first: [String: String] = [:]
        for round in 0..<2 {
            for n in 0..<80 {
                let q = "final | where year = \(years[n % 2]) | sum" + String(repeating: " ", count: n)
                let got = try e.query(q).render(.table)
                if round == 0 { first[q] = got } else { XCTAssertEqual(got, first[q], q) }
            }
        }
        XCTAssertNotEqual(first["final | where year = 2023 | sum"], first["final | where year = 2024 | sum "])
    }
}
