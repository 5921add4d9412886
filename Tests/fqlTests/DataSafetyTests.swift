// DataSafetyTests.swift — `fql import --out` never deletes or overwrites what it
// did not create: each refused output leaves the folder byte for byte as it was
// (every path, type, content and link target compared before and after); a
// dataset is added to or replaced only when asked, and a document is never
// added twice (by import --add or by .import in a session).

import Foundation
import XCTest
import FiscalData

final class DataSafetyTests: XCTestCase {
    static let doc002 = "Datasets/documents/002_07751d8f3a00d93a.txt"
    static let doc003 = "Datasets/documents/003_7b7825285b0ac163.txt"

    /// Every entry under `root`: relative path, then its bytes, link target or "folder".
    private func fingerprint(_ root: String) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func walk(_ rel: String) {
            let path = rel.isEmpty ? root : root + "/" + rel
            for name in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                let r = rel.isEmpty ? name : rel + "/" + name
                let full = root + "/" + r
                if let target = try? fm.destinationOfSymbolicLink(atPath: full) { out.append("\(r) -> \(target)"); continue }
                var isDir: ObjCBool = false
                _ = fm.fileExists(atPath: full, isDirectory: &isDir)
                if isDir.boolValue { out.append("\(r)/"); walk(r) } else {
                    out.append("\(r): \(fm.contents(atPath: full)?.base64EncodedString() ?? "?")")
                }
            }
        }
        walk("")
        return out
    }

    /// Each case: what is at the output before, and the one-line refusal; the folder must not change.
    func testRefusedOutputsAreLeftUntouched() throws {
        let cases: [(name: String, setup: (String) throws -> Void, out: String, extra: [String], error: String)] = [
            ("a folder of the user's files", { d in
                try FileManager.default.createDirectory(atPath: d + "/proj/src", withIntermediateDirectories: true)
                try "x\n".write(toFile: d + "/proj/notes.txt", atomically: true, encoding: .utf8)
             }, "proj", [], "refused as the output folder: it holds files that are not an FQL dataset (notes.txt, src); nothing was written: give a new folder"),
            ("a file", { d in try "\\documentclass{article}\n".write(toFile: d + "/thesis.tex", atomically: true, encoding: .utf8) },
             "thesis.tex", [], "refused as the output folder: it is a file, not a dataset folder; give a new folder"),
            ("a symbolic link", { d in
                try FileManager.default.createDirectory(atPath: d + "/real", withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: d + "/link", withDestinationPath: d + "/real")
             }, "link", [], "refused as the output folder: it is a symbolic link; give the folder it points to, or a new folder"),
            ("a dataset, without --add or --replace", { d in
                let r = try CLI.run(["import", Self.doc002, "--out", d + "/ds"])
                XCTAssertEqual(r.status, 0, r.stderr)
             }, "ds", [], "refused as the output folder: it already holds a dataset of 1 document; give --add to add to it or --replace to replace it"),
            ("a dataset with a file of the user's", { d in
                let r = try CLI.run(["import", Self.doc002, "--out", d + "/ds"])
                XCTAssertEqual(r.status, 0, r.stderr)
                try "mine\n".write(toFile: d + "/ds/notes.md", atomically: true, encoding: .utf8)
             }, "ds", ["--replace"], "refused as the output folder: it holds files that are not an FQL dataset (notes.md); nothing was written: give a new folder"),
            ("a dataset with a file of the user's named as fql's snapshot", { d in
                let r = try CLI.run(["import", Self.doc002, "--out", d + "/ds"])
                XCTAssertEqual(r.status, 0, r.stderr)
                try "mine\n".write(toFile: d + "/ds/" + Snapshot.fileName, atomically: true, encoding: .utf8)
             }, "ds", ["--replace"], "refused as the output folder: it holds files that are not an FQL dataset (statements.snapshot); nothing was written: give a new folder"),
        ]
        for c in cases {
            let dir = try CLI.tempFolder()
            try c.setup(dir)
            let before = fingerprint(dir)
            let r = try CLI.run(["import", Self.doc003, "--out", dir + "/" + c.out] + c.extra)
            XCTAssertEqual(r.status, 1, c.name)
            XCTAssertEqual(r.stderr, "fql: import: \(dir)/\(c.out): \(c.error)\n", c.name)
            XCTAssertEqual(fingerprint(dir), before, "\(c.name): the folder changed")
        }
    }

    /// --add merges (a document already there is not added twice); --replace says what it replaced.
    func testAddAndReplaceAreAskedFor() throws {
        let dir = try CLI.tempFolder()
        let ds = dir + "/ds"
        XCTAssertEqual(try CLI.run(["import", Self.doc002, "--out", ds]).status, 0)
        let add = try CLI.run(["import", Self.doc003, Self.doc002, "--out", ds, "--add"])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.contains("\(Self.doc002): already in the dataset (the same text); not added again\n"), add.stdout)
        XCTAssertTrue(add.stdout.hasSuffix("wrote 535 statements from 2 documents to \(ds)\n"), add.stdout)
        let units = try CLI.run(["--data", ds, "--format", "csv", "-e", "final | where unit ~ \"蔡甸\" and year = 2024 | sum by nature"])
        XCTAssertEqual(units.stdout, "nature,amount,note\nbasic,61.11,\nproject,113.14,\n", "蔡甸 counted once")
        let replace = try CLI.run(["import", Self.doc003, "--out", ds, "--replace"])
        XCTAssertEqual(replace.status, 0, replace.stderr)
        XCTAssertTrue(replace.stdout.hasSuffix("replaced the dataset in \(ds) (it had 2 documents)\nwrote 331 statements from 1 document to \(ds)\n"), replace.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ds + "/documents"), ["003_7b7825285b0ac163.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["ds"], "no folder left aside")
        let both = try CLI.run(["import", Self.doc003, "--out", ds, "--add", "--replace"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.hasPrefix("fql: give --add or --replace, not both\n"), both.stderr)
    }

    /// A dataset's snapshot, and one a writer left half made, are fql's: the dataset is still added to.
    func testADatasetWithItsSnapshotIsAddedTo() throws {
        let dir = try CLI.tempFolder()
        let ds = dir + "/ds"
        XCTAssertEqual(try CLI.run(["import", Self.doc002, "--out", ds]).status, 0)
        _ = try Dataset.load(folder: ds, snapshot: .automatic(minimumBytes: 0))
        XCTAssertTrue(Snapshot.isSnapshot(ds + "/" + Snapshot.fileName))
        XCTAssertTrue(FileManager.default.createFile(atPath: ds + "/.statements.snapshot.4242.partial", contents: Data()))
        let add = try CLI.run(["import", Self.doc003, "--out", ds, "--add"])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.hasSuffix("wrote 535 statements from 2 documents to \(ds)\n"), add.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ds + "/" + Snapshot.fileName),
                       "the snapshot of the old statements went with them")
        let sum = try CLI.run(["--data", ds, "--format", "csv", "-e", "final | where unit ~ \"蔡甸\" and year = 2024 | sum"])
        XCTAssertEqual(sum.stdout, "amount,note\n174.25,\n")
    }

    /// Two files with one name and different texts are not merged into one document.
    func testSameNameDifferentTextIsAFailure() throws {
        let dir = try CLI.tempFolder()
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/" + Self.doc002, toPath: dir + "/a/doc.txt")
        try FileManager.default.copyItem(atPath: CLI.root + "/" + Self.doc003, toPath: dir + "/doc.txt")
        let r = try CLI.run(["import", dir + "/a/doc.txt", dir + "/doc.txt", "--out", dir + "/ds"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "fql: import: doc: two different documents have this name (\(dir)/a/doc.txt and \(dir)/doc.txt); rename one\n")
        XCTAssertTrue(r.stdout.hasSuffix("wrote 204 statements from 1 document to \(dir)/ds; 1 failed\n"), r.stdout)
    }

    /// `.import` of a document the session already holds is a no-op with a message.
    func testDotImportOfALoadedDocumentAddsNothing() throws {
        let r = try CLI.run([], stdin: ".import \(Self.doc002)\nfinal | where unit ~ \"蔡甸\" and year = 2024 | sum by nature\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(Self.doc002): already loaded (the same text); not added again\nnature   amount\n-------  ------\nbasic     61.11\nproject  113.14\namounts in 万元\n")
    }
}
