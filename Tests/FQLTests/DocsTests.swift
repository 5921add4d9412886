// DocsTests.swift — every example in docs/language.md runs as a test: each
// ```fql block is run (with $unit = 西城) and its output must equal the
// ```text block after it, as `fql -e` prints it. FQL_RECORD=1 rewrites the
// text blocks after a deliberate change (the test then fails; review the diff).

import Foundation
import XCTest
import FQL

final class DocsTests: XCTestCase {
    /// The examples of docs/language.md: each ```fql block's query and the ```text block after it.
    static func examples() throws -> [(query: String, expected: String)] {
        let blocks = try String(contentsOfFile: Repo.root + "/docs/language.md", encoding: .utf8).components(separatedBy: "```")
        var out: [(query: String, expected: String)] = []
        var i = 1
        while i + 2 < blocks.count {
            if blocks[i].hasPrefix("fql\n") && blocks[i + 2].hasPrefix("text\n") {
                out.append((String(blocks[i].dropFirst(4)).trimmingCharacters(in: .newlines), String(blocks[i + 2].dropFirst(5))))
                i += 4
            } else {
                i += 2
            }
        }
        return out
    }

    func testLanguageReferenceExamples() throws {
        let text = try String(contentsOfFile: Repo.root + "/docs/language.md", encoding: .utf8)
        var blocks = text.components(separatedBy: "```")
        let record = ProcessInfo.processInfo.environment["FQL_RECORD"] != nil
        let known = try Self.examples()
        var examples = 0
        var i = 1
        while i + 2 < blocks.count {
            if blocks[i].hasPrefix("fql\n") && blocks[i + 2].hasPrefix("text\n") {
                let (query, expected) = known[examples]
                let e = Engine(dataset: try Repo.engine().dataset)
                e.parameters = ["unit": "西城"]
                var got = ""
                for o in e.run(query) {
                    switch o {
                    case .table(let t): got += t.render(.table)
                    case .bound: break
                    case .failure(_, let rendered): got += rendered + "\n"
                    case .sql(let q): got += q + "\n"
                    }
                }
                if record { blocks[i + 2] = "text\n" + got } else { XCTAssertEqual(got, expected, query) }
                examples += 1
                i += 4
            } else {
                i += 2
            }
        }
        XCTAssertGreaterThanOrEqual(examples, 35)
        if record {
            try blocks.joined(separator: "```").write(toFile: Repo.root + "/docs/language.md", atomically: true, encoding: .utf8)
            XCTFail("recorded the examples of docs/language.md; unset FQL_RECORD and review the diff")
        }
    }
}
