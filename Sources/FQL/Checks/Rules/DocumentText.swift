// DocumentText.swift — the text of each imported document (documents/DOC.txt in the dataset), line by
// line with the line numbers the importer's provenance uses, for the rules that read wording rather
// than figures (Headings.swift, Leftovers.swift).

import FiscalData
import Foundation

extension Reconciler {
    /// Each document's record and its lines (the first line is line 1); documents whose text is not in the
    /// dataset folder are left out.
    func documentTexts() -> [(record: DocumentRecord, lines: [Substring])] {
        dataset.documents.compactMap { record in
            let path = dataset.folder + "/" + Dataset.documentsFolder + "/" + record.doc + ".txt"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
            return (record, text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 })
        }
    }

    /// A finding about a document's wording: no figures, its place a line.
    func textFinding(_ kind: String, _ status: String, _ record: DocumentRecord, line: Int, _ subject: String) -> [Value] {
        [.text(kind), .text(status), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .null,
         .text(subject), .null, .null, .null, .null, .text("\(record.doc):\(line)"), .null]
    }
}
