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

struct GoldenCase {
    var title: String
    var query: String
    var expected: String
}

enum Golden {
    static func parse(_ text: String) -> [GoldenCase] {
        var cases: [GoldenCase] = []
        var current = GoldenCase(title: "", query: "", expected: "")
        var inExpected = false
        var query: [String] = [], expected: [String] = [], titles: [String] = []
        func flush() {
            if !query.isEmpty {
                current.title = titles.joined(separator: " ")
                current.query = query.joined(separator: "\n")
                current.expected = expected.map { $0 + "\n" }.joined()
                cases.append(current)
            }
            query = []; expected = []; titles = []; inExpected = false
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "====" { flush(); continue }
            if !inExpected && line == "----" { inExpected = true; continue }
            if inExpected { expected.append(line); continue }
            if line.hasPrefix("#") && query.isEmpty { titles.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces)); continue }
            query.append(line)
        }
        if expected.last == "" { expected.removeLast() }
        flush()
        return cases
    }

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
            }
        }
        return out
    }

    static func serialise(_ cases: [GoldenCase]) -> String {
        cases.map { c in
            (c.title.isEmpty ? "" : "# \(c.title)\n") + c.query + "\n----\n" + c.expected
        }.joined(separator: "====\n")
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
