// ExportCommandTests.swift — `fql export DIR` writes the dataset for another
// engine into a new or empty folder only; `fql --sql` prints a query's SQL;
// `fql --engine duckdb` and `--engine spark` over EXPORT answer as the in-memory engine does,
// and says so when a query has no SQL translation yet.

import Foundation
import XCTest
import FiscalData

final class ExportCommandTests: XCTestCase {
    private func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "fql-export-cli-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testExportWritesOnlyIntoANewOrEmptyFolder() throws {
        let dir = try scratch()
        let r = try CLI.run(["export", dir])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("wrote 844 statements to \(dir)"), r.stdout)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        let csv: Set = ["statements.csv", "facts.csv", "groups.csv", "catalogue.csv", "documents.csv", "checks.csv", "schema.sql",
                        "catalogue.tsv", "statements.tsv", "documents.tsv"]
        // Where DuckDB is installed, the tables as Parquet too (which the backends then read).
        let python = CLI.root + "/.build/engines/venv/bin/python3"
        if (try? Subprocess.run(python, ["-c", "import duckdb"]).status) == 0 {
            XCTAssertEqual(files, csv.union(["statements.parquet", "facts.parquet", "groups.parquet", "catalogue.parquet", "documents.parquet",
                                              "checks.parquet"]))
            XCTAssertTrue(r.stdout.hasSuffix("and as Parquet: statements.parquet, facts.parquet, groups.parquet, catalogue.parquet, documents.parquet, checks.parquet\n"), r.stdout)
            // Amounts stay integer millionths of 万元 in Parquet.
            let typed = try Subprocess.run(python, ["-c", "import duckdb; print(duckdb.connect().execute(\"SELECT typeof(amount) FROM '\(dir)/statements.parquet' LIMIT 1\").fetchone()[0])"])
            XCTAssertEqual(String(decoding: typed.out, as: UTF8.self), "BIGINT\n", typed.err)
        } else {
            XCTAssertEqual(files, csv)
            XCTAssertTrue(r.stderr.contains("no Parquet files: DuckDB, which writes them, is not installed"), r.stderr)
        }
        XCTAssertTrue(try String(contentsOfFile: dir + "/schema.sql", encoding: .utf8).contains("\"amount\" BIGINT"))
        // A folder with anything in it is refused and left exactly as it was.
        let other = try scratch()
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "mine".write(toFile: other + "/notes.txt", atomically: true, encoding: .utf8)
        let again = try CLI.run(["export", other])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "fql: \(other) is not empty; export writes only into a new or empty folder, and never replaces files\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: other), ["notes.txt"])
        XCTAssertEqual(try String(contentsOfFile: other + "/notes.txt", encoding: .utf8), "mine")
        XCTAssertEqual(try CLI.run(["export"]).status, 2)
    }

    func testSQLIsPrintedAndRunOnDuckDB() throws {
        let sql = try CLI.run(["--sql", "-e", "final | where unit ~ \"蔡甸\" | sum by class"])
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertTrue(sql.stdout.hasPrefix("SELECT c0, c1, c2, c3"), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("f.\"needs\" = 'func:3'"), sql.stdout)
        // The same from the REPL's .sql, and a bad query is said with its place.
        let meta = try CLI.run([], stdin: ".sql final | where unit ~ \"蔡甸\" | sum by class\n.sql final | sum by nothing\n")
        XCTAssertEqual(meta.stdout, sql.stdout)
        XCTAssertEqual(meta.stderr, "error: line 1, column 16: unknown field \"nothing\"\n  final | sum by nothing\n                 ^^^^^^^\n")
        // A why after a compare is two steps on an engine: both are shown, the second after a comment saying so.
        let two = try CLI.run(["--sql", "-e", "final | compare 2023 vs 2024 by unit | top 1 | why"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stdout.contains("\n-- then fql runs the stages between it and why, and reads the statements behind the rows left, "
                                          + "matching them by their keys:\nSELECT \"unit\" AS k0, \"year\""), two.stdout)
        // Facts of three fields, which the export does not hold, are made for the query: the SQL says so.
        let three = try CLI.run(["--sql", "-e", "final | sum by econ, item, nature"])
        XCTAssertTrue(three.stdout.hasPrefix("-- reads statements_x, facts_x and groups_x: the facts of econ, func (7 digits), nature, which the export "
                                             + "does not hold; fql makes them for the query from the export's dataset"), three.stdout)
        XCTAssertEqual(meta.status, 1)
        // Where fql finishes the answer from the SQL's rows, the SQL says so in a comment line first.
        let compare = try CLI.run(["--sql", "-e", "final | compare 2023 vs 2024 by unit"])
        XCTAssertTrue(compare.stdout.hasPrefix("-- returns each key's sum and marks on each side, both sides in one scope; fql first checks the sides "
                                               + "(years, units, phases) and asks what the scope left out, then makes diff, pct and the notes from these rows\n"
                                               + "CREATE OR REPLACE TEMP TABLE _fql_f0 AS SELECT "), compare.stdout)
        let avg = try CLI.run(["--sql", "-e", "final | avg by unit"])
        XCTAssertTrue(avg.stdout.hasPrefix("-- returns each group's sum and count; fql divides them exactly\nSELECT "), avg.stdout)
        let python = CLI.root + "/.build/engines/venv/bin/python3"
        guard FileManager.default.fileExists(atPath: python) else { throw XCTSkip("DuckDB is not installed: bash scripts/engines.sh") }
        let dir = try scratch()
        XCTAssertEqual(try CLI.run(["export", dir]).status, 0)
        let query = "final | where unit ~ \"蔡甸\" | sum by class | top 2"
        let memory = try CLI.run(["--data", dir, "-e", query])
        let duck = try CLI.run(["--data", dir, "--engine", "duckdb", "-e", query])
        XCTAssertEqual(duck.status, 0, duck.stderr)
        XCTAssertEqual(duck.stdout, memory.stdout)
        XCTAssertTrue(duck.stdout.contains("201    一般公共服务支出  170.52"), duck.stdout)
        // `why` after a compare or an avg and stages after it runs on the engine in two steps (the comparison or
        // the sums, then the statements behind the rows left): no one SQL query, so --sql says it has none.
        for whyQuery in ["spending | where unit ~ \"西城\" and year = 2024 | compare budget vs final by class | top 2 | why",
                         "final | avg by unit | top 1 | why"] {
            let whyDuck = try CLI.run(["--data", dir, "--engine", "duckdb", "-e", whyQuery])
            XCTAssertEqual(whyDuck.status, 0, whyDuck.stderr)
            XCTAssertEqual(whyDuck.stdout, try CLI.run(["--data", dir, "-e", whyQuery]).stdout)
            XCTAssertTrue(whyDuck.stdout.contains("statement"), whyDuck.stdout)
        }
        // An export lacking a table this fql reads (written by an older one) is said plainly, not as DuckDB's error.
        let old = try scratch()
        try FileManager.default.copyItem(atPath: dir, toPath: old)
        for f in ["checks.csv", "checks.parquet"] { try? FileManager.default.removeItem(atPath: old + "/" + f) }
        let stale = try CLI.run(["--data", old, "--engine", "duckdb", "-e", "final | sum"])
        XCTAssertEqual(stale.status, 1)
        XCTAssertEqual(stale.stderr, "error: line 1, column 1: \(old) has no checks.csv: it is not an export this fql wrote (an older one, "
                       + "or not an export); run fql export again into a new folder\n  final | sum\n  ^^^^^^^^^^^\n")
        // A sum beyond 64 bits (DuckDB adds in 128) is an overflow, as in memory, never a number wrapped round.
        let huge = try CLI.run(["--data", dir, "--engine", "duckdb", "-e", "final | sum amount * 2900000000"])
        XCTAssertEqual(huge.status, 1, huge.stdout)
        XCTAssertTrue(huge.stderr.hasPrefix("error: line 1, column 1: amount overflow in a sum: the engine's total 16382216000000000000 "
                                            + "does not fit in 64 bits"), huge.stderr)
        XCTAssertTrue(try CLI.run(["--data", dir, "-e", "final | sum amount * 2900000000"]).stderr.contains("amount overflow in"))
        // The facts of three fields made for the query, and nothing of them left behind in the temporary folder.
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("fql-facts-") }
        let threeQuery = "final | where unit ~ \"东城\" | sum by class, fund, nature"
        let threeDuck = try CLI.run(["--data", dir, "--engine", "duckdb", "-e", threeQuery])
        XCTAssertEqual(threeDuck.status, 0, threeDuck.stderr)
        XCTAssertEqual(threeDuck.stdout, try CLI.run(["--data", dir, "-e", threeQuery]).stdout)
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("fql-facts-") }
        XCTAssertEqual(after, before)
        XCTAssertEqual(try CLI.run(["--engine", "sqlite", "-e", "final | sum"]).status, 2)
        let master = try CLI.run(["--master", "local[2]", "-e", "final | sum"])
        XCTAssertEqual(master.status, 2)
        XCTAssertTrue(master.stderr.contains("--master is for --engine spark"), master.stderr)
        // An engine's Python that cannot start is named, with what installs it.
        let missing = try CLI.run(["--data", dir, "--engine", "duckdb", "-e", "final | sum"], environment: ["FQL_PYTHON": "/nonexistent/python3"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot start /nonexistent/python3 for duckdb"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("bash scripts/engines.sh installs it"), missing.stderr)
        // Spark (local mode), started once for the three queries of the session.
        guard (try? Subprocess.run(python, ["-c", "import pyspark"]).status) == 0 else {
            throw XCTSkip("Spark is not installed: bash scripts/engines.sh spark")
        }
        let queries = [query, "budget | sum by unit", "final | where nature = project | sum by unit | top 1"]
        let inMemory = try CLI.run(["--data", dir] + queries.flatMap { ["-e", $0] })
        let spark = try CLI.run(["--data", dir, "--engine", "spark"] + queries.flatMap { ["-e", $0] })
        XCTAssertEqual(spark.status, 0, spark.stderr)
        XCTAssertEqual(spark.stdout, inMemory.stdout)
        XCTAssertTrue(spark.stdout.contains("201    一般公共服务支出  170.52"), spark.stdout)
    }
}
