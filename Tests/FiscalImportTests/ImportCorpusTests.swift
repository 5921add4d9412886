// ImportCorpusTests.swift — the importer's tests as data (Tests/ImportCorpus,
// see its README): each case's documents are imported with the reference
// catalogue, its queries must print exactly the hand-read figures, and every
// line of its report.txt must appear in the import report.

import FiscalData
import FiscalImport
import Foundation
import FQL
import RepoPaths
import XCTest

final class ImportCorpusTests: XCTestCase {
    static let corpus = RepoPaths.root + "/Tests/ImportCorpus"

    func testCorpus() throws {
        let fm = FileManager.default
        let cases = try fm.contentsOfDirectory(atPath: Self.corpus).filter { name in
            var dir: ObjCBool = false
            return fm.fileExists(atPath: Self.corpus + "/" + name, isDirectory: &dir) && dir.boolValue
        }.sorted()
        XCTAssertFalse(cases.isEmpty)
        let record = ProcessInfo.processInfo.environment["FQL_RECORD"] != nil
        for name in cases { try run(name, record: record) }
        if record { XCTFail("recorded the import corpus; unset FQL_RECORD and review the diff against the documents") }
    }

    /// The PDF fuzzing target's seeds (Fuzz/corpus/pdfwords: `pdftotext -tsv` of the corpus's made-up
    /// excerpt PDFs) reach the tables through `Importer.document(id:wordsTSV:)`: each gives statements,
    /// so the fuzzer starts from inputs that go all the way through the PDF reader.
    func testPDFWordsSeedsImport() throws {
        let folder = RepoPaths.root + "/Fuzz/corpus/pdfwords"
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tsv") }.sorted()
        XCTAssertGreaterThanOrEqual(seeds.count, 5)
        let base = try Catalog.read(try Dataset.readText(RepoPaths.datasets + "/classification.tsv"), file: "classification.tsv")
        for seed in seeds {
            let doc = Importer.document(id: "seed", wordsTSV: try String(contentsOfFile: folder + "/" + seed, encoding: .utf8))
            let result = Importer.run([doc], catalog: base)
            XCTAssertEqual(result.failures.map(\.description), [], seed)
            XCTAssertGreaterThan(result.statements.count, 0, seed)
        }
    }

    /// A form's figure set in a box taller than its sentence (as the 财政局 2024 决算 prints its 年初预算: text boxes
    /// 3 points high at 94.7, the figure's 22 points high from 80.3) is read back into the gap it fills; a figure of
    /// the same height as the text on the line below a row stays a line of its own. Words as pdftotext -tsv gives.
    func testFiguresInTallerBoxesJoinTheirSentence() {
        func word(_ x: Double, _ top: Double, _ w: Double, _ h: Double, _ text: String) -> String {
            "5\t1\t0\t0\t1\t0\t\(x)\t\(top)\t\(w)\t\(h)\t100\t\(text)"
        }
        let tsv = ["level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
                   "1\t1\t0\t0\t0\t0\t0\t0\t595\t842\t-1\t###PAGE###",
                   word(72, 94.7, 240, 3.07, "员经费及公用经费等的基本支出。年初预算为"),
                   word(315, 80.3, 39, 22.34, "1560.05"),
                   word(357, 94.7, 147, 3.07, "万元，支出决算为1511.89万"),
                   word(72, 108.55, 24, 3.07, "元。"),
                   word(72, 200, 40, 10, "行政运行"), word(300, 200, 30, 10, "12.00"),
                   word(200, 212, 30, 10, "3.00")].joined(separator: "\n") + "\n"
        // (After the rebuilt text's first line, which says what it is; a sentence broken by the PDF is joined.)
        let lines = Importer.document(id: "boxes", wordsTSV: tsv).lines.dropFirst().filter { !$0.isEmpty }
        XCTAssertEqual(lines, ["员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万元。", "行政运行 12.00", "3.00"])
    }

    /// `text` with every "line 123" as "line N" and "lines 1–2" as "lines N".
    static func unnumbered(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: "line") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            if rest.hasPrefix("s ") { out += "s"; rest = rest.dropFirst() }
            guard rest.hasPrefix(" "), rest.dropFirst().first?.isNumber == true else { continue }
            rest = rest.dropFirst().drop { $0.isNumber || $0 == "–" }
            out += " N"
        }
        return out + rest
    }

    private func run(_ name: String, record: Bool) throws {
        let folder = Self.corpus + "/" + name
        // A hand-made page layout (NAME.layout) is made into NAME.pdf first (Tests/Support/ExcerptPDF.swift).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fql-corpus-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let inputs = try String(contentsOfFile: folder + "/inputs.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { input -> String in
                guard input.hasSuffix(".layout") else { return input.hasPrefix("../") ? RepoPaths.root + "/" + input : folder + "/" + input }
                let pdf = scratch + "/" + String(input.dropLast(".layout".count)) + ".pdf"
                let data = try ExcerptPDF.make(try String(contentsOfFile: folder + "/" + input, encoding: .utf8))
                try data.write(to: URL(fileURLWithPath: pdf))
                // FQL_CORPUS_PDFS=DIR keeps a copy of each made PDF, to look at with `fql import --text`.
                if let keep = ProcessInfo.processInfo.environment["FQL_CORPUS_PDFS"] {
                    try data.write(to: URL(fileURLWithPath: keep + "/" + name + "-" + (pdf as NSString).lastPathComponent))
                }
                return pdf
            }
        let base = try Catalog.read(try Dataset.readText(RepoPaths.datasets + "/classification.tsv"), file: "classification.tsv")
        let documents = try Importer.load(paths: inputs)
        let result = Importer.run(documents, catalog: base)
        XCTAssertEqual(result.failures.map(\.description), [], name)
        // The text a dataset keeps of each document (a PDF's rebuilt text) imports to the same statements.
        let again = Importer.run(documents.map { SourceDocument(id: $0.id, text: $0.text) }, catalog: base)
        XCTAssertEqual(StatementFile.text(again.statements), StatementFile.text(result.statements), "\(name): re-import of the kept text")
        // Line numbers are compared as "line N": a change to the text before a table moves them.
        let report = Self.unnumbered(DatasetWriter.report(result))
        if let wanted = try? String(contentsOfFile: folder + "/report.txt", encoding: .utf8) {
            for line in Self.unnumbered(wanted).split(separator: "\n") where !line.isEmpty {
                XCTAssertTrue(report.contains(line + "\n") || report.contains(line + ":") || report.contains(line + " "),
                              "\(name): the import report lacks\n\(line)\n--- report:\n\(report.prefix(4000))")
            }
        }
        let engine = Engine(dataset: Dataset(folder: folder, catalog: result.catalog, store: try Store(result.statements),
                                             documents: result.documents.map(\.record)))
        let path = folder + "/expected.fqltest"
        var cases = Golden.parse(try String(contentsOfFile: path, encoding: .utf8))
        XCTAssertFalse(cases.isEmpty, "\(name): no cases")
        for i in cases.indices {
            var got = ""
            for o in engine.run(cases[i].query) {
                switch o {
                case .table(let t): got += t.render(.table)
                case .bound(let n): got += "bound \(n)\n"
                case .failure(_, let rendered): got += rendered + "\n"
                case .sql(let q): got += q + "\n"
                }
            }
            if record { cases[i].expected = got; continue }
            XCTAssertEqual(got, cases[i].expected, "\(name): \(cases[i].title)\n\(cases[i].query)")
        }
        if record { try Golden.serialise(cases).write(toFile: path, atomically: true, encoding: .utf8) }
    }
}
