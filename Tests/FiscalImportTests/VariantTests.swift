// VariantTests.swift — the importer on documents it was not written against:
// hand-made variants (Variants/, see its README) of the three layouts, with
// another unit and year, other figures, other spacing, a table broken across
// a page, and a code missing its last digit in a new place.

import Foundation
import XCTest
@testable import FiscalData
@testable import FiscalImport

final class VariantTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Variants"

    static func run(_ name: String) throws -> ImportResult {
        Importer.run(try Importer.load(paths: [folder + "/" + name]), catalog: try ImportTests.base())
    }

    private func total(_ r: ImportResult, _ p: (Statement) -> Bool) throws -> String {
        try Money.sum(r.statements.filter(p).map(\.amount)).format(grouping: false)
    }

    private func coverage(_ r: ImportResult) -> [String] { r.coverage.values.flatMap { $0 }.map(\.description) }
    private func diagnostics(_ r: ImportResult) -> [String] { r.diagnostics.map { "\($0.line): \($0.kind.rawValue): \($0.message)" } }

    /// Wuhan 公开03表 across a page break, with "1, 130. 10" and 208050 for 2080506.
    func testWuhanFinalVariant() throws {
        let r = try Self.run("wuhan-final-2025.txt")
        let d = r.documents[0]
        XCTAssertEqual([d.layout.rawValue, d.unit, d.region, String(d.year), d.phase.rawValue],
                       ["disclosure-captions", "武汉市江夏区城市管理服务中心", "武汉市江夏区", "2025", "final"])
        // One table, not two: the repeated caption and header on the next page continue it.
        XCTAssertEqual(coverage(r).filter { $0.contains("公开03表") }, ["line 9: 公开03表 2025年度支出决算表: 9 rows, 21 statements from 21 amount cells"])
        let leaves: (Statement) -> Bool = { $0.table.hasPrefix("公开03表") && $0.level == .leaf }
        // 80.20 + 40.10 + 709.85 + 420.25 = 1,250.40, the table's 合计; basic 830.15, project 420.25.
        XCTAssertEqual(try total(r, leaves), "1250.4")
        XCTAssertEqual(try total(r, { leaves($0) && $0.nature == .basic }), "830.15")
        XCTAssertEqual(try total(r, { leaves($0) && $0.nature == .project }), "420.25")
        XCTAssertEqual(r.statements.filter(leaves).compactMap(\.function?.text).sorted(), ["2080505", "2080506", "2120101", "2120104"])
        // 212 and 21201 sit above items on the next page: subtotals, never added.
        XCTAssertTrue(r.statements.filter { $0.function?.text == "212" || $0.function?.text == "21201" }.allSatisfy { $0.level == .subtotal })
        let diags = diagnostics(r)
        XCTAssertTrue(diags.contains("20: repaired: repaired code 208050 机关事业单位职业年金缴费支出 to 2080506 机关事业单位职业年金缴费支出"), diags.joined(separator: "\n"))
        XCTAssertTrue(diags.contains("21: repaired: 公开03表 column 3: read \"1, 130. 10\" as 1130.1 (removed spaces inside the number)"))
        // The prose: 年初预算 and 决算 per item, 政府采购 by kind (6.50 + 0 + 30.00 = 36.50).
        let budget = r.statements.filter { $0.phase == .budget && $0.function != nil }.map { "\($0.function!.text) \($0.amount)" }
        XCTAssertEqual(budget, ["2120101 700", "2120104 0"])
        XCTAssertEqual(try total(r, { $0.measure == .procurement && $0.level == .leaf }), "36.5")
    }

    /// Beijing 预算03表 across a page with 续表 and its header repeated, 212010 for 2120101, the 三公 table in 元.
    func testBeijingBudgetVariant() throws {
        let r = try Self.run("beijing-budget-2025.txt")
        let d = r.documents[0]
        XCTAssertEqual([d.layout.rawValue, d.unit, String(d.year), d.phase.rawValue],
                       ["budget-captions", "北京市朝阳区城市管理指挥中心", "2025", "budget"])
        let t03: (Statement) -> Bool = { $0.table.hasPrefix("预算03表") && $0.level == .leaf }
        // 150.00 + 80.50 + 1,200.25 = 1,430.75 basic; 600.00 project; 2,030.75 in all, the 合　计 row.
        XCTAssertEqual(try total(r, t03), "2030.75")
        XCTAssertEqual(try total(r, { t03($0) && $0.nature == .basic }), "1430.75")
        XCTAssertEqual(try total(r, { $0.table.hasPrefix("预算03表") && $0.level == .total && $0.nature == nil }), "2030.75")
        XCTAssertEqual(r.statements.filter(t03).compactMap(\.function?.text), ["2080505", "2101101", "2120101", "2120107"])
        XCTAssertTrue(diagnostics(r).contains("21: repaired: repaired code 212010 行政运行 to 2120101 行政运行"))
        // 9,500.00 元 = 0.95 万元: 公务接待费 0.2 + 公务用车运行维护费 0.75.
        XCTAssertEqual(try total(r, { $0.table.hasPrefix("预算11表") && $0.level == .leaf }), "0.95")
        XCTAssertTrue(diagnostics(r).contains("33: repaired: 预算11表 “三公”经费: converted 9,500.00 元 to 0.95 万元"))
        // The prose: 比 2024 年增加 500 元 gives last year's 0.9 万元, marked as derived.
        let prior = r.statements.first { $0.year == 2024 }
        XCTAssertEqual(prior.map { "\($0.measure.rawValue) \($0.amount) \($0.derived ?? "")" }, "sangong 0.9 “三公”经费 0.95 比上年增加 0.05")
    }

    /// Beijing final accounts in prose, unit before year in the title, an item broken before its figures.
    func testProseFinalVariant() throws {
        let r = try Self.run("prose-final-2025.txt")
        let d = r.documents[0]
        XCTAssertEqual([d.layout.rawValue, d.unit, String(d.year), d.phase.rawValue],
                       ["prose-final", "北京市丰台区城市管理指挥中心", "2025", "final"])
        XCTAssertEqual(d.evidence[0], "unit 北京市丰台区城市管理指挥中心: title at line 1")
        let s = r.statements.map { "\($0.year) \($0.phase.rawValue) \($0.function?.text ?? "-") \($0.amount)" + ($0.derived.map { " (\($0))" } ?? "") }
        // 2,100.40 决算, 比年初预算增加 100.40 → 2,000; the total 3,120.40 比上年减少 80.60 → 3,201.
        XCTAssertTrue(s.contains("2025 final 2120101 2100.4"), s.joined(separator: "\n"))
        XCTAssertTrue(s.contains("2025 budget 2120101 2000 (决算 2100.4 比年初预算增加 100.4)"))
        XCTAssertTrue(s.contains("2024 final - 3201 (本年支出合计 3120.4 比上年减少 80.6)"))
        // 城管执法 is not in the catalogue: reported with its figure, never guessed, and not read as a class total.
        XCTAssertTrue(diagnostics(r).contains("12: unreadable: prose item 2、城乡社区支出(类)城乡社区管理事务(款)城管执法(项) (1,020): the name path is not in the catalogue"))
        XCTAssertFalse(r.statements.contains { $0.function?.text == "212" })
        XCTAssertTrue(coverage(r).contains("line 13: prose figures: 2 rows, 0 statements — not ingested: 2025年度决算1,020万元 (in an item's paragraph, not its 决算 or 年初预算); 比2025年年初预算减少80万元 (in an item's paragraph, not its 决算 or 年初预算)"),
                      coverage(r).joined(separator: "\n"))
        XCTAssertEqual(try total(r, { $0.measure == .sangong }), "3.5")
    }

    /// Covers as real documents word them, each over the same small 收支总表 (made up): the unit, year, phase
    /// and scope each decides. A title's words for the document (部门预算公开说明, 单位决算公开报告, 信息公开) are
    /// no part of the unit's name (a year in Chinese numerals read as one); a cover saying 部门预算 is the department's even when its unit line is
    /// 预算单位：.
    func testCoversNameTheUnitYearPhaseAndScope() throws {
        let table = "表1：收支预算总表\n单位：万元\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n一、财政拨款\t100.00\t一般公共服务支出\t100.00\n"
            + "本年收入合计\t100.00\t本年支出合计\t100.00\n收入总计\t100.00\t支出总计\t100.00\n"
        let cases: [(cover: String, expected: String)] = [
            ("上海市普陀区某某局2025年度单位预算", "上海市普陀区某某局 2025 budget 单位"),
            ("某某区教育局2024年度部门决算公开", "某某区教育局 2024 final 部门"),
            ("2025年某某县卫生健康局部门预算公开说明", "某某县卫生健康局 2025 budget 部门"),
            ("某某县卫生健康局2025年部门预算信息公开", "某某县卫生健康局 2025 budget 部门"),
            ("2024年度某某县卫生健康局单位决算公开报告", "某某县卫生健康局 2024 final 单位"),
            ("某某市\n交通运输局\n2025年部门预算", "某某市交通运输局 2025 budget 部门"),
            ("2025年部门预算\n预算单位：某某市文化广电旅游局", "某某市文化广电旅游局 2025 budget 部门"),
            ("2025年部门预算\n编制单位：某某市文化广电旅游局（盖章）", "某某市文化广电旅游局 2025 budget 部门"),
            ("关于某某县卫生健康局2025年部门预算的说明", "某某县卫生健康局 2025 budget 部门"),
            ("某某县卫生健康局关于2025年部门预算的说明", "某某县卫生健康局 2025 budget 部门"),
            // The year in Chinese numerals, as covers print it.
            ("某某市某某区司法局\n二〇二五年部门预算", "某某市某某区司法局 2025 budget 部门"),
            ("二零二四年度某某县财政局部门决算", "某某县财政局 2024 final 部门"),
        ]
        for c in cases {
            let final = c.expected.contains("final")
            let text = c.cover + "\n\n" + (final ? table.replacingOccurrences(of: "收支预算总表", with: "收入支出决算总表") : table)
            let doc = SourceDocument(id: "cover", text: text)
            let info = try DocumentMeta.decide(doc, layout: try DocumentMeta.layout(doc))
            let scope = info.evidence.first { $0.hasPrefix("scope ") }.map { String($0.dropFirst(6).prefix(2)) } ?? "?"
            XCTAssertEqual("\(info.unit) \(info.year) \(info.phase.rawValue) \(scope)", c.expected, c.cover)
        }
    }

    /// Table title lines as documents number them, each recognised as its standard title (or, for prose and
    /// a unit line, as none).
    func testTableTitleLinesAreRecognisedWhateverTheirNumber() {
        let cases: [(line: String, title: String?)] = [
            ("表1：收支预算总表", "收支预算总表"), ("附表1：收支预算总表", "收支预算总表"),
            ("表一：收支预算总表", "收支预算总表"), ("表1-1：收支预算总表", "收支预算总表"), ("附件1：2025年收支预算总表", "2025年收支预算总表"),
            ("1、收支预算总表", "收支预算总表"), ("2025年某某局收支预算总表", "2025年某某局收支预算总表"),
            ("收支预算总表            单位：万元", "收支预算总表"), ("表2 一般公共预算支出表 编制单位：某某局 单位：元", "2一般公共预算支出表"),
            ("本部门收支预算总表如下。", nil), ("单位：万元", nil),
        ]
        for c in cases { XCTAssertEqual(TableVocabulary.standard.title(of: c.line), c.title, c.line) }
    }
}
