// DatasetWriter.swift — writes an import as a dataset folder: the documents
// as published, the base classification, the enriched catalogue, the
// statements, the documents' decided properties, and the import report.
// The folder is written aside and renamed into place, so a failed import
// never leaves a partial dataset behind.

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
            for c in r.coverage[d.id] ?? [] { out += "  table: \(c)\n" }
            for g in r.diagnostics where g.doc == d.id && g.kind != .decided { out += "  \(g.kind.rawValue): line \(g.line): \(g.message)\n" }
            for g in r.diagnostics where g.doc == d.id && g.kind == .decided && g.line > 1 { out += "  note: line \(g.line): \(g.message)\n" }
        }
        return out
    }

    static func documentsText(_ docs: [DocumentInfo]) -> String { DocumentFile.text(docs.map(\.record)) }

    /// Writes the dataset for `result` to `folder`, replacing what was there only once all is written.
    public static func write(_ result: ImportResult, documents: [SourceDocument], base: Catalog, to folder: String) throws(ImportError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let aside = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).importing-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try? fm.removeItem(at: aside)
            try fm.createDirectory(at: aside.appendingPathComponent(Dataset.documentsFolder), withIntermediateDirectories: true)
            for d in documents {
                try Data(d.text.utf8).write(to: aside.appendingPathComponent(Dataset.documentsFolder).appendingPathComponent(d.id + ".txt"))
            }
            try Data(base.fileText().utf8).write(to: aside.appendingPathComponent(classificationFile))
            try Data(result.catalog.fileText().utf8).write(to: aside.appendingPathComponent(Dataset.catalogueFile))
            try Data(StatementFile.text(result.statements).utf8).write(to: aside.appendingPathComponent(Dataset.statementsFile))
            try Data(documentsText(result.documents).utf8).write(to: aside.appendingPathComponent(documentsFile))
            try Data(report(result).utf8).write(to: aside.appendingPathComponent(reportFile))
            let old = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
            if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
            try fm.moveItem(at: aside, to: target)
            try? fm.removeItem(at: old)
        } catch {
            try? fm.removeItem(at: aside)
            throw .output(path: folder, reason: "\(error.localizedDescription)")
        }
    }
}
