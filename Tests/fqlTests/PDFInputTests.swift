// PDFInputTests.swift — `fql import` on PDFs that are not readable disclosures:
// a scan (no text layer), an encrypted PDF, a truncated one, a PDF that is not
// a disclosure. Each is a clear error naming the document, and none leaves a
// dataset behind; beside a good PDF, the good one is still imported. The PDFs
// are made here, byte by byte (a real disclosure is only cut short, at test time).

import Foundation
import RepoPaths
import XCTest

final class PDFInputTests: XCTestCase {
    static func pdf(_ objects: [String], trailer: String = "") -> Data {
        ExcerptPDF.document(objects.map { Data($0.utf8) }, trailer: trailer)
    }

    static let catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    static let pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    static let text = "BT /F1 24 Tf 72 720 Td (Hello world) Tj ET"
    static let textPage = [
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length \(text.utf8.count) >>\nstream\n\(text)\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    func testUnreadablePDFsAreClearErrorsAndWriteNothing() throws {
        let dir = try CLI.tempFolder()
        try Self.pdf([Self.catalog, Self.pages, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])
            .write(to: URL(fileURLWithPath: dir + "/scan.pdf"))
        try Self.pdf([Self.catalog, Self.pages] + Self.textPage).write(to: URL(fileURLWithPath: dir + "/letter.pdf"))
        let id = String(repeating: "0123456789abcdef", count: 2)
        try Self.pdf([Self.catalog, Self.pages] + Self.textPage
                        + ["<< /Filter /Standard /V 1 /R 2 /O <\(String(repeating: "11", count: 32))> /U <\(String(repeating: "22", count: 32))> /P -4 >>"],
                     trailer: "/Encrypt 6 0 R /ID [<\(id)> <\(id)>] ").write(to: URL(fileURLWithPath: dir + "/locked.pdf"))
        let real = try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/../shared/realdocs/shanghai-putuo-commerce-2025-budget.pdf"))
        try real.prefix(3000).write(to: URL(fileURLWithPath: dir + "/cut.pdf"))
        let cases: [(String, String)] = [
            ("scan", "fql: import: scan: cannot read the document: the PDF has no text layer on any of its 1 pages (a scan?); FiscalQL reads text, not images"),
            ("letter", "fql: import: letter: no known layout (no 预算NN表 or 公开NN表 captions, no table with a standard title (收入支出决算总表, 部门支出预算总表 …) and a unit line, and no 预算 or 决算 figures in prose)"),
            ("locked", "fql: import: locked: cannot read the document: the PDF is encrypted (password protected); poppler cannot read its text"),
            ("cut", "fql: import: cut: cannot read the document: the PDF cannot be read (damaged or truncated?): Syntax Error: Couldn't find trailer dictionary"),
        ]
        for (name, error) in cases {
            let r = try CLI.run(["import", dir + "/\(name).pdf", "--out", dir + "/ds"])
            XCTAssertEqual(r.status, 1, name)
            XCTAssertEqual(r.stderr, error + "\nfql: import: no document imported; \(dir)/ds was left as it was\n", name)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/ds"), name)
        }
        // Beside them, a good PDF is imported and the exit status still says that some failed.
        let both = try CLI.run(["import", dir + "/scan.pdf", "../shared/realdocs/shanghai-putuo-socialwork-2024-final.pdf", "--out", dir + "/ds"])
        XCTAssertEqual(both.status, 1)
        XCTAssertTrue(both.stdout.contains("shanghai-putuo-socialwork-2024-final: standard-titles, 中共上海市普陀区委社会工作部, 2024 final"), both.stdout)
        XCTAssertTrue(both.stdout.hasSuffix("from 1 document to \(dir)/ds; 1 failed\n"), both.stdout)
    }

    /// The text pdftotext -layout writes (columns of spaces) has lost its tables' empty cells. Alone, it is
    /// refused with the way out (import the PDF); with the PDF it was made from beside it under the same name
    /// (as ../shared/realdocs has them), the PDF is read instead and the report says so: the same statements as
    /// importing the PDF. Given both, the document is imported once.
    func testLayoutTextIsReadFromThePDFBesideItOrRefused() throws {
        let dir = try CLI.tempFolder()
        let name = "shanghai-putuo-commerce-2025-budget"
        try FileManager.default.copyItem(atPath: CLI.root + "/../shared/realdocs/\(name).txt", toPath: dir + "/\(name).txt")
        let alone = try CLI.run(["import", dir + "/\(name).txt", "--out", dir + "/ds"])
        XCTAssertEqual(alone.status, 1)
        XCTAssertEqual(alone.stderr, """
            fql: import: \(name): no known layout (its tables are text laid out with spaces (as pdftotext -layout writes them), where an empty cell leaves no trace; import the PDF itself)
            fql: import: no document imported; \(dir)/ds was left as it was

            """)
        // A damaged PDF beside it is named as the file read in the text's place; nothing is written.
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/\(name).pdf", contents: Data("%PDF-1.4 damaged".utf8)))
        let damaged = try CLI.run(["import", dir + "/\(name).txt", "--out", dir + "/ds"])
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.hasPrefix("fql: import: \(dir)/\(name).pdf: cannot read (read in place of \(name).txt, whose tables are laid out with spaces: "), damaged.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/ds"))
        let beside = try CLI.run(["import", "../shared/realdocs/\(name).txt", "--out", dir + "/fromText"])
        XCTAssertEqual(beside.status, 0, beside.stderr)
        XCTAssertTrue(beside.stdout.contains("  decided: read \(name).pdf beside the text given: the text's tables are laid out with spaces, which lose empty cells\n"), beside.stdout)
        XCTAssertEqual(try CLI.run(["import", "../shared/realdocs/\(name).pdf", "--out", dir + "/fromPDF"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: dir + "/fromText/statements.tsv", encoding: .utf8),
                       try String(contentsOfFile: dir + "/fromPDF/statements.tsv", encoding: .utf8))
        let both = try CLI.run(["import", "../shared/realdocs/\(name).txt", "../shared/realdocs/\(name).pdf", "--out", dir + "/both"])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.stdout.contains("../shared/realdocs/\(name).pdf: already in the dataset (the same text); not added again\n"), both.stdout)
    }
}
