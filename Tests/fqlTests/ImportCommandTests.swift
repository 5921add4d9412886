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
        XCTAssertTrue(r.stdout.contains("003_7b7825285b0ac163: budget-captions, 北京市东城区城市管理指挥中心, 2024 budget"))
        XCTAssertTrue(r.stdout.contains("  table: line 121: 预算03表 2024年部门（单位）支出预算总表: 38 rows, 77 statements"))
        XCTAssertEqual(try String(contentsOfFile: out + "/statements.tsv", encoding: .utf8),
                       try String(contentsOfFile: CLI.root + "/Datasets/statements.tsv", encoding: .utf8))
        let units = try CLI.run(["--data", out, "--format", "csv", "-e", "units | count by unit"])
        XCTAssertEqual(units.stdout, "unit,count\n北京市东城区城市管理指挥中心,2\n北京市西城区城市管理指挥中心,4\n武汉市蔡甸区城市运行管理中心,4\n")
    }

    /// The hand-made variants (Tests/FiscalImportTests/Variants) import and answer queries: facts add up to
    /// each document's own total across a page break, and budget meets final item by item.
    func testVariantDocumentsImportAndAnswer() throws {
        let out = try CLI.tempFolder() + "/ds"
        let dir = "Tests/FiscalImportTests/Variants/"
        let r = try CLI.run(["import", dir + "wuhan-final-2025.txt", dir + "beijing-budget-2025.txt", dir + "prose-final-2025.txt", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("wrote 66 statements from 3 documents to \(out)\n"), r.stdout)
        let q = try CLI.run(["--data", out, "--format", "csv", "-e",
                             "spending | sum by unit, phase; spending | where unit ~ \"江夏\" | compare budget vs final by item"])
        XCTAssertEqual(q.stdout, """
        unit,phase,amount,note
        北京市丰台区城市管理指挥中心,final,3120.40,
        北京市朝阳区城市管理指挥中心,budget,2030.75,
        武汉市江夏区城市管理服务中心,budget,700.00,
        武汉市江夏区城市管理服务中心,final,1250.40,
        item,item.name,budget,final,diff,pct,rate,note
        2120101,行政运行,700.00,709.85,9.85,1.41,101.41,
        2120104,城管执法,0,420.25,420.25,,,

        """)
        // The budget gives 一般公共预算 items only: the final side is cut to them, and stderr says so beside the CSV.
        XCTAssertEqual(q.stderr, "note: 武汉市江夏区城市管理服务中心 2025: both sides limited to fund general (一般公共预算), as budget gives no other; "
                       + "left out of final: 120.30 (add \"by fund\" to see every fund)\n")
    }

    /// The row formula (issue 13, rule 5): a row whose 合计 is not its 基本 + 项目 is an error of its own; the
    /// variant as made has none.
    func testRowFormulaFindsAPlantedError() throws {
        let dir = try CLI.tempFolder()
        let variant = try String(contentsOfFile: CLI.root + "/Tests/FiscalImportTests/Variants/wuhan-final-2025.txt", encoding: .utf8)
        let planted = variant.replacingOccurrences(of: "212\t城乡社区支出\t1, 130. 10\t709. 85\t", with: "212\t城乡社区支出\t1, 130. 10\t709. 95\t")
        XCTAssertNotEqual(planted, variant)
        for (name, text) in [("clean", variant), ("planted", planted)] {
            try text.write(toFile: dir + "/\(name).txt", atomically: true, encoding: .utf8)
            XCTAssertEqual(try CLI.run(["import", dir + "/\(name).txt", "--out", dir + "/\(name)"]).status, 0)
        }
        let row = { (ds: String) throws -> [String] in
            try CLI.run(["check", "--data", dir + "/" + ds, "--format", "csv"]).stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("row,") }
        }
        XCTAssertEqual(try row("clean"), [])
        let found = try row("planted")
        XCTAssertEqual(found.count, 1, found.joined(separator: "\n"))
        XCTAssertTrue(found.first?.hasPrefix("row,error,mismatch,武汉市江夏区城市管理服务中心,2025,final,spending,func 212 城乡社区支出: 合计 against 基本 + 项目 of its row,1130.10,1130.20,-0.10,0.015,planted:") == true, found.joined())
    }

    /// A table missing a column (the Wuhan variant without 项目支出) still imports; `fql check` then shows
    /// where its rows no longer add up to its totals. Outside the repository, import says where the catalogue is.
    func testTableMissingAColumnIsReportedByChecks() throws {
        let dir = try CLI.tempFolder()
        let variant = try String(contentsOfFile: CLI.root + "/Tests/FiscalImportTests/Variants/wuhan-final-2025.txt", encoding: .utf8)
        let cut = variant.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            if cells.count > 4 { cells.remove(at: 4) }
            return cells.joined(separator: "\t")
        }.joined(separator: "\n")
        try cut.write(toFile: dir + "/missing-column.txt", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", dir + "/missing-column.txt", "--out", dir + "/ds"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  table: line 9: 公开03表 2025年度支出决算表: 9 rows, 17 statements from 17 amount cells\n"), r.stdout)
        let c = try CLI.run(["check", "--data", dir + "/ds", "--format", "csv"])
        XCTAssertEqual(c.status, 1, "an error was found")
        let findings = c.stdout.split(separator: "\n").filter { !$0.hasPrefix("import,") }.map { $0.split(separator: ",").prefix(12).joined(separator: ",") }
        XCTAssertEqual(findings, [
            "kind,severity,status,unit,year,phase,measure,subject,stated,other,diff,tolerance",
            "total,error,mismatch,武汉市江夏区城市管理服务中心,2025,final,spending,total against its 3 rows,1250.40,830.15,420.25,0.02",
            // 212 and its 21201 fall short by the same missing column: one cause, one finding.
            "subtotal,error,mismatch,武汉市江夏区城市管理服务中心,2025,final,spending,func 212 城乡社区支出 against the 1 rows under it (and 1 more place with the same figures),1130.10,709.85,420.25,0.01",
        ])
        let elsewhere = try CLI.run(["import", dir + "/missing-column.txt", "--out", dir + "/ds2", "--data", dir])
        XCTAssertEqual(elsewhere.status, 3)
        XCTAssertEqual(elsewhere.stderr, "fql: import: no reference catalogue at \(dir)/classification.tsv; it is read from the dataset folder: give --data DIR or set FQL_DATA\n")
    }

    /// A batch never loses the good documents: the bad one is reported and the exit status is 1, the
    /// good one is written; when no document can be read, nothing is written at all.
    func testBadDocumentFailsAndTheGoodOnesAreWritten() throws {
        let dir = try CLI.tempFolder()
        try Data([0xB2, 0xBF, 0xC3, 0xC5, 0xD4, 0xA4, 0xCB, 0xE3]).write(to: URL(fileURLWithPath: dir + "/gbk.txt"))
        let r = try CLI.run(["import", "Datasets/documents/002_07751d8f3a00d93a.txt", dir + "/gbk.txt", "--out", dir + "/ds"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "fql: import: gbk: cannot read the document: it is not UTF-8; it looks like GBK/GB18030 (convert it with iconv -f GB18030 -t UTF-8)\n")
        XCTAssertTrue(r.stdout.hasSuffix("wrote 204 statements from 1 document to \(dir)/ds; 1 failed\n"), r.stdout)
        let only = try CLI.run(["import", dir + "/gbk.txt", "--out", dir + "/ds2"])
        XCTAssertEqual(only.status, 1)
        XCTAssertTrue(only.stderr.hasSuffix("fql: import: no document imported; \(dir)/ds2 was left as it was\n"), only.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["ds", "gbk.txt"])
    }
}
