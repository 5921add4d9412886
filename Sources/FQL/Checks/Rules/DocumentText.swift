// DocumentText.swift — the text of each imported document (documents/DOC.txt in the dataset), line by
// line with the line numbers the importer's provenance uses (DocumentLines), each line folded once
// (foldName) for the rules that read wording rather than figures (Headings, Leftovers, Wording,
// Percentages, ProseTotals), and the amounts printed after a key in such a line.

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

    /// Each amount in 万元 printed right after `key` in folded `text` (年初预算为2993.92万元 → 2993.92; one of
    /// `leads` (均为, 为) may come between), with the offset in bytes where `key` begins.
    static func amounts(after key: String, in text: String, leads: [String] = []) -> [(text: String, money: Money, at: Int)] {
        var found: [(String, Money, Int)] = []
        var rest = Substring(text)
        while let r = rest.range(of: key) {
            rest = rest[r.upperBound...]
            var after = rest
            for lead in leads where after.hasPrefix(lead) { after = after.dropFirst(lead.count); break }
            let number = after.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
            guard !number.isEmpty, after.dropFirst(number.count).hasPrefix("万元"),
                  let parsed = try? Money.parse(String(number)) else { continue }
            found.append((String(number), parsed.money, text.utf8.distance(from: text.startIndex, to: r.lowerBound)))
        }
        return found
    }

    /// A finding about a document's wording: no figures, its place a line.
    func textFinding(_ kind: String, _ status: String, _ record: DocumentRecord, line: Int, _ subject: String) -> [Value] {
        [.text(kind), .text(status), .text(record.unit), .int(record.year), .text(record.phase.rawValue), .null,
         .text(subject), .null, .null, .null, .null, .text("\(record.doc):\(line)"), .null]
    }
}
