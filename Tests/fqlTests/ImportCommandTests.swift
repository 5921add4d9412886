// ImportCommandTests.swift — `fql import FILE… --out DIR`: writes a loadable
// dataset and prints the coverage report; bad input leaves no dataset behind.

import Foundation
import XCTest

final class ImportCommandTests: XCTestCase {
    func testImportWritesALoadableDatasetAndReportsCoverage() throws {
        let out = try CLI.tempFolder() + "/ds"
        let docs = try FileManager.default.contentsOfDirectory(atPath: CLI.root + "/Datasets/documents").sorted()
            .map { "Datasets/documents/" + $0 }
        let r = try CLI.run(["import"] + docs + ["--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("003_7b7825285b0ac163: beijing-budget, 北京市东城区城市管理指挥中心, 2024 budget"))
        XCTAssertTrue(r.stdout.contains("  table: line 121: 预算03表 2024年部门（单位）支出预算总表: 38 rows, 77 statements"))
        XCTAssertEqual(try String(contentsOfFile: out + "/statements.tsv", encoding: .utf8),
                       try String(contentsOfFile: CLI.root + "/Datasets/statements.tsv", encoding: .utf8))
        let units = try CLI.run(["--data", out, "--format", "csv", "-e", "units | count by unit"])
        XCTAssertEqual(units.stdout, "unit,count\n北京市东城区城市管理指挥中心,2\n北京市西城区城市管理指挥中心,4\n武汉市蔡甸区城市运行管理中心,4\n")
    }

    func testBadDocumentFailsAndLeavesNoPartialDataset() throws {
        let dir = try CLI.tempFolder()
        try Data([0xB2, 0xBF, 0xC3, 0xC5, 0xD4, 0xA4, 0xCB, 0xE3]).write(to: URL(fileURLWithPath: dir + "/gbk.txt"))
        let r = try CLI.run(["import", "Datasets/documents/002_07751d8f3a00d93a.txt", dir + "/gbk.txt", "--out", dir + "/ds"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "fql: import: gbk: cannot read the document: it is not UTF-8; it looks like GBK/GB18030 (convert it with iconv -f GB18030 -t UTF-8)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/ds"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["gbk.txt"])
    }
}
