// CheckRuleTests.swift — the rules that read a document's wording and its list of tables (issue 13:
// required tables, headings dated with another year, template words left in, comparison wording), each shown finding the
// errors GovBudgetChecker planted in its 测试问题版本 of the 财政局 2024 决算 (../shared/realdocs), and
// nothing in the real document it was made from, nor in the bundled dataset beyond its real leftovers.

import Foundation
import XCTest

final class CheckRuleTests: XCTestCase {
    /// `fql check --format csv` rows of the text rules (kinds tables, year, template, wording) over `pdfs` imported.
    private func textFindings(_ pdfs: [String]) throws -> [String] {
        let out = try CLI.tempFolder() + "/ds"
        let r = try CLI.run(["import"] + pdfs.map { CLI.root + "/../shared/realdocs/" + $0 + ".pdf" } + ["--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try CLI.run(["check", "--data", out, "--format", "csv"]).stdout.split(separator: "\n").map(String.init)
            .filter { ["tables,", "year,", "template,", "wording,"].contains(where: $0.hasPrefix) }
    }

    func testPlantedErrorsOfTheTestVariantAreFound() throws {
        XCTAssertEqual(try textFindings(["shanghai-putuo-finance-2024-final-testvariant"]), [
            "year,error,mismatch,上海市普陀区财政局,2024,final,,\"heading dated 2023, the document is 2024's: 第三部分上海市普陀区财政局2023年度部门决算情况说明\",,,,,shanghai-putuo-finance-2024-final-testvariant:271,",
            // 小于 turned into 大于 and 等于 where the real document says 小于 (its lines 339, 358, 364).
            "wording,error,mismatch,上海市普陀区财政局,2024,final,,\"says the final is larger than the budget, but 预算 1560.05 and 决算 1511.89 万元\",,,,,shanghai-putuo-finance-2024-final-testvariant:292,",
            "wording,error,mismatch,上海市普陀区财政局,2024,final,,\"says the final is larger than the budget, but 预算 80.81 and 决算 80.38 万元\",,,,,shanghai-putuo-finance-2024-final-testvariant:302,",
            "wording,error,mismatch,上海市普陀区财政局,2024,final,,\"says the final is equal to the budget, but 预算 62.29 and 决算 60.99 万元\",,,,,shanghai-putuo-finance-2024-final-testvariant:307,",
            "tables,warning,missing,上海市普陀区财政局,2024,final,,\"支出决算表: one of the nine tables of a 部门决算, not in the document\",,,,,shanghai-putuo-finance-2024-final-testvariant:,",
            "year,warning,date,上海市普陀区财政局,2024,final,,year-end date 截至2023年12月31日 in the 2024 final accounts,,,,,shanghai-putuo-finance-2024-final-testvariant:342,",
            "template,warning,leftover,上海市普陀区财政局,2024,final,,a name left as a placeholder: 上海市普陀区XX局2,,,,,shanghai-putuo-finance-2024-final-testvariant:62,",
        ])
    }

    /// The real documents: the two finals publish all nine tables under their names (社会工作部's are the 2024
    /// names GovBudgetChecker's manifest does not know), no heading or date names another year, and each
    /// 决算数小于预算数 holds (社会工作部's against its 全年预算 321.02, its 年初预算 being 0).
    func testRealDocumentsHaveNoTextFindings() throws {
        XCTAssertEqual(try textFindings(["shanghai-putuo-finance-2024-final", "shanghai-putuo-socialwork-2024-final",
                                         "shanghai-putuo-justice-2026-budget", "hangzhou-shi-qixiangju-2026-budget"]), [])
    }

    /// The bundled 西城 2024 决算 keeps two 此处插入图表 of its template; 增加（减少）0万元 (a change of 0) is no leftover.
    func testBundledLeftoversAreFound() throws {
        let r = try CLI.run(["check", "--format", "csv"])
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("template,") || $0.hasPrefix("year,") || $0.hasPrefix("tables,") }, [
            "template,warning,leftover,北京市西城区城市管理指挥中心,2024,final,,\"placeholder left in the text: 此处插入图表,用上述收入金额制作\",,,,,000_28812af1b3d468ad:49,",
            "template,warning,leftover,北京市西城区城市管理指挥中心,2024,final,,\"placeholder left in the text: 此处插入图表,用上述支出金额制作\",,,,,000_28812af1b3d468ad:54,",
        ])
    }
}
