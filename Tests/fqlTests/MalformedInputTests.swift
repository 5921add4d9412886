// MalformedInputTests.swift — inputs that once crashed fql, hung it or lost
// data (issue 14's reproducers), replayed: each script of Malformed/ must end
// with the exit status, standard output and first line of standard error of
// its .expected file — an error with its place or a right answer, never a
// crash (status 132/139) or a hang (the CLI helper's 60 s watchdog).
// FQL_RECORD=1 rewrites the .expected files after a deliberate change (the
// test then fails; review the diff).

import Foundation
import XCTest

final class MalformedInputTests: XCTestCase {
    static let folder = "Tests/fqlTests/Malformed"

    func testScripts() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/" + Self.folder)
            .filter { $0.hasSuffix(".fql") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 7)
        let record = ProcessInfo.processInfo.environment["FQL_RECORD"] != nil
        for name in names {
            let path = CLI.root + "/" + Self.folder + "/" + name.dropLast(4) + ".expected"
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            let r = try CLI.run([Self.folder + "/" + name])
            var stdout = r.stdout
            while stdout.hasSuffix("\n") { stdout.removeLast() }
            let got = "status \(r.status)\n--- stdout\n\(stdout)\n--- stderr (first line)\n"
                + (r.stderr.isEmpty ? "" : String(r.stderr.split(separator: "\n", omittingEmptySubsequences: false)[0].prefix(300)) + "\n")
            if record { try got.write(toFile: path, atomically: true, encoding: .utf8) } else { XCTAssertEqual(got, expected, name) }
        }
        if record { XCTFail("recorded Malformed/*.expected; unset FQL_RECORD and review the diff") }
    }

    /// A document with CRLF line ends imports like the same document with LF (it was refused, or written
    /// with a raw CR into a field that made the dataset unloadable).
    func testCRLFDocumentImportsLikeLF() throws {
        let dir = try CLI.tempFolder()
        let lf = try String(contentsOfFile: CLI.root + "/Datasets/documents/002_07751d8f3a00d93a.txt", encoding: .utf8)
        try lf.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: dir + "/crlf.txt", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", dir + "/crlf.txt", "--out", dir + "/ds"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("wrote 204 statements from 1 document to \(dir)/ds\n"), r.stdout)
        let q = try CLI.run(["--data", dir + "/ds", "--format", "csv", "-e", "final | where year = 2024 | sum by nature"])
        XCTAssertEqual(q.stdout, "nature,amount,note\nbasic,61.11,\nproject,113.14,\n")
        // The checks that read the kept text count its lines as the importer does: the same findings, at the
        // same lines, as the bundled LF copy (增长100% from nothing at 344 …).
        let places = { (args: [String]) throws -> [String] in
            try CLI.run(["check", "--format", "csv"] + args).stdout.split(separator: "\n").filter { $0.hasPrefix("percent,") }
                .map { String($0.split(separator: ",", omittingEmptySubsequences: false).suffix(2).first!) }
                .filter { $0.hasPrefix("002_07751d8f3a00d93a:") || $0.hasPrefix("crlf:") }
                .map { $0.replacingOccurrences(of: "002_07751d8f3a00d93a:", with: "crlf:") }
        }
        let crlf = try places(["--data", dir + "/ds"])
        XCTAssertFalse(crlf.isEmpty)
        XCTAssertEqual(crlf, try places([]))
    }

    /// Escape sequences in a document's text (a title with ESC ] 0 ; … BEL) are shown, never sent to
    /// the terminal, in every format; and output that cannot be written is an error, not a silent success.
    func testControlCharactersAreShownAndWriteErrorsFail() throws {
        let dir = try CLI.tempFolder()
        let text = try String(contentsOfFile: CLI.root + "/Datasets/documents/002_07751d8f3a00d93a.txt", encoding: .utf8)
        try text.replacingOccurrences(of: "2024年度支出决算表\n", with: "\u{1B}]0;pwned\u{07}2024年度支出决算表\n")
            .write(toFile: dir + "/esc.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["import", dir + "/esc.txt", "--out", dir + "/ds"]).status, 0)
        let q = "rows | where table ~ \"pwned\" | limit 1 | select table"
        XCTAssertEqual(try CLI.run(["--data", dir + "/ds", "-e", q]).stdout,
                       "table\n-------------------------------------------\n公开03表 \\x1b]0;pwned\\x072024年度支出决算表\n")
        XCTAssertEqual(try CLI.run(["--data", dir + "/ds", "--format", "csv", "-e", q]).stdout,
                       "table\n公开03表 \\x1b]0;pwned\\x072024年度支出决算表\n")
        XCTAssertEqual(try CLI.run(["--data", dir + "/ds", "--format", "json", "-e", q]).stdout,
                       "[\n  {\"table\": \"公开03表 \\u001b]0;pwned\\u00072024年度支出决算表\"}\n]\n")
        let full = try CLI.run(["-e", "final | where year = 2024 | sum"], stdoutPath: "/dev/full")
        XCTAssertEqual(full.status, 1)
        XCTAssertEqual(full.stderr, "fql: cannot write the output: No space left on device\n")
    }

    /// Damaged files are errors with their place: a dataset line number past 32 bits (was a trap), a bad
    /// byte in a dataset file or in a UTF-8 document (the document was called GBK).
    func testDamagedFilesAreErrorsWithTheirPlace() throws {
        let dir = try CLI.tempFolder()
        for name in ["catalogue.tsv", "statements.tsv"] {
            try FileManager.default.copyItem(atPath: CLI.root + "/Datasets/" + name, toPath: dir + "/" + name)
        }
        let path = dir + "/statements.tsv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[1].components(separatedBy: "\t")
        fields[16] = "99999999999"
        lines[1] = fields.joined(separator: "\t")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let big = try CLI.run(["--data", dir, "-e", "final | sum"])
        XCTAssertEqual(big.status, 3)
        XCTAssertEqual(big.stderr, "fql: cannot load the dataset in \(dir): \(path):2:1: line 99999999999 must be from 1 to 2147483647\n")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.insert(0xFF, at: bytes.firstIndex(of: 0x0A)! + 1)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let bad = try CLI.run(["--data", dir, "-e", "final | sum"])
        XCTAssertEqual(bad.status, 3)
        XCTAssertTrue(bad.stderr.hasSuffix("\(path):2: not UTF-8 text (byte \(bytes.firstIndex(of: 0xFF)!) is no part of a UTF-8 character)\n"), bad.stderr)
        var doc = [UInt8](try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/Datasets/documents/002_07751d8f3a00d93a.txt")))
        doc.insert(0xFF, at: 5893)
        try Data(doc).write(to: URL(fileURLWithPath: dir + "/damaged.txt"))
        let r = try CLI.run(["import", dir + "/damaged.txt", "--out", dir + "/ds"])
        XCTAssertTrue(r.stderr.hasPrefix("fql: import: damaged: cannot read the document: it is UTF-8 up to byte 5893, line 137, where a byte is no part of a character (a damaged file?)\n"), r.stderr)
    }

    /// --safe refuses the meta commands that read or write files, and the queries around them still run.
    func testSafeRefusesFileMetaCommands() throws {
        let dir = try CLI.tempFolder()
        let r = try CLI.run(["--safe"], stdin: ".read /etc/passwd\n.output \(dir)/out.txt\n.import \(dir)/x.txt\nfinal | where unit ~ \"蔡甸\" and year = 2024 | sum\n")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, """
            error: .read reads or writes files, and --safe forbids it
            error: .output reads or writes files, and --safe forbids it
            error: .import reads or writes files, and --safe forbids it

            """)
        XCTAssertEqual(r.stdout, "amount\n------\n174.25\namounts in 万元\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    /// The fuzzing corpus (Fuzz/corpus/TARGET) replayed through the plain build of each fuzzing target:
    /// every input comes through (scripts/fuzz.sh grows the corpus with libFuzzer).
    func testFuzzCorpusReplays() throws {
        let replayer = CLI.binary.deletingLastPathComponent().appendingPathComponent("fql-fuzz")
        for target in ["query", "document", "pdfwords", "dataset"] {
            let folder = CLI.root + "/Fuzz/corpus/" + target
            let inputs = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
            XCTAssertFalse(inputs.isEmpty, target)
            let p = Process()
            p.executableURL = replayer
            p.arguments = inputs
            p.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
            p.environment = ["FQL_FUZZ_TARGET": target]
            try p.run()
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if p.isRunning { p.terminate() } }
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(target): an input of Fuzz/corpus/\(target) crashed or hung fql-fuzz")
        }
    }
}
