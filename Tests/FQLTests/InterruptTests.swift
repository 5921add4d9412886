// InterruptTests.swift — `Engine.shouldStop`, the hook behind Ctrl-C in the
// REPL: asked while rows are read, it stops the running query with an
// `interrupted` error and skips the statements after it.

import FiscalData
import FQL
import XCTest

final class InterruptTests: XCTestCase {
    func testStopStopsTheQueryAndTheRestOfTheScript() throws {
        let e = Engine(dataset: try Repo.engine().dataset)
        e.shouldStop = { true }
        let outcomes = e.run("final | sum by unit; units")
        XCTAssertEqual(outcomes.count, 1)
        guard case .failure(let error, _) = outcomes[0] else { return XCTFail("\(outcomes)") }
        XCTAssertEqual(error.kind, .interrupted)
    }

    func testStopIsAskedWhileRowsAreReadNotOnlyAtTheEnd() throws {
        let e = Engine(dataset: try Repo.engine().dataset)
        var asked = 0
        // Answers "go on" when the facts are chosen, "stop" when the filter starts reading them.
        e.shouldStop = { asked += 1; return asked >= 2 }
        XCTAssertThrowsError(try e.query("spending | where amount > 1 | count")) { error in
            XCTAssertEqual((error as? QueryError)?.kind, .interrupted)
        }
        XCTAssertEqual(asked, 2)
        e.shouldStop = { false }
        XCTAssertEqual(try e.query("budget | where unit ~ \"东城\" | sum").rows.first?.first, .money(Money("5306.52")!))
    }
}
