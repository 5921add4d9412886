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
    public static func run(_ documents: [SourceDocument], catalog: Catalog) -> ImportResult {
        var result = ImportResult(catalog: catalog)
        for doc in documents {
            let layout: Layout, info: DocumentInfo
            do {
                layout = try DocumentMeta.layout(doc)
                info = try DocumentMeta.decide(doc, layout: layout)
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

    /// Reads the file at `path` as a document (id = file name without extension).
    public static func load(path: String) throws(ImportError) -> SourceDocument {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or a folder" : "no such file")
        }
        var doc = try SourceDocument(id: url.deletingPathExtension().lastPathComponent, bytes: data)
        doc.origin = path
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
        for t in tables { dispatch(t, ctx) }
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

    static func dispatch(_ t: RawTable, _ ctx: DocumentImport) {
        let title = foldName(t.title)
        func coded(_ m: Measure, fund: Fund? = nil, nature: Nature? = nil) {
            CodedTableReader(table: t, measure: m, tableFund: fund, tableNature: nature).read(into: ctx)
        }
        if title.contains("三公") { SangongTableReader(table: t).read(into: ctx) }
        else if title.contains("绩效") { PerformanceTableReader(table: t).read(into: ctx) }
        else if title.contains("政府采购") { CategoryTableReader(table: t, measure: .procurement).read(into: ctx) }
        else if title.contains("购买服务") { CategoryTableReader(table: t, measure: .service).read(into: ctx) }
        else if title.contains("收支总表") || title.contains("收入支出决算总表") || title.contains("收支预算总表") {
            SummaryTableReader(table: t).read(into: ctx)
        }
        else if title.contains("基本支出决算明细") { EconDetailTableReader(table: t).read(into: ctx) }
        else if title.contains("基本支出") { coded(.spending, fund: .general, nature: .basic) }
        else if title.contains("收入") { coded(.income) }
        else if title.contains("项目支出") { coded(.spending, nature: .project) }
        else if title.contains("一般公共预算") { coded(.spending, fund: .general) }
        else if title.contains("政府性基金") { coded(.spending, fund: .govfund) }
        else if title.contains("国有资本") { coded(.spending, fund: .soe) }
        else if title.contains("支出") { coded(.spending) }
        else {
            ctx.cover(t.captionLine, t.name, rows: t.rows.count, made: 0, note: "not ingested: a table of no known kind")
            ctx.note(t.captionLine, .skipped, "\(t.name): a table of no known kind")
        }
    }
}
