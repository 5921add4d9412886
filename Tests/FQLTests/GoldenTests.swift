// GoldenTests.swift — the behaviour corpus: each file in Golden/ holds cases
// separated by a line "====". A case is FQL text, a line "----", and the
// exact output: the result in table format, or the error as shown to a
// person (line, column, caret). Lines starting with "#" before the query
// name the case. Run with FQL_RECORD=1 to rewrite the expected outputs after
// a deliberate change (the test then fails, so recording never passes silently).

import Foundation
import RepoPaths
import XCTest
import FQL
import FiscalData

enum Repo {
    static let root = RepoPaths.root
    static let datasets = root + "/Datasets"
    static let golden = root + "/Tests/FQLTests/Golden"

    nonisolated(unsafe) static var shared: Engine?
    static func engine() throws -> Engine {
        if let e = shared { return e }
        let e = try Engine(folder: datasets)
        shared = e
        return e
    }
}

extension Golden {
    /// Runs `query` on a fresh engine (parameters `unit=西城`, `year=2024`) and returns what a person sees.
    static func run(_ query: String) throws -> String {
        let e = Engine(dataset: try Repo.engine().dataset)
        e.parameters = ["unit": "西城", "year": "2024", "n": "2"]
        var out = ""
        for o in e.run(query) {
            switch o {
            case .table(let t): out += t.render(.table)
            case .bound(let n): out += "bound \(n)\n"
            case .failure(_, let rendered): out += rendered + "\n"
            case .sql(let q): out += q + "\n"
            }
        }
        return out
    }

}

final class GoldenTests: XCTestCase {
    func testCorpus() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.golden).filter { $0.hasSuffix(".fqltest") }.sorted()
        XCTAssertFalse(files.isEmpty)
        var total = 0
        let record = ProcessInfo.processInfo.environment["FQL_RECORD"] != nil
        for f in files {
            let path = Repo.golden + "/" + f
            var cases = Golden.parse(try String(contentsOfFile: path, encoding: .utf8))
            XCTAssertFalse(cases.isEmpty, "\(f): no cases")
            for i in cases.indices {
                let got = try Golden.run(cases[i].query)
                if record { cases[i].expected = got; continue }
                XCTAssertEqual(got, cases[i].expected, "\(f): \(cases[i].title)\n\(cases[i].query)")
            }
            total += cases.count
            if record { try Golden.serialise(cases).write(toFile: path, atomically: true, encoding: .utf8) }
        }
        XCTAssertGreaterThanOrEqual(total, 80, "the corpus should hold at least 80 cases")
        if record { XCTFail("recorded \(total) cases; unset FQL_RECORD and review the diff") }
    }
}
