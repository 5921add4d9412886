// TerminalWidthTests.swift — a table printed on a terminal fits its width
// (issue 15): the widest text column is cut first, with `…`, down to its
// name's width; numbers are never cut; a line after the table says so. A table
// still too wide is shown a field a line. Without a width nothing is cut.

import XCTest
@testable import FQL

final class TerminalWidthTests: XCTestCase {
    func testTheWidestTextColumnIsCutFirst() throws {
        let t = try Repo.engine().query("final | where unit ~ \"蔡甸\" | sum by unit, class.name | limit 3")
        XCTAssertEqual(t.render(.table, width: 44), """
        unit                class.name        amount
        ------------------  ----------------  ------
        武汉市蔡甸区城市…   一般公共服务支出  170.52
        武汉市蔡甸区城市…   住房保障支出        0.97
        武汉市蔡甸区城市…   农林水支出          2.76
        amounts in 万元
        (text cut with … to fit 44 cells; .mode line shows every field whole)

        """)
        // Narrower: both text columns are cut, each to its floor (its name's width, at least 8 cells); amounts never.
        XCTAssertEqual(t.render(.table, width: 30), """
        unit        class.name  amount
        ----------  ----------  ------
        武汉市蔡…   一般公共…   170.52
        武汉市蔡…   住房保障…     0.97
        武汉市蔡…   农林水支出    2.76
        amounts in 万元
        (text cut with … to fit 30 cells; .mode line shows every field whole)

        """)
        // Narrower than even the cut columns and the amount: a field a line, as .mode line, said after it.
        XCTAssertEqual(t.render(.table, width: 20), t.render(.line) + "(wider than 20 cells even cut: a field a line, as .mode line)\n")
        XCTAssertTrue(t.render(.table, width: 20).hasPrefix("      unit = 武汉市蔡甸区城市运行管理中心\nclass.name = 一般公共服务支出\n"),
                      t.render(.table, width: 20))
        XCTAssertFalse(t.render(.table).contains("…"))
        let wide = t.render(.table, width: 200)
        XCTAssertEqual(wide, t.render(.table), "a table that fits is printed as it is")
    }
}
