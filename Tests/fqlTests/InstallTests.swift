// InstallTests.swift — scripts/install.sh (issue 15): fql installed under a
// prefix runs from any folder on its bundled dataset; installing again
// replaces only what the script made; a fql or share/fql it did not make is
// left untouched unless --force.

import Foundation
import XCTest

final class InstallTests: XCTestCase {
    private func install(_ prefix: String, _ more: [String] = []) throws -> CLIResult {
        try CLI.run([CLI.root + "/scripts/install.sh", "--prefix", prefix] + more,
                    environment: ["FQL_BINARY": CLI.binary.path], executable: URL(fileURLWithPath: "/bin/bash"))
    }

    func testInstalledFqlRunsFromAnyFolderOnItsDataset() throws {
        let prefix = try CLI.tempFolder() + "/prefix"
        let first = try install(prefix)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/share/fql/Datasets/statements.tsv"))
        for script in ["fql.bash", "_fql", "fql.fish"] {
            let text = try String(contentsOfFile: prefix + "/share/fql/completions/" + script, encoding: .utf8)
            XCTAssertTrue(text.contains("import") && text.contains("no-snapshot"), script)
        }
        let elsewhere = try CLI.tempFolder()
        let installed = URL(fileURLWithPath: prefix + "/bin/fql")
        let query = ["--format", "csv", "-e", "final | where unit ~ \"蔡甸\" | sum by nature"]
        let ran = try CLI.run(query, directory: elsewhere, executable: installed)
        XCTAssertEqual(ran.status, 0, ran.stderr)
        XCTAssertEqual(ran.stdout, try CLI.run(query).stdout)
        // Again: the script replaces what it made.
        let again = try install(prefix)
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testWhatTheScriptDidNotMakeIsLeftUntouched() throws {
        let prefix = try CLI.tempFolder() + "/prefix"
        try FileManager.default.createDirectory(atPath: prefix + "/share/fql", withIntermediateDirectories: true)
        try "mine".write(toFile: prefix + "/share/fql/notes.txt", atomically: true, encoding: .utf8)
        let refused = try install(prefix)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("was not made by this script; left untouched (--force replaces it)"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: prefix + "/share/fql/notes.txt", encoding: .utf8), "mine")
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + "/bin/fql"))
        let forced = try install(prefix, ["--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + "/share/fql/notes.txt"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/bin/fql"))
    }
}
