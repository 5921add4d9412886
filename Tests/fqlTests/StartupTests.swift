// StartupTests.swift — fql on the command line: loading the dataset at start,
// refusing a corrupt one with status 3, usage errors with status 2.

import Foundation
import XCTest

final class StartupTests: XCTestCase {
    func testLoadsTheBundledDatasetAndAnswersMetaCommands() throws {
        let r = try CLI.run(["-e", ".codes 21201"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
        func\t21201\t城乡社区管理事务
        func\t2120101\t行政运行
        func\t2120102\t一般行政管理事务
        func\t2120107\t市政公用行业市场监管
        func\t2120199\t其他城乡社区管理事务支出

        """)
        XCTAssertEqual(r.stderr, "")
    }

    /// A load that takes a while shows a progress line on a terminal's standard error and erases it when done;
    /// piped, nothing (FQL_PROGRESS_AFTER=0 stands for a dataset large enough to take a second).
    func testLoadShowsProgressOnlyOnATerminal() throws {
        let command = "\(CLI.binary.path) -e 'final | count' --format csv"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", command, "/dev/null"]
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        var env = ProcessInfo.processInfo.environment
        env["FQL_PROGRESS_AFTER"] = "0"
        env.removeValue(forKey: "FQL_DATA")
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let terminal = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(terminal.contains("\rloading [########################] 100% of statements.tsv\u{1B}[K"), terminal)
        XCTAssertTrue(terminal.contains("\r\u{1B}[K"), "the line is erased")
        let piped = try CLI.run(["-e", "final | count", "--format", "csv"], environment: ["FQL_PROGRESS_AFTER": "0"])
        XCTAssertEqual(piped.status, 0)
        XCTAssertFalse(piped.stderr.contains("loading"), piped.stderr)
    }

    func testPipedInputHasNoPromptOrBanner() throws {
        let r = try CLI.run([], stdin: ".codes 2210\n.quit\n")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "func\t22102\t住房改革支出\nfunc\t2210201\t住房公积金\nfunc\t2210202\t提租补贴\nfunc\t2210203\t购房补贴\n")
    }

    func testMissingDatasetExitsWithStatus3() throws {
        let r = try CLI.run(["--data", "/nonexistent/data", "-e", ".units"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "fql: cannot load the dataset in /nonexistent/data: /nonexistent/data/catalogue.tsv: no such file\n")
        let env = try CLI.run(["-e", ".units"], environment: ["FQL_DATA": "/nonexistent/env"])
        XCTAssertEqual(env.status, 3)
        XCTAssertTrue(env.stderr.contains("/nonexistent/env/catalogue.tsv"))
    }

    func testCorruptDatasetIsRefusedWithItsPlace() throws {
        let dir = try CLI.tempFolder()
        try FileManager.default.copyItem(atPath: CLI.root + "/Datasets/classification.tsv", toPath: dir + "/catalogue.tsv")
        let header = "unit\tregion\tyear\tphase\tmeasure\tfunc\tecon_dept\tecon_gov\tnature\tfund\tcost\tproject\tcategory\tamount\tdoc\ttable\tline\tlevel\tderived"
        let good = "东城\t\t2024\tbudget\tspending\t2120101\t\t\t\t\t\t\t\t485.49\t003\tt\t121\tleaf\t"
        let bad = "东城\t\t2024\tbudget\tspending\t2120101\t\t\t\t\t\t\t\t48x.49\t003\tt\t122\tleaf\t"
        try (header + "\n" + good + "\n" + bad + "\n").write(toFile: dir + "/statements.tsv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["--data", dir, "-e", ".units"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "fql: cannot load the dataset in \(dir): \(dir)/statements.tsv:3:41: amount: not an amount: \"48x.49\" (unexpected \"x\")\n")

        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: dir + "/statements.tsv"))
        let binary = try CLI.run(["--data", dir, "-e", ".units"])
        XCTAssertEqual(binary.status, 3)
        XCTAssertEqual(binary.stderr, "fql: cannot load the dataset in \(dir): \(dir)/statements.tsv:1: not UTF-8 text (byte 0 is no part of a UTF-8 character)\n")
    }

    func testUsageErrorsExitWithStatus2() throws {
        for (args, message) in [
            (["--bogus"], "fql: unknown option '--bogus'"),
            (["--format", "xml", "-e", "x"], "fql: the value 'xml' is invalid for '--format <format>'. Please provide one of the following:"),
            (["-p", "novalue"], "fql: parameter \"novalue\" is not NAME=VALUE"),
            (["-e"], "fql: missing value for '-e <QUERY>'"),
            (["a.fql", "b.fql"], "fql: unexpected argument 'b.fql'"),
            (["import", "x.txt"], "fql: import needs --out DIR"),
            (["--data", "Datasets", "import", "x.txt"], "fql: import needs --out DIR"),
            (["check", "--severity", "fatal"], "fql: the value 'fatal' is invalid for '--severity <severity>'. Please provide one of 'error', 'warning' or 'note'."),
            (["export"], "fql: missing expected argument '<DIR>'"),
            (["-e", "final | sum", "q.fql"], "fql: give either -e QUERY or a file, not both"),
        ] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, args.joined(separator: " "))
            XCTAssertEqual(r.stderr.split(separator: "\n").first.map(String.init), message)
            XCTAssertTrue(r.stderr.contains("usage: fql"))
        }
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("usage: fql"))
    }

    /// Each subcommand has its own help (`fql import --help`, `fql help check`), and the shells their completion
    /// scripts (swift-argument-parser's), which know the subcommands, the options and their values.
    func testSubcommandHelpAndCompletionScripts() throws {
        for args in [["import", "--help"], ["help", "import"]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stdout.hasPrefix("OVERVIEW: Read disclosure documents (PDF or text) into a dataset folder"), r.stdout)
            XCTAssertTrue(r.stdout.contains("--replace"), r.stdout)
        }
        let check = try CLI.run(["check", "-h"])
        XCTAssertTrue(check.stdout.contains("--severity <severity>"), check.stdout)
        for shell in ["bash", "zsh", "fish"] {
            let r = try CLI.run(["--generate-completion-script", shell])
            XCTAssertEqual(r.status, 0, shell)
            for word in ["import", "check", "export", "data", "no-snapshot", "severity"] {
                XCTAssertTrue(r.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
        }
        XCTAssertTrue(try CLI.run(["--generate-completion-script", "bash"]).stdout.contains("markdown"), "--format's values")
    }

    func testUnknownMetaCommandFailsAQueryWithStatus1() throws {
        let r = try CLI.run(["-e", ".nonsense"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: unknown meta command .nonsense (.help lists them)\n")
        let near = try CLI.run(["-e", ".unit"])
        XCTAssertEqual(near.stderr, "error: unknown meta command .unit; did you mean .units? (.help lists them)\n")
        let topic = try CLI.run(["-e", ".help nope"])
        XCTAssertEqual(topic.stderr, "error: no help topic \"nope\"; topics: checks, expressions, fields, formats, sources, stages\n")
        let checks = try CLI.run(["-e", ".help checks"])
        XCTAssertTrue(checks.stdout.hasPrefix("checks lists findings: total (a total row against its rows), subtotal"), checks.stdout)
    }
}
