// SQLDifferentialTests.swift — FQL compiled to SQL and run on DuckDB and on Spark gives what
// the in-memory engine gives (issue 16): every query of the golden corpus, of
// docs/language.md's examples and of Queries/ runs on both engines, over the
// bundled dataset exported (`fql export`), and the benchmark's seven questions
// over 100,000 generated statements exported; the
// outputs must be identical — the CSV (data) and the table as a person reads
// it (notes included) — or the same error. A query with no SQL translation
// yet is listed, printed and a failure: every one has its translation. The same
// queries run on Spark (local mode), one Spark for each dataset: one in eight of
// the corpus over the bundled dataset (every one with FQL_SPARK_FULL=1), as a
// Spark query takes seconds, and the benchmark's questions. DuckDB and Spark
// are installed by scripts/engines.sh (scripts/test.sh runs it).

import Foundation
import RepoPaths
import XCTest
import FQL
import FiscalData

final class SQLDifferentialTests: XCTestCase {
    static let python = Repo.root + "/.build/engines/venv/bin/python3"

    func testQueriesGiveTheSameAnswersOnDuckDB() throws {
        guard Self.has("duckdb") else { throw XCTSkip("DuckDB is not installed: bash scripts/engines.sh") }
        try compareEverything(on: .duckdb)
    }

    /// Spark in local mode (`local[2]`), one Spark for each dataset. A Spark query takes seconds (a job planned
    /// and scheduled; a comparison makes several checkpointed views), so the corpus over the bundled dataset is
    /// sampled (one query in `sparkSample`, the same ones each run; DuckDB runs them all with the same SQL but
    /// for the dialect), unless FQL_SPARK_FULL=1 asks for every one; the benchmark's questions always run.
    func testQueriesGiveTheSameAnswersOnSpark() throws {
        guard Self.has("pyspark") else { throw XCTSkip("Spark is not installed: bash scripts/engines.sh spark") }
        let full = ProcessInfo.processInfo.environment["FQL_SPARK_FULL"] == "1"
        try compareEverything(on: .spark, sample: full ? 1 : Self.sparkSample)
    }

    static let sparkSample = 8

    /// Whether the engines' Python has `module`.
    static func has(_ module: String) -> Bool {
        FileManager.default.fileExists(atPath: python)
            && (try? Subprocess.run(python, ["-c", "import \(module)"]).status) == 0
    }

    /// The datasets and their exports, made once for both engines: the bundled dataset (exported as CSV) and
    /// 100,000 generated statements (exported with the facts of single fields, as Parquet where DuckDB can
    /// write it).
    struct Prepared {
        let bundled: Dataset, bundledExport: String
        let generated: Dataset, generatedFolder: String, generatedExport: String
    }
    nonisolated(unsafe) private static var prepared: Prepared?

    private static func prepare() throws -> Prepared {
        if let prepared { return prepared }
        let bundled = try Repo.engine().dataset
        let bundledExport = NSTemporaryDirectory() + "fql-export-\(UUID().uuidString)"
        try Export.write(bundled, to: bundledExport)
        let generated = try ScaleDifferentialTests.generated(100_000)
        let generatedExport = NSTemporaryDirectory() + "fql-export-\(UUID().uuidString)"
        try Export.write(generated.dataset, to: generatedExport, singleFieldsOnly: true)
        if has("duckdb") { try SQLBackend(kind: .duckdb, python: python, data: generatedExport).writeParquet() }
        let p = Prepared(bundled: bundled, bundledExport: bundledExport, generated: generated.dataset,
                         generatedFolder: generated.folder, generatedExport: generatedExport)
        prepared = p
        return p
    }

    override class func tearDown() {
        if let p = prepared {
            for folder in [p.bundledExport, p.generatedFolder, p.generatedExport] { try? FileManager.default.removeItem(atPath: folder) }
        }
        prepared = nil
        super.tearDown()
    }

    /// What was compared, and what has no translation yet.
    struct Tally {
        var compared = 0, unsupported: [String] = []
    }

    /// The golden corpus, the examples of docs/language.md and the saved queries of Queries/ over the bundled
    /// dataset, and the benchmark's questions over 100,000 generated statements: on the in-memory engine and on
    /// `kind`, each over its dataset exported.
    /// `sample`: only every sample-th query over the bundled dataset.
    private func compareEverything(on kind: SQLBackend.Kind, sample: Int = 1) throws {
        let p = try Self.prepare()
        var bundled: [(label: String, query: String, parameters: [String: String])] = []
        let golden = ["unit": "西城", "year": "2024", "n": "2"]
        for f in try FileManager.default.contentsOfDirectory(atPath: Repo.golden).filter({ $0.hasSuffix(".fqltest") }).sorted() {
            for c in Golden.parse(try String(contentsOfFile: Repo.golden + "/" + f, encoding: .utf8)) {
                bundled.append(("\(f): \(c.title)", c.query, golden))
            }
        }
        for (n, q) in try DocsTests.examples().enumerated() { bundled.append(("language.md example \(n + 1)", q.query, ["unit": "西城"])) }
        let saved = Repo.root + "/Queries"
        for f in try FileManager.default.contentsOfDirectory(atPath: saved).filter({ $0.hasSuffix(".fql") }).sorted() {
            bundled.append(("Queries/\(f)", try String(contentsOfFile: saved + "/" + f, encoding: .utf8), [:]))
        }
        let asked = bundled.indices.filter { $0 % sample == 0 }.map { bundled[$0] }
        var tally = try compare(asked, over: p.bundled, exported: p.bundledExport, on: kind)
        XCTAssertGreaterThan(tally.compared, 140 / sample)

        // The benchmark's questions at a size the bundled dataset never reaches (thousands of units and groups).
        let questions = try ScaleDifferentialTests.questions().map { ("generated: \($0.id)", $0.fql, [String: String]()) }
        let scale = try compare(questions, over: p.generated, exported: p.generatedExport, on: kind)
        // Q3 and Q4 compare (budget against final by unit and code; two years by unit) over thousands of pairs.
        XCTAssertEqual(scale.compared, questions.count)
        tally.compared += scale.compared
        tally.unsupported += scale.unsupported
        print("SQL differential: \(tally.compared) results compared on \(kind)"
              + (sample > 1 ? " (one query in \(sample) of the corpus; FQL_SPARK_FULL=1 for all)" : "")
              + "; \(tally.unsupported.count) with no SQL translation yet")
        for u in tally.unsupported { print("  " + u) }
        // Every query of the corpus, the docs and Queries/ has its translation: keep it so.
        XCTAssertEqual(tally.unsupported, [], "queries with no SQL translation on \(kind)")
    }

    /// Each query on the in-memory engine and on `kind` over `dataset` exported: the same CSV and the same table,
    /// or the same error.
    private func compare(_ queries: [(label: String, query: String, parameters: [String: String])], over dataset: Dataset,
                         exported folder: String, on kind: SQLBackend.Kind) throws -> Tally {
        let backend = SQLBackend(kind: kind, python: Self.python, data: folder)
        var tally = Tally()
        for (label, query, parameters) in queries {
            let memory = Engine(dataset: dataset), other = Engine(dataset: dataset)
            for e in [memory, other] { e.parameters = parameters }
            other.target = .backend(backend)
            let a = memory.run(query), b = other.run(query)
            XCTAssertEqual(a.count, b.count, label)
            for (x, y) in zip(a, b) {
                switch (x, y) {
                case (.table(let t), .table(let u)):
                    tally.compared += 1
                    XCTAssertEqual(u.render(.csv), t.render(.csv), "\(kind): \(label)\n\(query)")
                    // The table as people read it: the notes too (groups no cut answers, money a filter left out).
                    XCTAssertEqual(u.render(.table), t.render(.table), "\(kind): \(label)\n\(query)")
                case (_, .failure(let e, _)) where e.kind == .unsupported:
                    tally.unsupported.append("\(label): \(e.message)")
                case (.failure(let e, _), .failure(let g, _)):
                    XCTAssertEqual(g.message, e.message, "\(kind): \(label)\n\(query)")
                case (.bound, .bound): break
                default:
                    XCTFail("\(label)\n\(query)\nmemory: \(x)\n\(kind): \(y)")
                }
            }
        }
        return tally
    }
}
