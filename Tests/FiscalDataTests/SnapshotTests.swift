// SnapshotTests.swift — statements.snapshot: the store read back is the store written (columns, given
// order, indexes, texts); a snapshot that does not match its statements.tsv, or is damaged, is not used;
// a file of that name that fql did not make is never read or overwritten.

import Foundation
import XCTest
@testable import FiscalData

final class SnapshotTests: XCTestCase {
    /// A scratch dataset folder holding a copy of the bundled catalogue and statements.
    private func scratchDataset() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fql-snapshot-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        for f in [Dataset.catalogueFile, Dataset.statementsFile] {
            try FileManager.default.copyItem(atPath: Repo.datasets + "/" + f, toPath: folder + "/" + f)
        }
        return folder
    }

    private func assertSame(_ a: Store, _ b: Store, file: StaticString = #filePath, line: UInt = #line) {
        let (x, y) = (a.columns, b.columns)
        XCTAssertEqual(x.pool.strings, y.pool.strings, file: file, line: line)
        XCTAssertEqual(x.unit, y.unit, file: file, line: line); XCTAssertEqual(x.region, y.region, file: file, line: line)
        XCTAssertEqual(x.year, y.year, file: file, line: line); XCTAssertEqual(x.phase, y.phase, file: file, line: line)
        XCTAssertEqual(x.measure, y.measure, file: file, line: line); XCTAssertEqual(x.function, y.function, file: file, line: line)
        XCTAssertEqual(x.econDept, y.econDept, file: file, line: line); XCTAssertEqual(x.econGov, y.econGov, file: file, line: line)
        XCTAssertEqual(x.nature, y.nature, file: file, line: line); XCTAssertEqual(x.fund, y.fund, file: file, line: line)
        XCTAssertEqual(x.cost, y.cost, file: file, line: line); XCTAssertEqual(x.project, y.project, file: file, line: line)
        XCTAssertEqual(x.category, y.category, file: file, line: line); XCTAssertEqual(x.amount, y.amount, file: file, line: line)
        XCTAssertEqual(x.doc, y.doc, file: file, line: line); XCTAssertEqual(x.table, y.table, file: file, line: line)
        XCTAssertEqual(x.line, y.line, file: file, line: line); XCTAssertEqual(x.level, y.level, file: file, line: line)
        XCTAssertEqual(x.derived, y.derived, file: file, line: line)
        XCTAssertEqual(a.given, b.given, file: file, line: line)
        XCTAssertEqual(a.indexes.byUnit, b.indexes.byUnit, file: file, line: line)
        XCTAssertEqual(a.indexes.byYear, b.indexes.byYear, file: file, line: line)
        XCTAssertEqual(a.indexes.byPhase, b.indexes.byPhase, file: file, line: line)
        XCTAssertEqual(a.indexes.byMeasure, b.indexes.byMeasure, file: file, line: line)
        XCTAssertEqual(a.indexes.byFunction, b.indexes.byFunction, file: file, line: line)
        XCTAssertEqual(a.statements, b.statements, file: file, line: line)
        XCTAssertEqual(b.checkInvariants(), [], file: file, line: line)
    }

    func testRoundTrip() throws {
        let folder = try scratchDataset()
        let parsed = try Dataset.load(folder: folder, snapshot: .never).store
        XCTAssertTrue(parsed.isReordered, "the bundled statements are not in group order, so the given order is kept too")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + Snapshot.fileName), ".never writes nothing")
        XCTAssertTrue(Snapshot.write(parsed, folder: folder))
        let read = try XCTUnwrap(Snapshot.read(folder: folder))
        assertSame(parsed, read)
        // Dataset.load takes it when it matches.
        assertSame(parsed, try Dataset.load(folder: folder).store)
    }

    func testAutomaticWritesOnlyFromTheThreshold() throws {
        let folder = try scratchDataset()
        let path = folder + "/" + Snapshot.fileName
        _ = try Dataset.load(folder: folder)   // the standard threshold: the bundled 832 statements are far below it
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let parsed = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store
        XCTAssertTrue(Snapshot.isSnapshot(path))
        assertSame(parsed, try XCTUnwrap(Snapshot.read(folder: folder)))
    }

    func testAChangedTSVIsReadAndTheSnapshotRemade() throws {
        let folder = try scratchDataset()
        let tsv = folder + "/" + Dataset.statementsFile
        _ = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0))
        XCTAssertNotNil(Snapshot.read(folder: folder))
        // The last statement removed: the file is another size, with another time and inode (written aside, as
        // fql's writer and most editors do).
        var lines = try Dataset.readText(tsv).split(separator: "\n").map(String.init)
        lines.removeLast()
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: tsv), options: .atomic)
        XCTAssertNil(Snapshot.read(folder: folder), "a snapshot of another statements.tsv is not used")
        let store = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store
        XCTAssertEqual(store.count, lines.count - 1)
        let remade = try XCTUnwrap(Snapshot.read(folder: folder), "the snapshot is made again for the new file")
        XCTAssertEqual(remade.count, lines.count - 1)
    }

    func testADamagedSnapshotIsNotUsed() throws {
        let folder = try scratchDataset()
        let path = folder + "/" + Snapshot.fileName
        let store = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // One byte changed in the middle (an amount or a text), the file cut short, a byte added at the end.
        var flipped = whole
        flipped[whole.count / 2] ^= 0x40
        for damaged in [flipped, whole.prefix(whole.count - 9), whole + Data([0])] {
            try damaged.write(to: URL(fileURLWithPath: path))
            XCTAssertNil(Snapshot.read(folder: folder))
            // The dataset still loads, from the TSV, and the snapshot is made again.
            XCTAssertEqual(try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store.count, store.count)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), whole)
        }
    }

    func testAFileOfThatNameFqlDidNotMakeIsNeverTouched() throws {
        let folder = try scratchDataset()
        let path = folder + "/" + Snapshot.fileName
        let mine = Data("the user's own notes\n".utf8)
        try mine.write(to: URL(fileURLWithPath: path))
        let store = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store
        XCTAssertEqual(store.count, try Dataset.load(folder: folder, snapshot: .never).store.count)
        XCTAssertFalse(Snapshot.write(store, folder: folder))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), mine)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
                       [Dataset.catalogueFile, Snapshot.fileName, Dataset.statementsFile].sorted(),
                       "no partial file is left either")
    }

    func testASnapshotThatCannotBeWrittenLeavesTheLoadAsItIs() throws {
        let folder = try scratchDataset()
        // The name this process writes a snapshot under is taken (by a folder), as a full disk or a
        // read-only folder would stop the writing: the dataset loads from its TSV, and nothing is left.
        let aside = folder + "/.\(Snapshot.fileName).\(getpid()).partial"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: false)
        let store = try Dataset.load(folder: folder, snapshot: .automatic(minimumBytes: 0)).store
        XCTAssertEqual(store.count, try Dataset.load(folder: folder, snapshot: .never).store.count)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + Snapshot.fileName))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: aside), [], "the folder in the way is left as it was")
    }
}
