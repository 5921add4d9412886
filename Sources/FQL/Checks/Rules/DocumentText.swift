// DocumentText.swift — the text of each imported document (documents/DOC.txt in the dataset), line by
// line with the line numbers the importer's provenance uses (DocumentLines), each line folded once
// (foldName) for the rules that read wording rather than figures (Headings, Leftovers, Wording,
// Percentages).

import FiscalData
import Foundation

/// One document's record and its lines, folded (line n is `lines[n - 1]`).
struct DocumentText {
    let record: DocumentRecord
    let lines: [String]
}

extension Reconciler {
    /// Each document whose text is in the dataset folder.
    func documentTexts() -> [DocumentText] {
        dataset.documents.compactMap { record in
            let path = dataset.folder + "/" + Dataset.documentsFolder + "/" + record.doc + ".txt"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
            return DocumentText(record: record, lines: DocumentLines.split(text).map(foldName))
        }
    }

    /// A finding about a document's wording: no figures, its place a line.
    func textFinding(_ kind: String, _ status: String, _ record: DocumentRecord, line: Int, _ subject: String) -> [Value] {
        [.text(kind), .text(status), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .null,
         .text(subject), .null, .null, .null, .null, .text("\(record.doc):\(line)"), .null]
    }
}
