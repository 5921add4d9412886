// CatalogTests.swift — the catalogue: names, every name path the documents print,
// the truncated codes they contain, enrichment from documents, the file format.

import XCTest
@testable import FiscalData

final class CatalogTests: XCTestCase {
    func testCatalogueFileIsTheReferenceWithTrustAndBasis() throws {
        let cat = try Repo.catalog()
        XCTAssertEqual(cat.count, 153)
        let e = try XCTUnwrap(cat.entry(Code("2080501", scheme: .function)!))
        XCTAssertEqual(e.name, "行政单位离退休")
        XCTAssertEqual(e.trust, .high)
        XCTAssertEqual(e.basis, "disclosure 003; disclosure 004; code:c.2008 catalogue seed")
        XCTAssertEqual(cat.entry(Code("20129", scheme: .function)!)?.trust, .low)
        // Re-writing the file gives a catalogue equal row for row.
        let again = try Catalog.read(cat.fileText(), file: "again")
        XCTAssertEqual(again.allEntries, cat.allEntries)
    }

    /// Every functional name path printed in the four documents, found line by line, with the code it names.
    func testEveryNamePathInTheDocumentsResolves() throws {
        let cat = try Repo.catalog()
        let expected: [String: String] = [
            "000:67": "2010350", "000:71": "2010399", "000:75": "2080501", "000:79": "2080505",
            "000:83": "2080506", "000:87": "2101101", "000:90": "2101102", "000:94": "2120101",
            "000:98": "2210201", "000:101": "2210202", "000:104": "2210203",
            "002:406": "2010350", "002:407": "2013750", "002:408": "2013799", "002:410": "2130104",
            "002:413": "2210201",
            "003:698": "2080501", "003:700": "2080505", "003:702": "2080506", "003:704": "2101101",
            "003:706": "2120101", "003:708": "2120107", "003:710": "2210201", "003:712": "2210203",
            // Template text the documents left in (名词解释 examples): names the catalogue lacks.
            "000:171": "no 款 named \"人大事务\" under 201 in the catalogue",
            "002:596": "no 款 named \"财政事务\" under 201 in the catalogue",
        ]
        var found: [String: String] = [:]
        for doc in ["000", "002", "003", "004"] {
            for (i, line) in try Repo.documentLines(doc).enumerated() {
                let folded = foldName(line)
                guard let end = folded.range(of: "(项)") else { continue }
                switch cat.resolve(namePath: String(folded[..<end.upperBound])) {
                case .success(let r): found["\(doc):\(i + 1)"] = r.code.text
                case .failure(let e): found["\(doc):\(i + 1)"] = e.description
                }
            }
        }
        XCTAssertEqual(found, expected)
    }

    /// Names fold as data: full-width forms, spaces of every kind, dashes and quotation marks.
    func testFoldName() {
        let cases: [(String, String)] = [
            ("一般公共服务支出（类）", "一般公共服务支出(类)"),
            ("“三公”经费", "\"三公\"经费"), ("＂三公＂经费", "\"三公\"经费"), ("‘项目’", "'项目'"),
            ("机关 事业\u{3000}单位\t养老\r\n保险", "机关事业单位养老保险"),
            ("２０２５年－预算", "2025年-预算"), ("a–b—c−d﹣e", "a-b-c-d-e"),
            ("\u{00A0}国库\u{2003}", "国库"), ("", ""),
        ]
        for (name, folded) in cases { XCTAssertEqual(foldName(name), folded, name) }
    }

    /// White space of every kind is trimmed from both ends only, in time linear in the text.
    func testTrimmed() {
        let cases: [(String, String)] = [
            ("  113.14 ", "113.14"), ("\u{3000}行政运行\u{3000}", "行政运行"), ("\t\r\n", ""), ("a b", "a b"),
            ("\u{00A0}x\u{0085}", "x"), ("", ""), ("不变", "不变"),
        ]
        for (text, trimmed) in cases { XCTAssertEqual(text.trimmed(), trimmed, text) }
        XCTAssertEqual(Substring("  一  ").trimmed(), "一")
        let long = "x" + String(repeating: " ", count: 200_000) + "y" + String(repeating: " ", count: 200_000)
        XCTAssertEqual(long.trimmed().count, 200_002)
    }

    func testNamePathLeniencyIsReported() throws {
        let cat = try Repo.catalog()
        let r = try cat.resolve(namePath: "1、一般公共服务（类）政府办公厅（室）及相关机构事务（款）事业运行（项）。").get()
        XCTAssertEqual(r.code.text, "2010350")
        XCTAssertEqual(r.notes, ["read 一般公共服务（类） as 一般公共服务支出"])
        let exact = try cat.resolve(namePath: "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）").get()
        XCTAssertEqual(exact, Resolution(code: Code("2080501", scheme: .function)!, notes: []))
        // A path may stop at 款.
        XCTAssertEqual(try cat.resolve(namePath: "住房保障支出(类)住房改革支出(款)").get().code.text, "22102")
        XCTAssertEqual(cat.resolve(namePath: "住房保障支出"), .failure(.emptyPath("住房保障支出")))
    }

    /// The damaged codes of 002 (公开02表 and 公开06表) with the names and parents printed beside them.
    func testTruncatedCodesInTheDocumentsAreRepaired() throws {
        let cat = try Repo.catalog()
        let cases: [(String, String, CodeScheme, String?, String)] = [
            ("201035", "事业运行", .function, "20103", "2010350"),
            ("201375", "事业运行", .function, "20137", "2013750"),
            ("201379", "其他网信事务支出", .function, "20137", "2013799"),
            ("213010", "事业运行", .function, "21301", "2130104"),
            ("221020", "住房公积金", .function, "22102", "2210201"),
            ("3010", "基本工资", .econDept, "301", "30101"),
            ("3010", "绩效工资", .econDept, "301", "30107"),
            ("3010", "机关事业单位基本养老保险缴", .econDept, "301", "30108"),
            ("3010", "职业年金缴费", .econDept, "301", "30109"),
            ("3011", "职工基本医疗保险缴费", .econDept, "301", "30110"),
            ("3011", "其他社会保障缴费", .econDept, "301", "30112"),
            ("3011", "住房公积金", .econDept, "301", "30113"),
            ("3020", "办公费", .econDept, "302", "30201"),
            ("3020", "邮电费", .econDept, "302", "30207"),
            ("3023", "公务用车运行维护费", .econDept, "302", "30231"),
            ("3029", "其他商品和服务支出", .econDept, "302", "30299"),
            ("3021", "维修 (护) 费", .econDept, "302", "30213"),
            ("3010", "基本工资", .econDept, nil, "30101"),
        ]
        for (digits, name, scheme, parent, want) in cases {
            let p = parent.map { Code($0, scheme: scheme)! }
            switch cat.repair(digits: digits, name: name, scheme: scheme, under: p) {
            case .success(let r):
                XCTAssertEqual(r.code.text, want, "\(digits) \(name)")
                XCTAssertEqual(r.notes.count, 1)
            case .failure(let e):
                XCTFail("\(digits) \(name): \(e)")
            }
        }
        let note = try cat.repair(digits: "201035", name: "事业运行", scheme: .function, under: Code("20103", scheme: .function)).get().notes
        XCTAssertEqual(note, ["repaired code 201035 事业运行 to 2010350 事业运行"])
    }

    func testUnrepairableCodesAreReportedNotGuessed() {
        let cat = try! Repo.catalog()
        // 离休费 (30301) is not in the catalogue: nothing fits.
        XCTAssertEqual(cat.repair(digits: "3030", name: "离休费", scheme: .econDept, under: Code("303", scheme: .econDept)),
                       .failure(.noCandidate(digits: "3030", name: "离休费", under: Code("303", scheme: .econDept))))
        // A name that fits, but digits that cannot come from its code.
        XCTAssertEqual(cat.repair(digits: "3099", name: "基本工资", scheme: .econDept, under: nil),
                       .failure(.noCandidate(digits: "3099", name: "基本工资", under: nil)))
        // 办公设备购置 is both 30902 and 31002; "3100" fits only 31002, "300" fits neither 款.
        XCTAssertEqual(try cat.repair(digits: "3100", name: "办公设备购置", scheme: .econDept, under: nil).get().code.text, "31002")
    }

    func testEnrichmentAddsUnknownCodesAndReportsNameConflicts() {
        var cat = try! Repo.catalog()
        let lixiu = Code("30301", scheme: .econDept)!
        XCTAssertNil(cat.enrich(code: lixiu, name: "离休费", source: "disclosure 002"))
        XCTAssertEqual(cat.entry(lixiu)?.trust, .document)
        XCTAssertEqual(cat.children(of: Code("303", scheme: .econDept)!).first, lixiu)
        // Same name up to width and spaces: no conflict; the source joins the basis once.
        let weixiu = Code("30213", scheme: .econDept)!
        XCTAssertNil(cat.enrich(code: weixiu, name: "维修 (护) 费", source: "disclosure 002"))
        XCTAssertNil(cat.enrich(code: weixiu, name: "维修（护）费", source: "disclosure 002"))
        XCTAssertEqual(cat.entry(weixiu)?.basis, "disclosure 003; disclosure 004; code:third-party econ mapping (partly inferred); disclosure 002")
        // A different name: reported, the catalogue's name kept.
        let conflict = cat.enrich(code: Code("2130104", scheme: .function)!, name: "行政运行", source: "disclosure 9")
        XCTAssertEqual(conflict?.description, "disclosure 9: code 2130104 is named \"行政运行\", the catalogue says \"事业运行\"")
        XCTAssertEqual(cat.name(of: Code("2130104", scheme: .function)!), "事业运行")
    }

    func testBadCatalogueRowsNameTheirPlace() {
        let header = Catalog.header.joined(separator: "\t")
        let cases: [(String, String)] = [
            ("func\t2120\t项\t行政运行\t212\thigh\tx", "bad:2:6: \"2120\" is not a func code (3/5/7 digits)"),
            ("func\t2120101\t款\t行政运行\t21201\thigh\tx", "bad:2:14: level \"款\" does not match code 2120101, a 项"),
            ("func\t2120101\t项\t行政运行\t21202\thigh\tx", "bad:2:21: parent \"21202\" does not match code 2120101, whose parent is \"21201\""),
            ("func\t2120101\t项\t行政运行\t21201\tsure\tx", "bad:2:27: unknown trust \"sure\"; expected high, medium, low, document"),
            ("econ\t301\t类\t工资\t\thigh\tx", "bad:2:1: unknown scheme \"econ\"; expected func, econ_dept or econ_gov"),
            ("func\t212\t类\t城乡社区支出\t\thigh", "bad:2:24: expected 7 fields, found 6"),
        ]
        for (row, message) in cases {
            XCTAssertThrowsError(try Catalog.read(header + "\n" + row + "\n", file: "bad")) { error in
                XCTAssertEqual((error as? DataFileError)?.description, message)
            }
        }
    }
}
