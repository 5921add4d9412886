// ImportTests.swift — the importer against the four real documents: figures
// checked against the documents, the coverage report, re-import reproducing
// the committed dataset byte for byte, and bad input.

import Foundation
import RepoPaths
import XCTest
@testable import FiscalData
@testable import FiscalImport

final class ImportTests: XCTestCase {
    static let root = RepoPaths.root
    static let datasets = root + "/Datasets"

    static func documentPaths() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: datasets + "/documents").sorted().map { datasets + "/documents/" + $0 }
    }

    static func base() throws -> Catalog {
        try Catalog.read(try Dataset.readText(datasets + "/classification.tsv"), file: "classification.tsv")
    }

    static let result: ImportResult = {
        Importer.run(try! Importer.load(paths: try! documentPaths()), catalog: try! base())
    }()

    private func sum(_ p: (Statement) -> Bool) -> String {
        (try! Money.sum(Self.result.statements.filter(p).map(\.amount))).format(grouping: false)
    }

    func testReimportReproducesTheCommittedDatasetByteForByte() throws {
        let r = Self.result
        XCTAssertEqual(StatementFile.text(r.statements), try Dataset.readText(Self.datasets + "/statements.tsv"))
        XCTAssertEqual(r.catalog.fileText(), try Dataset.readText(Self.datasets + "/catalogue.tsv"))
        XCTAssertEqual(DatasetWriter.documentsText(r.documents), try Dataset.readText(Self.datasets + "/documents.tsv"))
        XCTAssertEqual(DatasetWriter.report(r), try Dataset.readText(Self.datasets + "/import-report.txt"))
    }

    func testDocumentsAreDecidedWithEvidence() {
        let d = Dictionary(uniqueKeysWithValues: Self.result.documents.map { (String($0.id.prefix(3)), $0) })
        XCTAssertEqual(d["000"].map { [$0.layout.rawValue, $0.unit, $0.region, String($0.year), $0.phase.rawValue] },
                       ["prose-final", "北京市西城区城市管理指挥中心", "北京市西城区", "2024", "final"])
        XCTAssertEqual(d["002"].map { [$0.layout.rawValue, $0.unit, $0.region, String($0.year), $0.phase.rawValue] },
                       ["disclosure-captions", "武汉市蔡甸区城市运行管理中心", "武汉市蔡甸区", "2024", "final"])
        XCTAssertEqual(d["003"].map { [$0.layout.rawValue, $0.unit, $0.region, String($0.year), $0.phase.rawValue] },
                       ["budget-captions", "北京市东城区城市管理指挥中心", "北京市东城区", "2024", "budget"])
        XCTAssertEqual(d["004"].map { [$0.layout.rawValue, $0.unit, $0.region, String($0.year), $0.phase.rawValue] },
                       ["budget-captions", "北京市西城区城市管理指挥中心", "北京市西城区", "2026", "budget"])
        XCTAssertEqual(d["004"]?.evidence.first, "unit 北京市西城区城市管理指挥中心: unit code row 295001 at line 49")
        XCTAssertEqual(d["004"]?.evidence[1], "year 2026: heading (2026年度) at line 273")
    }

    /// 东城 budget 2024, 预算03表 (func × econ × nature) and 预算04表 (projects).
    func testDongchengBudgetFigures() {
        let t03: (Statement) -> Bool = { $0.doc.hasPrefix("003") && $0.table.hasPrefix("预算03表") && $0.level == .leaf }
        XCTAssertEqual(sum { t03($0) }, "5306.52")
        XCTAssertEqual(sum { t03($0) && $0.nature == .basic }, "3682.19")
        XCTAssertEqual(sum { t03($0) && $0.nature == .project }, "1624.33")
        let byClass = Dictionary(grouping: Self.result.statements.filter(t03)) { $0.function!.truncated(to: .class)!.text }
            .mapValues { (try! Money.sum($0.map(\.amount))).format(grouping: false) }
        XCTAssertEqual(byClass, ["208": "423.76", "210": "308.95", "212": "4023.01", "221": "550.8"])
        let projects = Self.result.statements.filter { $0.doc.hasPrefix("003") && $0.table.hasPrefix("预算04表") && $0.level == .leaf }
        XCTAssertEqual(Set(projects.compactMap(\.project)).count, 23)
        XCTAssertEqual((try! Money.sum(projects.map(\.amount))).format(grouping: false), "1624.33")
        // 预算13表 restates each project's 项目总额 (to four decimals): 23 projects, two printed again after a page break.
        let t13 = Self.result.statements.filter { $0.doc.hasPrefix("003") && $0.table.hasPrefix("预算13表") }
        XCTAssertEqual(t13.count, 23)
        XCTAssertEqual((try! Money.sum(t13.map(\.amount))).format(grouping: false), "1624.32724")
        XCTAssertTrue(Self.result.diagnostics.contains { $0.line == 540 && $0.message == "预算13表: the project of line 533 printed again after a page break; read once" })
        // 预算11表 is in 元: 13,000.00 元 → 1.3 万元.
        XCTAssertEqual(sum { $0.doc.hasPrefix("003") && $0.table.hasPrefix("预算11表") && $0.measure == .sangong && $0.level == .total }, "1.3")
    }

    /// 蔡甸 final 2024, 公开03表 支出决算表: items and the basic/project split.
    func testCaidianFinalFigures() {
        let t03 = Self.result.statements.filter { $0.doc.hasPrefix("002") && $0.table.hasPrefix("公开03表") && $0.level == .leaf }
        let items = Dictionary(grouping: t03) { $0.function!.text }.mapValues { (try! Money.sum($0.map(\.amount))).format(grouping: false) }
        XCTAssertEqual(items, ["2010350": "1.11", "2013750": "56.26", "2013799": "113.14", "2130104": "2.76", "2210201": "0.97"])
        // The items' basic spending adds to 61.10; the table's own 合计 row says 61.11 (its note warns of 尾数误差).
        XCTAssertEqual(sum { $0.doc.hasPrefix("002") && $0.table.hasPrefix("公开03表") && $0.level == .leaf && $0.nature == .basic }, "61.1")
        XCTAssertEqual(sum { $0.doc.hasPrefix("002") && $0.table.hasPrefix("公开03表") && $0.level == .total && $0.nature == .basic }, "61.11")
        XCTAssertEqual(sum { $0.doc.hasPrefix("002") && $0.table.hasPrefix("公开03表") && $0.level == .leaf && $0.nature == .project }, "113.14")
        // 公开06表: 人员经费 57.04 and 公用经费 4.07, codes repaired from 3010 etc.
        let t06 = Self.result.statements.filter { $0.doc.hasPrefix("002") && $0.table.hasPrefix("公开06表") && $0.level == .leaf }
        XCTAssertEqual((try! Money.sum(t06.filter { $0.cost == .personnel }.map(\.amount))).format(grouping: false), "57.04")
        XCTAssertEqual((try! Money.sum(t06.filter { $0.cost == .public }.map(\.amount))).format(grouping: false), "4.07")
        XCTAssertEqual(t06.first { $0.amount == Money("13.84")! }?.econDept?.text, "30101")
        // The prose states each item's 年初预算 as -0-.
        let budget = Self.result.statements.filter { $0.doc.hasPrefix("002") && $0.phase == .budget && $0.measure == .spending && $0.function != nil }
        XCTAssertEqual(budget.map(\.function!.text).sorted(), ["2010350", "2013750", "2013799", "2130104", "2210201"])
        XCTAssertTrue(budget.allSatisfy { $0.amount == .zero && $0.derived == nil })
        // Its 绩效自评综述 (the national template's wording): each project's 全年预算数 (adjusted, "_0") and 执行数.
        let evaluated = Self.result.statements.filter { $0.doc.hasPrefix("002") && $0.project != nil && $0.table.hasPrefix("情况说明") }
        XCTAssertEqual(evaluated.map { "\($0.project!) \($0.phase.rawValue) \($0.amount.format(grouping: false)) \($0.nature!.rawValue) \($0.line)" },
                       ["民呼我应 adjusted 0 project 486", "民呼我应 final 83.83 project 486",
                        "市民热线维护 adjusted 0 project 494", "市民热线维护 final 19.97 project 494"])
    }

    /// 西城 final 2024 (prose only): items with 年初预算 derived from the stated change.
    func testXichengProseFinalFigures() {
        let s = Self.result.statements.filter { $0.doc.hasPrefix("000") }
        let finals = s.filter { $0.phase == .final && $0.function != nil && $0.level == .leaf }
        XCTAssertEqual(finals.count, 11)
        XCTAssertEqual((try! Money.sum(finals.map(\.amount))).format(grouping: false), "5223.93")
        let b = s.first { $0.phase == .budget && $0.function?.text == "2010350" }
        XCTAssertEqual(b?.amount, Money("302.25"))
        XCTAssertEqual(b?.derived, "决算 239.51 比年初预算减少 62.74")
        // Last year's total, derived from 比上年增加250.86万元.
        let prior = s.first { $0.year == 2023 && $0.measure == .spending }
        XCTAssertEqual(prior?.amount, Money("5223.93"))
        XCTAssertEqual(prior?.derived, "本年支出合计 5474.79 比上年增加 250.86")
    }

    /// The prose beyond the per-item lines: “三公”经费, 政府采购, 机关运行经费, 人员/公用经费,
    /// class totals, and changes that give last year's or the budget's figure.
    func testProseFigures() {
        func prose(_ doc: String, _ measure: Measure, _ phase: Phase, year: Int = 2024, category: String? = nil,
                   level: RowLevel? = nil, function: String? = nil, cost: Cost? = nil) -> [String] {
            Self.result.statements.filter {
                $0.doc.hasPrefix(doc) && $0.table.hasPrefix("情况说明") && $0.measure == measure && $0.phase == phase && $0.year == year
                    && (category == nil || $0.category == category) && (level == nil || $0.level == level)
                    && (function == nil || $0.function?.text == function) && (cost == nil || $0.cost == cost)
            }.map { $0.amount.format(grouping: false) + ($0.derived.map { " (\($0))" } ?? "") }
        }
        // 西城 final accounts, prose only: “三公” 决算 0 against a 年初预算 of 1.1, all of it 公务接待费.
        XCTAssertEqual(prose("000", .sangong, .final, category: "“三公”经费"), ["0"])
        XCTAssertEqual(prose("000", .sangong, .budget, category: "“三公”经费"), ["1.1"])
        XCTAssertEqual(prose("000", .sangong, .budget, category: "公务接待费"), ["1.1"])
        XCTAssertEqual(prose("000", .sangong, .final, category: "因公出国（境）费"), ["0"])
        XCTAssertEqual(prose("000", .procurement, .final, level: .total), ["124.6"])
        XCTAssertEqual(prose("000", .procurement, .final, level: .leaf), ["0.92", "0", "123.68"])
        XCTAssertEqual(prose("000", .assets, .final), ["2856.48"])
        // Its income paragraph puts 一般公共预算财政拨款收入 at 14864.9 under a 收入合计 of 5474.79: read as printed.
        XCTAssertEqual(Self.result.statements.filter { $0.doc.hasPrefix("000") && $0.measure == .income && $0.fund == .general }
            .map { $0.amount.format(grouping: false) }, ["14864.9"])
        XCTAssertEqual(["201", "208", "210", "212", "221"].map { prose("000", .spending, .final, level: .subtotal, function: $0) },
                       [["2286.12"], ["375.02"], ["260.76"], ["1832.72"], ["469.3"]])
        // 蔡甸: 全年预算 (adjusted) 0 and 决算 2.76; 机关运行经费 0, 与年初预算持平; 政府采购 45.14.
        XCTAssertEqual(prose("002", .sangong, .adjusted, category: "“三公”经费"), ["0"])
        XCTAssertEqual(prose("002", .sangong, .final, category: "“三公”经费"), ["2.76"])
        XCTAssertEqual(prose("002", .sangong, .final, year: 2023, category: "公务用车购置及运行维护费"),
                       ["0 (公务用车购置及运行维护费 2.76 比上年增加 2.76)"])
        XCTAssertEqual(prose("002", .operating, .final), ["0"])
        XCTAssertEqual(prose("002", .operating, .budget), ["0 (机关运行经费 0 与年初预算持平)"])
        XCTAssertEqual(prose("002", .procurement, .final, level: .total), ["45.14"])
        XCTAssertEqual(prose("002", .spending, .final, cost: .personnel), ["57.04"])
        XCTAssertEqual(prose("002", .spending, .final, cost: .public), ["4.07"])
        // 东城 budget: 13000 元 → 1.3 万元, 比2023年减少600元 → 1.36; 运行经费 1121703.54 元; 一般公共预算当年拨款
        // 5306.52, 比2023年预算数减少312.14 → 5618.66; 人员经费 + 公用经费 = 基本支出 3682.19.
        XCTAssertEqual(prose("003", .sangong, .budget, category: "“三公”经费"), ["1.3"])
        XCTAssertEqual(prose("003", .sangong, .budget, year: 2023, category: "“三公”经费"), ["1.36 (“三公”经费 1.3 比上年减少 0.06)"])
        XCTAssertEqual(prose("003", .sangong, .budget, year: 2023, category: "公务接待费"), ["0 (公务接待费 0 与上年相同)"])
        XCTAssertEqual(prose("003", .operating, .budget), ["112.170354"])
        XCTAssertEqual(prose("003", .spending, .budget, year: 2023), ["5618.66 (一般公共预算当年拨款 5306.52 比上年减少 312.14)"])
        XCTAssertEqual(prose("003", .spending, .budget, cost: .personnel) + prose("003", .spending, .budget, cost: .public), ["3484.13", "198.06"])
        XCTAssertEqual(prose("003", .procurement, .budget), ["961.31", "961.31"])
        XCTAssertEqual(prose("003", .spending, .budget, level: .subtotal, function: "212"), ["4023.01", "4023.01"])
        // Amounts that became no statement are each reported with the reason.
        let c000 = Self.result.coverage["000_28812af1b3d468ad"]!.map(\.description)
        XCTAssertTrue(c000.contains("line 142: prose figures: 3 rows, 0 statements — not ingested: 0万元 (no statement kind for it); 单价100万元 (no statement kind for it); 0万元 (a threshold, not an amount spent)"),
                      c000.filter { $0.contains("prose figures") }.joined(separator: "\n"))
        // The 中小企业/小微企业 shares of 政府采购 are kept as parts (never added).
        XCTAssertEqual(prose("000", .procurement, .final, level: .subtotal), ["124.6", "0.92"])
        let c003 = Self.result.coverage["003_7b7825285b0ac163"]!.map(\.description)
        XCTAssertTrue(c003.contains("line 754: prose figures: 2 rows, 0 statements — not ingested: 总额1624.33万元 (the projects' count and total restate the project table); 财政拨款预算1624.33万元 (the projects' count and total restate the project table)"),
                      c003.filter { $0.contains("prose figures") }.joined(separator: "\n"))
    }

    /// 西城 budget 2026 (004): amounts to 6 decimals, 上年结转 as its own fund.
    func testXichengBudgetFigures() {
        let t03: (Statement) -> Bool = { $0.doc.hasPrefix("004") && $0.table.hasPrefix("预算03表") && $0.level == .leaf }
        XCTAssertEqual(sum { t03($0) }, "5508.974386")
        XCTAssertEqual(sum { t03($0) && $0.nature == .basic }, "3497.326891")
        XCTAssertEqual(sum { t03($0) && $0.nature == .project }, "2011.647495")
        XCTAssertEqual(sum { $0.doc.hasPrefix("004") && $0.measure == .income && $0.fund == .carryover && $0.table.hasPrefix("预算01表") }, "20")
    }

    func testCoverageAccountsForEveryTable() {
        let c003 = Self.result.coverage.first { $0.key.hasPrefix("003") }!.value.map(\.description)
        XCTAssertTrue(c003.contains("line 121: 预算03表 2024年部门（单位）支出预算总表: 38 rows, 77 statements from 77 amount cells"), c003.joined(separator: "\n"))
        XCTAssertTrue(c003.contains("line 333: 预算09表 2024年部门（单位）政府性基金预算财政拨款支出表: 0 rows, 1 statements from 0 amount cells — stated empty, one statement of 0: 注：本部门2024年没有使用政府性基金预算拨款安排的支出"))
        // The 0 it states is a statement: asking for 东城's 政府性基金 budget answers 0, not nothing.
        XCTAssertTrue(Self.result.statements.contains { $0.doc.hasPrefix("003") && $0.fund == .govfund && $0.amount.isZero && $0.line == 343 })
        XCTAssertTrue(c003.contains { $0.hasPrefix("line 379: 预算13表") && $0.contains("not ingested") })
        let c002 = Self.result.coverage.first { $0.key.hasPrefix("002") }!.value.map(\.description)
        XCTAssertTrue(c002.contains { $0.hasPrefix("line 1062: tab lines 1062–1078 outside any captioned table") && $0.contains("not ingested") })
        // Every document has at least one table or prose entry, every entry says rows and statements.
        XCTAssertEqual(Self.result.coverage.count, 4)
    }

    func testRepairsAreReportedWithTheirLine() {
        let d = Self.result.diagnostics.map(\.description)
        XCTAssertTrue(d.contains("002_07751d8f3a00d93a:122: repaired: repaired code 201035 事业运行 to 2010350 事业运行"), d.filter { $0.contains(":122:") }.joined(separator: "\n"))
        XCTAssertTrue(d.contains("002_07751d8f3a00d93a:74: repaired: 公开01表 一般公共预算财政拨款收入: read \"174. 25\" as 174.25 (removed spaces inside the number)"))
        XCTAssertTrue(d.contains("003_7b7825285b0ac163:214: unreadable: 预算04表 column 6 (部门支出经济分类科目) holds \"1422.53\", not a code: a cell shifted out of place; the row is kept without this code"))
        XCTAssertTrue(d.contains("003_7b7825285b0ac163:365: repaired: 预算11表 “三公”经费: converted 13,000.00 元 to 1.3 万元"))
    }

    func testBadInputIsAClearError() {
        func error(_ bytes: [UInt8]) -> String {
            do { _ = try SourceDocument(id: "x", bytes: Data(bytes)); return "no error" } catch { return error.description }
        }
        XCTAssertEqual(error([]), "x: the document is empty")
        XCTAssertEqual(error(Array(" \n\n".utf8)), "x: the document is empty")
        XCTAssertEqual(error([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00]), "x: cannot read the document: it contains NUL bytes (a binary file?)")
        // 部门预算 in GBK.
        XCTAssertEqual(error([0xB2, 0xBF, 0xC3, 0xC5, 0xD4, 0xA4, 0xCB, 0xE3]),
                       "x: cannot read the document: it is not UTF-8; it looks like GBK/GB18030 (convert it with iconv -f GB18030 -t UTF-8)")
        let unknown = SourceDocument(id: "y", text: "一份没有表格的文件。\n只有文字。\n")
        XCTAssertEqual(Importer.run([unknown], catalog: Catalog()).failures.map(\.description),
                       ["y: no known layout (no 预算NN表 or 公开NN表 captions, no table with a standard title (收入支出决算总表, 部门支出预算总表 …) and a unit line, and no 预算 or 决算 figures in prose)"])
        XCTAssertThrowsError(try Importer.load(paths: ["/nonexistent/doc.txt"])) { e in
            XCTAssertEqual((e as? ImportError)?.description, "/nonexistent/doc.txt: cannot read (no such file)")
        }
    }

    /// A truncated document still imports what it has, and never crashes.
    func testTruncatedDocumentsImportWithoutCrashing() throws {
        let text = try Dataset.readText(try Self.documentPaths()[2])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for cut in stride(from: 60, to: lines.count, by: 37) {
            let doc = SourceDocument(id: "003_cut", text: lines.prefix(cut).joined(separator: "\n"))
            _ = Importer.run([doc], catalog: try Self.base())
        }
    }

    /// A code printed with its name in one cell, as documents print it: with a dash, a space, a full-width
    /// space, in brackets, or run together; and cells that only look so (a year, a number of another kind,
    /// a code of no scheme) are no code.
    func testCodeAndNameInOneCell() {
        let cases: [(String, String?)] = [
            ("2080501-行政单位离退休", "2080501|行政单位离退休"), ("205 教育支出", "205|教育支出"), ("20501\u{3000}教育管理事务", "20501|教育管理事务"),
            ("[2050101]行政运行", "2050101|行政运行"), ("【30101】基本工资", "30101|基本工资"), ("205教育支出", "205|教育支出"),
            ("50101 工资奖金津补贴", "50101|工资奖金津补贴"),
            ("2025年预算", nil), ("110 指挥中心建设", nil), ("2050 教育", nil), ("205 万元", nil), ("205", nil), ("205 2050101", nil),
        ]
        for (cell, expected) in cases {
            XCTAssertEqual(splitCodeNameRaw(cell).map { "\($0.0)|\($0.1)" }, expected, cell)
        }
    }
}
