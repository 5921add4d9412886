// Importer.swift — the importer's entry point: documents in, statements,
// diagnostics, coverage and an enriched catalogue out. It recognises each
// document's layout, decides its unit/year/phase, sends each table to the
// reader for its kind, reads the prose, and accounts for every tab line.

import FiscalData
import Foundation

/// Everything an import produced.
public struct ImportResult: Sendable {
    public var documents: [DocumentInfo] = []
    public var statements: [Statement] = []
    public var diagnostics: [Diagnostic] = []
    public var coverage: [String: [CoverageEntry]] = [:]
    public var catalog: Catalog
    /// The documents that could not be imported, each with why; none of their figures is in `statements`.
    public var failures: [ImportError] = []
}

public enum Importer {
    /// Imports `documents` (in the order given) against `catalog`. Each document is imported on its own:
    /// one that cannot be read is listed in `failures` and the others are imported.
    /// `progress` is told before each document: its position (from 1), the count, and its id.
    public static func run(_ documents: [SourceDocument], catalog: Catalog,
                           progress: ((Int, Int, String) -> Void)? = nil) -> ImportResult {
        var result = ImportResult(catalog: catalog)
        for (n, doc) in documents.enumerated() {
            progress?(n + 1, documents.count, doc.id)
            let layout: Layout, info: DocumentInfo
            do {
                layout = try DocumentMeta.layout(doc)
                var decided = try DocumentMeta.decide(doc, layout: layout)
                if let instead = doc.readInstead { decided.evidence.insert(instead, at: 0) }
                info = decided
            } catch {
                result.failures.append(error)
                continue
            }
            let ctx = DocumentImport(doc: doc, info: info, catalog: result.catalog)
            for e in info.evidence { ctx.note(1, .decided, e) }
            readTables(ctx)
            ProseReader(ctx: ctx).read()
            result.documents.append(ctx.info)
            result.statements += ctx.statements
            result.diagnostics += ctx.diagnostics
            result.coverage[doc.id] = ctx.coverage.sorted { $0.line < $1.line }
            result.catalog = ctx.catalog
        }
        return result
    }

    /// Reads the file at `path` as a document (id = file name without extension): a text file as it is,
    /// a PDF as the text PDFDocumentText rebuilds from its words (tables as TAB-separated cells).
    public static func load(path: String) throws(ImportError) -> SourceDocument {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")
        }
        let id = url.deletingPathExtension().lastPathComponent
        var doc: SourceDocument
        if PDFWords.isPDF(data) {
            doc = document(id: id, words: try PDFWords.read(path: path, doc: id).words)
        } else {
            doc = try SourceDocument(id: id, bytes: data)
            // Text pdftotext -layout made from a PDF has lost its tables' empty cells; the PDF it was made from,
            // beside it under the same name, has them: that is read instead, and the report says so.
            if DocumentMeta.tablesLaidOutWithSpaces(doc) {
                let pdf = url.deletingPathExtension().appendingPathExtension("pdf").path
                if let bytes = FileManager.default.contents(atPath: pdf), PDFWords.isPDF(bytes) {
                    // A PDF that cannot be read is named as the one read in the text's place.
                    let words: [PDFWord]
                    do { words = try PDFWords.read(path: pdf, doc: id).words } catch {
                        throw .unreadable(path: pdf, reason: "read in place of \(url.lastPathComponent), whose tables are laid out with spaces: \(error)")
                    }
                    doc = document(id: id, words: words)
                    doc.readInstead = "read \(url.deletingPathExtension().lastPathComponent).pdf beside the text given: "
                        + "the text's tables are laid out with spaces, which lose empty cells"
                }
            }
        }
        doc.origin = path
        return doc
    }

    /// The document a PDF's words make, given as poppler's `pdftotext -tsv` prints them (the way the
    /// fuzzing target reaches the PDF reader without poppler): its lines, with tables rebuilt as cells.
    public static func document(id: String, wordsTSV: String) -> SourceDocument {
        document(id: id, words: PDFWords.parse(wordsTSV).words)
    }

    private static func document(id: String, words: [PDFWord]) -> SourceDocument {
        let (lines, pages) = PDFDocumentText.build(PDFLines.lines(words))
        var doc = SourceDocument(id: id, text: lines.joined(separator: "\n") + "\n")
        doc.pages = pages
        return doc
    }

    /// Reads the files at `paths` as documents; the first that cannot be read is the error.
    public static func load(paths: [String]) throws(ImportError) -> [SourceDocument] {
        var docs: [SourceDocument] = []
        for path in paths { docs.append(try load(path: path)) }
        return docs
    }

    /// `documents` with each content once: a document whose text is already there (`known` first) is
    /// dropped and named in `repeated`; one whose name is taken by a different text is a failure.
    public static func unique(_ documents: [SourceDocument], known: [SourceDocument] = [])
        -> (kept: [SourceDocument], repeated: [SourceDocument], failures: [ImportError]) {
        var byText: [String: SourceDocument] = [:]
        var byId: [String: SourceDocument] = [:]
        for d in known { byText[d.text] = d; byId[d.id] = d }
        var kept: [SourceDocument] = [], repeated: [SourceDocument] = [], failures: [ImportError] = []
        for d in documents {
            if byText[d.text] != nil { repeated.append(d); continue }
            if let other = byId[d.id] { failures.append(.sameName(doc: d.id, first: other.origin, second: d.origin)); continue }
            byText[d.text] = d
            byId[d.id] = d
            kept.append(d)
        }
        return (kept, repeated, failures)
    }

    static func readTables(_ ctx: DocumentImport) {
        let (tables, strays) = TableScanner.scan(ctx.doc)
        // A summary table may name its 款 and 项 with no code (深圳, 杭州), and the document's own coded tables,
        // often printed after it, say which codes those names are: it is read last, and what it made is put
        // back where it stands, so that the statements and the report keep the document's order.
        var summaries: [(table: RawTable, statements: Int, diagnostics: Int)] = []
        for t in tables {
            if TableVocabulary.standard.rule(for: t.title)?.reader == .summary {
                summaries.append((t, ctx.statements.count, ctx.diagnostics.count))
            } else {
                dispatch(t, ctx)
            }
        }
        func moveTail<T>(_ list: inout [T], from start: Int, to place: Int) {
            let tail = list[start...]
            list.insert(contentsOf: tail, at: place)
            list.removeLast(tail.count)
        }
        for s in summaries.reversed() {
            let (statements, diagnostics) = (ctx.statements.count, ctx.diagnostics.count)
            dispatch(s.table, ctx)
            moveTail(&ctx.statements, from: statements, to: s.statements)
            moveTail(&ctx.diagnostics, from: diagnostics, to: s.diagnostics)
        }
        // Tab lines outside every table: accounted for, one coverage line per block.
        var block: [RawRow] = []
        func flush() {
            guard let first = block.first else { return }
            let numeric = block.reduce(0) { n, r in n + r.cells.filter { !$0.isEmpty && (try? Money.parse($0)) != nil }.count }
            ctx.cover(first.line, "tab lines \(first.line)–\(block.last!.line) outside any captioned table", rows: block.count, made: 0,
                      note: numeric == 0 ? "no figures" : "not ingested: \(numeric) numeric cells outside the 预算/公开 tables (contents, work plans, self-assessment forms)")
            block = []
        }
        for r in strays {
            if let last = block.last, r.line > last.line + 3 { flush() }
            block.append(r)
        }
        flush()
    }

    /// Sends `t` to the reader its title calls for (Vocabulary/tables.tsv, first rule that applies).
    static func dispatch(_ t: RawTable, _ ctx: DocumentImport) {
        guard let rule = TableVocabulary.standard.rule(for: t.title) else {
            ctx.cover(t.captionLine, t.name, rows: t.rows.count, made: 0, note: "not ingested: a table of no known kind")
            ctx.note(t.captionLine, .skipped, "\(t.name): a table of no known kind")
            return
        }
        let before = ctx.statements.count
        defer { statedEmpty(t, rule, ctx, madeNone: ctx.statements.count == before) }
        switch rule.reader {
        case .sangong: SangongTableReader(table: t).read(into: ctx)
        case .performance: PerformanceTableReader(table: t).read(into: ctx)
        case .category: CategoryTableReader(table: t, measure: rule.measure ?? .procurement).read(into: ctx)
        case .summary: SummaryTableReader(table: t).read(into: ctx)
        case .econdetail: EconDetailTableReader(table: t).read(into: ctx)
        case .coded:
            CodedTableReader(table: t, measure: rule.measure ?? .spending, tableFund: rule.fund, tableNature: rule.nature).read(into: ctx)
        }
    }

    /// A table with no figures whose note says there is none (注：本部门2024年没有使用政府性基金预算拨款安排的
    /// 支出) states a 0: one total of the table's measure and fund, from the note's line, so that asking for
    /// that money answers 0, not null.
    /// A cell of the table may say so too (江苏: 合计此表为空).
    private static func statedEmpty(_ t: RawTable, _ rule: TableRule, _ ctx: DocumentImport, madeNone: Bool) {
        func inCells() -> (line: Int, text: String)? {
            t.rows.lazy.compactMap { row in row.cells.first { ["此表为空", "本表为空", "本表无数据"].contains(where: $0.contains) }.map { (line: row.line, text: $0) } }.first
        }
        guard madeNone, DocumentImport.figures(in: t) == 0,
              let stated = t.notes.first(where: { $0.text.contains("没有") || $0.text.contains("无") }) ?? inCells() else { return }
        ctx.emit(rule.measure ?? .spending, .zero, table: t.name, line: stated.line, level: .total, fund: rule.fund)
        if let i = ctx.coverage.indices.last, ctx.coverage[i].name == t.name {
            ctx.coverage[i].statements += 1
            ctx.coverage[i].note = "stated empty, one statement of 0: \(stated.text)"
        }
    }

}
