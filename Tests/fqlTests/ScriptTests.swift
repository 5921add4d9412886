// ScriptTests.swift — fql as a shell script uses it: every saved query in
// Queries/ run as `fql FILE.fql` against its expected output
// (QueriesExpected/NAME.out; FQL_RECORD=1 rewrites them and fails), piped
// input, -e, parameters, formats, and every exit status.

import Foundation
import XCTest
import FQL

final class ScriptTests: XCTestCase {
    func testSavedQueries() throws {
        let queries = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/Queries").filter { $0.hasSuffix(".fql") }.sorted()
        XCTAssertGreaterThanOrEqual(queries.count, 8)
        let record = ProcessInfo.processInfo.environment["FQL_RECORD"] != nil
        for q in queries {
            let text = try String(contentsOfFile: CLI.root + "/Queries/" + q, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("-- "), "\(q) starts with a comment saying what it answers")
            let r = try CLI.run(["Queries/" + q])
            XCTAssertEqual(r.status, 0, "\(q): \(r.stderr)")
            XCTAssertEqual(r.stderr, "")
            let expectedPath = CLI.root + "/Tests/fqlTests/QueriesExpected/" + q.replacingOccurrences(of: ".fql", with: ".out")
            if record { try r.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8); continue }
            XCTAssertEqual(r.stdout, try String(contentsOfFile: expectedPath, encoding: .utf8), q)
        }
        if record { XCTFail("recorded the expected outputs; unset FQL_RECORD and review them") }
    }

    func testPipedQueriesMetaCommandsAndFormats() throws {
        let piped = try CLI.run([], stdin: "budget | where unit ~ \"东城\"\n  | sum by nature\n.format csv\nfinal | where unit ~ \"蔡甸\" | sum by nature\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, """
        nature     amount
        -------  --------
        basic    3,682.19
        project  1,624.33
        amounts in 万元
        nature,amount,note
        basic,61.11,
        project,113.14,

        """)
        let json = try CLI.run(["--format", "json", "-e", "spending | where unit ~ \"蔡甸\" and year = 2024 | compare budget vs final"])
        XCTAssertEqual(json.stdout, "[\n  {\"budget\": 0, \"final\": 174.25, \"diff\": 174.25, \"pct\": null, \"rate\": null, \"note\": null}\n]\n")
        let md = try CLI.run(["--format", "markdown", "-e", "budget | where unit ~ \"东城\" | sum by nature"])
        XCTAssertEqual(md.stdout, "| nature | amount |\n|---|---:|\n| basic | 3,682.19 |\n| project | 1,624.33 |\n\namounts in 万元\n")
        let tsv = try CLI.run(["--format", "tsv", "-p", "who=蔡甸", "-e", "final | where unit ~ $who | sum by nature"])
        XCTAssertEqual(tsv.stdout, "nature\tamount\tnote\nbasic\t61.11\t\nproject\t113.14\t\n")
        // sqlite3's line mode (.mode line, or .format line): one field a line, records apart, then the unit.
        let lines = try CLI.run([], stdin: ".mode line\nfinal | where unit ~ \"蔡甸\" | sum by nature\n")
        XCTAssertEqual(lines.stdout, "nature = basic\namount = 61.11\n\nnature = project\namount = 113.14\n\namounts in 万元\n")
        let named = try CLI.run(["--format", "line", "-e", "final | where unit ~ \"蔡甸\" | sum by class.name | limit 1"])
        XCTAssertEqual(named.stdout, "class.name = 一般公共服务支出\n    amount = 170.52\n\namounts in 万元\n")
        let jsonl = try CLI.run(["--format", "jsonl", "-e", "final | where unit ~ \"蔡甸\" | sum by nature"])
        XCTAssertEqual(jsonl.stdout, "{\"nature\": \"basic\", \"amount\": 61.11, \"note\": null}\n{\"nature\": \"project\", \"amount\": 113.14, \"note\": null}\n")
    }

    /// The conventions of sqlite3 and DuckDB (issue 15): --version, --opt=value, -e repeated, - for standard
    /// input, help as a word, a short usage after a usage error, a missing file said before the data loads.
    func testCommandLineConventions() throws {
        let version = try CLI.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("fql "), version.stdout)
        let two = try CLI.run(["--format=csv", "-e", "final | where unit ~ \"蔡甸\" | sum by nature", "--execute=budget | where unit ~ \"东城\" | sum"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertEqual(two.stdout, "nature,amount,note\nbasic,61.11,\nproject,113.14,\namount,note\n5306.52,\n")
        let failing = try CLI.run(["-e", "fianl | sum", "-e", "budget | where unit ~ \"东城\" | count"])
        XCTAssertEqual(failing.status, 1, "a failing -e fails the run, and the next still runs")
        XCTAssertTrue(failing.stdout.contains("37"), failing.stdout)
        let dash = try CLI.run(["--format", "csv", "-"], stdin: "final | where unit ~ \"蔡甸\" | count\n")
        XCTAssertEqual(dash.stdout, "count,note\n3,\n")
        let help = try CLI.run(["help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("usage: fql"))
        let bad = try CLI.run(["--bogus"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "fql: unknown option '--bogus'\nusage: fql [OPTIONS] [-e QUERY… | FILE.fql | -]  (fql --help lists the options)\n")
        // The columns of a result never depend on its data (issue 15, item 6): one row or two, the same header.
        let header = { (q: String) throws -> Substring in try CLI.run(["--format", "csv", "-e", q]).stdout.split(separator: "\n")[0] }
        XCTAssertEqual(try header("rows | limit 1"), try header("rows | limit 2"))
        XCTAssertEqual(try header("final | where unit ~ \"蔡甸\" | sum by class"), try header("final | where unit ~ \"西城\" and year = 2024 | sum by class"))
        // -p values stay literals (issue 14): a quote in one cannot add a condition to the query.
        let injected = try CLI.run(["-p", "u=蔡甸\" or unit ~ \"西城", "-e", "final | where unit ~ $u | count"])
        XCTAssertEqual(injected.status, 1)
        XCTAssertTrue(injected.stderr.hasPrefix("error: line 1, column 22: no unit matches \"蔡甸\" or unit ~ \"西城\""), injected.stderr)
        // Piped output is never cut at 40 rows (only a terminal is).
        let all = try CLI.run([], stdin: "rows | where unit ~ \"蔡甸\" | select line, amount\n")
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 2 + 204 + 2, "header, rule, every row, the unit line, the note that its vehicles are counts")
        // From any folder, fql finds its bundled dataset from its own place (issue 15, item 5).
        let elsewhere = try CLI.run(["--format", "csv", "-e", "final | where unit ~ \"蔡甸\" | count"], directory: try CLI.tempFolder())
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
        XCTAssertEqual(elsewhere.stdout, "count,note\n3,\n")
        let missing = try CLI.run(["--data", "/nonexistent-dataset", "nosuch.fql"])
        XCTAssertEqual(missing.status, 2, "the file is checked before the dataset loads")
        XCTAssertTrue(missing.stderr.contains("nosuch.fql"), missing.stderr)
    }

    func testExitStatuses() throws {
        let bad = try CLI.run(["-e", "final | where untt ~ \"蔡甸\""])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertEqual(bad.stderr, "error: line 1, column 15: unknown field \"untt\"; did you mean \"unit\"?\n  final | where untt ~ \"蔡甸\"\n                ^^^^\n")
        // A failing statement does not stop the next; the status still says one failed.
        let mixed = try CLI.run([], stdin: "fianl | sum\nbudget | where unit ~ \"东城\" | count\n")
        XCTAssertEqual(mixed.status, 1)
        XCTAssertEqual(mixed.stdout, "count\n-----\n   37\n")
        XCTAssertTrue(mixed.stderr.hasPrefix("error: line 1, column 1: unknown source \"fianl\""))
        // Errors in a file name the file's own line.
        let dir = try CLI.tempFolder()
        try "-- a comment\n\nbudget\n  | sum by clas\n".write(toFile: dir + "/q.fql", atomically: true, encoding: .utf8)
        let file = try CLI.run([dir + "/q.fql"])
        XCTAssertEqual(file.status, 1)
        XCTAssertTrue(file.stderr.hasPrefix("error: \(dir)/q.fql, line 4, column 12: unknown field \"clas\""), file.stderr)
        // .read names the file it read (issue 15, item 8).
        let read = try CLI.run([], stdin: ".read \(dir)/q.fql\n")
        XCTAssertTrue(read.stderr.hasPrefix("error: \(dir)/q.fql, line 4, column 12: unknown field \"clas\""), read.stderr)
        let e = try CLI.run(["-e", "budget | sum by clas"])
        XCTAssertTrue(e.stderr.hasPrefix("error: line 1, column 17: "), "no file to name for -e: \(e.stderr)")
        XCTAssertEqual(try CLI.run(["--format", "yaml", "-e", "units"]).status, 2)
        XCTAssertEqual(try CLI.run(["--data", dir, "-e", "units"]).status, 3)
        XCTAssertEqual(try CLI.run(["-e", "units | count"]).status, 0)
    }

    func testCheckCommandPrintsTheFindings() throws {
        let r = try CLI.run(["check", "--format", "csv"])
        XCTAssertEqual(r.status, 1, "the bundled documents contradict themselves: check exits 1")
        XCTAssertTrue(r.stdout.hasPrefix("kind,severity,status,unit,year,phase,measure,subject,stated,other,diff,tolerance,place,other_place\n"))
        XCTAssertTrue(r.stdout.contains("total,warning,rounding,武汉市蔡甸区城市运行管理中心,2024,final,spending,basic against its 4 rows (and 1 more place with the same figures),61.11,61.10,0.01,0.025,002_07751d8f3a00d93a:146 公开03表 2024年度支出决算表,002_07751d8f3a00d93a:149–158 sum of rows\n"), r.stdout)
        XCTAssertFalse(r.stdout.contains(",repaired,"), "import repairs are notes, kept out unless asked for")
        // For an auditor: grouped by document, errors first and the largest first, at most 100 cells wide.
        let report = try CLI.run(["check"])
        XCTAssertEqual(report.status, 1)
        let lines = report.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "000_28812af1b3d468ad  北京市西城区城市管理指挥中心 2024")
        XCTAssertEqual(lines[1], "  error   total mismatch: total against its 8 rows")
        XCTAssertEqual(lines[3], "          other  14,864.90  at 000_28812af1b3d468ad:37–47 sum of rows")
        XCTAssertEqual(lines.last, "all: 12 errors, 21 warnings, 3 notes; 215 import repairs not shown (fql check --repairs)")
        // 西城 2026's 本年收入小计 (5,488.97) is a part of 合计 (5,508.97, with 20.00 carried over), not a total the
        // rows must add up to: no finding (issue 13's first false positive).
        XCTAssertFalse(report.stdout.contains("5,488.974386"), report.stdout)
        // A project named with a few letters changed whose amounts agree is a name variant, a note (item 5).
        XCTAssertTrue(report.stdout.contains("  note    project variant: project 区域指中心2023年度东城区城市部件精细化普查项目（非信息化部分）:\n"
                                             + "    named 区城指中心2023年度东城区城市部件精细化普查项目(非信息化部分) in the project table\n"), report.stdout)
        XCTAssertFalse(report.stdout.contains("unmatched"), report.stdout)
        XCTAssertTrue(lines.allSatisfy { displayWidth($0) <= 100 }, lines.filter { displayWidth($0) > 100 }.joined(separator: "\n"))
        let errors = try CLI.run(["check", "--severity", "error"])
        XCTAssertFalse(errors.stdout.contains("warning "), errors.stdout)
        XCTAssertTrue(errors.stdout.hasSuffix("all: 12 errors, 0 warnings, 0 notes; 215 import repairs not shown (fql check --repairs)\n"), errors.stdout)
        let repairs = try CLI.run(["check", "--repairs", "--format", "csv"])
        XCTAssertEqual(repairs.stdout.components(separatedBy: ",repaired,").count - 1, 215)
        XCTAssertEqual(try CLI.run(["check", "--severity", "fatal"]).status, 2)
    }
}
