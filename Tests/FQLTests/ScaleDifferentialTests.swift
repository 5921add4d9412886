// ScaleDifferentialTests.swift — the benchmark's seven questions
// (Benchmarks/questions.tsv) over 100,000 SYNTHETIC statements made in the test
// by ../shared/bench/gen.py: FQL's answers must equal SQLite's (Python's
// sqlite3, running each question's SQL) exactly, amounts as integer millionths
// of 万元. At this size the executor takes the paths small datasets never do
// (groups sorted by their integers, `top` kept while aggregating, thousands of
// compared pairs). Also: the executor's own counters show that a question on
// one unit reads only that unit's statements. Speed is not tested here.

import Foundation
import RepoPaths
import XCTest
import FQL
import FiscalData

final class ScaleDifferentialTests: XCTestCase {
    static let generator = RepoPaths.root + "/../shared/bench/gen.py"

    /// SQLite's answers: argv[1] the CSV, argv[2] a JSON list of [id, sql]; prints {id: rows}.
    static let sqlite = """
    import csv, json, sqlite3, sys
    def micro(s):
        w, _, f = s.partition(".")
        return int(w) * 1000000 + (int((f + "000000")[:6]) if f else 0)
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE stmt (unit TEXT, year INTEGER, phase TEXT, func TEXT, econ TEXT, nature TEXT, amount INTEGER)")
    with open(sys.argv[1], encoding="utf-8", newline="") as fh:
        r = csv.reader(fh); next(r)
        con.executemany("INSERT INTO stmt VALUES (?, ?, ?, ?, ?, ?, ?)",
                        ((u, int(y), p, f, e, n, micro(a)) for u, y, p, f, e, n, a in r))
    print(json.dumps({q: con.execute(sql).fetchall() for q, sql in json.load(open(sys.argv[2]))}))
    """

    struct Question { let id: String; let columns: [String]; let fql: String; let sql: String }

    static func questions() throws -> [Question] {
        let text = try String(contentsOfFile: RepoPaths.root + "/Benchmarks/questions.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("id\t") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Question(id: f[0], columns: f[1].split(separator: ",").map(String.init), fql: f[2], sql: f[3])
        }
    }

    /// `rows` SYNTHETIC statements made by gen.py into a scratch folder (the caller removes it), as a dataset with
    /// the bundled catalogue; the CSV is `folder/stmts.csv`.
    static func generated(_ rows: Int) throws -> (folder: String, dataset: Dataset, statements: [FiscalData.Statement]) {
        let folder = NSTemporaryDirectory() + "fql-scale-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let made = try Subprocess.run("/usr/bin/env", ["python3", generator, String(rows), folder + "/stmts.csv"])
        guard made.status == 0 else { throw GeneratorFailed(message: made.err) }
        let statements = try GeneratedCSV.statements(path: folder + "/stmts.csv")
        let catalog = try Dataset.load(folder: RepoPaths.datasets).catalog
        return (folder, Dataset(folder: folder, catalog: catalog, store: try Store(statements)), statements)
    }

    struct GeneratorFailed: Error { let message: String }

    func testSevenQuestionsAgreeWithSQLiteAt100kStatements() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.generator),
                      "the generator is ../shared/bench/gen.py, beside the checkout")
        let (folder, dataset, statements) = try Self.generated(100_000)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/stmts.csv", sqlFile = folder + "/questions.json", script = folder + "/sqlite.py"

        let questions = try Self.questions()
        XCTAssertEqual(questions.map(\.id), ["Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"])
        try JSONSerialization.data(withJSONObject: questions.map { [$0.id, $0.sql] }).write(to: URL(fileURLWithPath: sqlFile))
        try Self.sqlite.write(toFile: script, atomically: true, encoding: .utf8)
        let answered = try Subprocess.run("/usr/bin/env", ["python3", script, csv, sqlFile])
        XCTAssertEqual(answered.status, 0, answered.err)
        let sql = try XCTUnwrap(JSONSerialization.jsonObject(with: answered.out) as? [String: [[Any]]])

        XCTAssertEqual(statements.count, 100_000)
        let engine = Engine(dataset: dataset)
        for q in questions {
            let t = try engine.query(q.fql)
            let index = try q.columns.map { c in try XCTUnwrap(t.columns.firstIndex { $0.name == c }, "\(q.id): no column \(c)") }
            let ours = t.rows.map { r in index.map { Self.text(r[$0]) }.joined(separator: "|") }
            let theirs = try XCTUnwrap(sql[q.id], q.id).map { r in r.map(Self.text).joined(separator: "|") }
            XCTAssertGreaterThan(ours.count, 0, q.id)
            // Only `top` has an order both sides set (the amount, then the keys); the others are compared as sets.
            if q.sql.contains("ORDER BY") {
                XCTAssertEqual(ours, theirs, "\(q.id): \(q.fql)")
            } else {
                XCTAssertEqual(ours.sorted(), theirs.sorted(), "\(q.id): \(q.fql)")
            }
        }
        // A sum by runs split over two threads gives exactly the answer of one thread (Q0: one group; Q6: by
        // year and phase), and the executor says it split it.
        for q in [questions[0], questions[6]] {
            engine.parallelRows = 1 << 20
            let one = try engine.query(q.fql)
            XCTAssertEqual(engine.lastReads.splitSums, 0, q.id)
            engine.parallelRows = 1_000
            let two = try engine.query(q.fql)
            XCTAssertEqual(engine.lastReads.splitSums, ProcessInfo.processInfo.activeProcessorCount > 1 ? 1 : 0, q.id)
            XCTAssertEqual(two.rows.map { $0.map(\.description) }, one.rows.map { $0.map(\.description) }, q.id)
        }
        engine.parallelRows = 1 << 20
        // A sum (a comparison) by fields a run shares and one column is grouped and added in one pass: exactly
        // the rows (and the error) the general way gives, on one thread or two.
        for q in [questions[5].fql, "final | where year = 2024 | sum by unit, func", "final | sum by econ, year, unit | sort amount | limit 7",
                  "final | where year = 2023 | sum by func, unit | top 2000", "spending | sum by unit, econ",
                  questions[3].fql, "final | compare 2023 vs 2024 by unit, econ", "spending | compare budget vs final by econ, unit, year"] {
            engine.onePassSums = false
            let general = Result { try engine.query(q) }.map { $0.rows.map { $0.map(\.description) } }
            XCTAssertEqual(engine.lastReads.onePassSums, 0, q)
            engine.onePassSums = true
            for rows in [1 << 20, 1_000] {
                engine.parallelRows = rows
                let one = Result { try engine.query(q) }.map { $0.rows.map { $0.map(\.description) } }
                switch (general, one) {
                case (.success(let g), .success(let o)):
                    XCTAssertGreaterThan(g.count, 1, q)
                    XCTAssertEqual(o, g, q)
                    XCTAssertEqual(engine.lastReads.onePassSums, 1, q)
                    XCTAssertEqual(engine.lastReads.splitSums, rows == 1_000 && ProcessInfo.processInfo.activeProcessorCount > 1 ? 1 : 0, q)
                case (.failure(let g), .failure(let o)):
                    // Budget and final added together: the general way says so, whichever group it meets first.
                    XCTAssertEqual("\(o)", "\(g)", q)
                    XCTAssertTrue("\(g)".contains("would add budget and final"), "\(g)")
                default:
                    XCTFail("\(q): \(general) one way, \(one) the other")
                }
            }
        }
        engine.parallelRows = 1 << 20
        // Groups sorted by their integers come out in the order of their values (units by name, then codes).
        let q3 = try engine.query(questions[3].fql)
        XCTAssertGreaterThan(q3.rows.count, 64, "more groups than are sorted by their values")
        let keys = q3.rows.map { ($0[0].description, $0[1].description) }
        XCTAssertTrue(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "Q3's rows are in key order")

        // The executor's counters: a question on one unit reads that unit's facts, not the others'.
        _ = try engine.query(questions[0].fql)
        let all = engine.lastReads
        _ = try engine.query(questions[1].fql)
        let one = engine.lastReads
        let unit = statements.filter { $0.unit == "北京市西城区城市管理指挥中心" && $0.year == 2024 && $0.phase == .final }
        XCTAssertEqual(one, Reads(groups: 1, statements: unit.count))
        XCTAssertEqual(all.statements, statements.filter { $0.phase == .final }.count)
        XCTAssertGreaterThan(all.groups, 100 * one.groups)
    }

    /// A cell as both sides print it: amounts in integer millionths of 万元, nulls empty.
    static func text(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .money(let m): return String(m.units)
        default: return v.description
        }
    }

    static func text(_ v: Any) -> String {
        switch v {
        case is NSNull: return ""
        case let n as NSNumber: return n.stringValue
        default: return "\(v)"
        }
    }
}
