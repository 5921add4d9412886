// DatasetWriter.swift — writes an import as a dataset folder: the documents
// as published, the base classification, the enriched catalogue, the
// statements, the documents' decided properties, and the import report.
// The folder is written aside, loaded back, and only then renamed into
// place, so a failed import never leaves a partial dataset or replaces a good one.

import FiscalData
import Foundation

public enum DatasetWriter {
    public static let documentsFile = "documents.tsv"
    public static let reportFile = "import-report.txt"
    public static let classificationFile = "classification.tsv"

    /// The import report: per document, what was decided, each table's coverage, every diagnostic.
    public static func report(_ r: ImportResult) -> String {
        var out = ""
        for d in r.documents {
            let count = r.statements.filter { $0.doc == d.id }.count
            out += "\(d.id): \(d.layout.rawValue), \(d.unit), \(d.year) \(d.phase.rawValue): \(count) statements\n"
            for e in d.evidence { out += "  decided: \(e)\n" }
            let tables = (r.coverage[d.id] ?? []).filter { $0.cells != nil }
            let cells = tables.reduce(0) { $0 + ($1.cells ?? 0) }
            if cells > 0 {
                let read = tables.reduce(0) { $0 + min($1.statements, ($1.cells ?? 0) - $1.checked) }
                let checked = tables.reduce(0) { $0 + $1.checked }
                // Rounded down, so that 99.96% is not shown as 100.0%.
                let tenths = (read + checked) * 1000 / cells
                out += "  cells: \(read) of the \(cells) amount cells of \(tables.count) tables became statements"
                    + (checked > 0 ? ", \(checked) were changes between figures read beside them, checked against them" : "")
                    + " (\(tenths / 10).\(tenths % 10)%)\n"
            }
            for c in r.coverage[d.id] ?? [] { out += "  table: \(c)\n" }
            for g in r.diagnostics where g.doc == d.id && g.kind != .decided { out += "  \(g.kind.rawValue): line \(g.line): \(g.message)\n" }
            for g in r.diagnostics where g.doc == d.id && g.kind == .decided && g.line > 1 { out += "  note: line \(g.line): \(g.message)\n" }
        }
        return out
    }

    static func documentsText(_ docs: [DocumentInfo]) -> String { DocumentFile.text(docs.map(\.record)) }

    /// Writes the dataset for `result` to `folder`, which `OutputFolder.inspect` found to be `existing`.
    /// The dataset is written to a new folder beside it and loaded back; only then does it take the
    /// place of what was there (nothing, an empty folder, or the dataset the user asked to add to or replace).
    /// A failure leaves `folder` as it was.
    public static func write(_ result: ImportResult, documents: [SourceDocument], base: Catalog,
                             to folder: String, existing: OutputFolder) throws(ImportError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        func unused(_ tag: String) -> URL {
            var n = 0
            while true {
                let u = parent.appendingPathComponent(".\(target.lastPathComponent).\(tag)-\(pid)" + (n == 0 ? "" : "-\(n)"))
                var st = stat()
                if lstat(u.path, &st) != 0 { return u }
                n += 1
            }
        }
        let aside = unused("importing")
        var made = false
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: aside, withIntermediateDirectories: false)
            made = true
            let docs = aside.appendingPathComponent(Dataset.documentsFolder)
            try fm.createDirectory(at: docs, withIntermediateDirectories: false)
            for d in documents {
                try Data(d.text.utf8).write(to: docs.appendingPathComponent(d.id + ".txt"))
            }
            try Data(base.fileText().utf8).write(to: aside.appendingPathComponent(classificationFile))
            try Data(result.catalog.fileText().utf8).write(to: aside.appendingPathComponent(Dataset.catalogueFile))
            try Data(StatementFile.text(result.statements).utf8).write(to: aside.appendingPathComponent(Dataset.statementsFile))
            try Data(documentsText(result.documents).utf8).write(to: aside.appendingPathComponent(documentsFile))
            try Data(report(result).utf8).write(to: aside.appendingPathComponent(reportFile))
        } catch {
            if made { try? fm.removeItem(at: aside) }
            throw .output(path: folder, reason: "\(error.localizedDescription)")
        }
        // Verified before it replaces anything: the dataset loads back whole.
        do { _ = try Dataset.load(folder: aside.path, snapshot: .never) } catch {
            try? fm.removeItem(at: aside)
            throw .output(path: folder, reason: "the written dataset does not load back (\(error)); nothing was replaced")
        }
        do {
            switch existing {
            case .absent:
                try fm.moveItem(at: aside, to: target)
            case .empty:
                guard rmdir(target.path) == 0 else { throw ImportError.output(path: folder, reason: "the empty folder could not be replaced") }
                try fm.moveItem(at: aside, to: target)
            case .dataset:
                let old = unused("old")
                try fm.moveItem(at: target, to: old)
                do { try fm.moveItem(at: aside, to: target) } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                // Only the dataset the user asked to add to or replace, and nothing else, was in `old`.
                try? fm.removeItem(at: old)
            }
        } catch {
            try? fm.removeItem(at: aside)
            throw .output(path: folder, reason: "\(error)")
        }
    }
}
