// ImportFindings.swift — rule `import`: the cells the importer repaired (a note) or could not read (a
// warning), read back from the dataset's import-report.txt; and which tables were read only in part.

import FiscalData
import Foundation

extension Reconciler {
    /// The lines of import-report.txt, when the dataset has one, each with the document whose section it is in.
    func importReport() -> [(doc: String, text: Substring)] {
        guard let data = FileManager.default.contents(atPath: dataset.folder + "/import-report.txt"),
              let text = String(data: data, encoding: .utf8) else { return [] }
        var out: [(doc: String, text: Substring)] = [], doc = ""
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") { doc = String(line.prefix { $0 != ":" }); continue }
            out.append((doc, Substring(line.trimmed())))
        }
        return out
    }

    /// Tables (document and name) whose amount cells the importer did not all read, from the report's coverage
    /// lines ("table: line N: NAME: … (k not read: see below)").
    func partlyReadTables(_ report: [(doc: String, text: Substring)]) -> Set<String> {
        var out = Set<String>()
        for (doc, t) in report {
            guard t.hasPrefix("table: line "), t.contains(" not read"),
                  let afterLine = t.firstIndex(of: ":").flatMap({ t[t.index(after: $0)...].firstIndex(of: ":") }) else { continue }
            let rest = t[t.index(afterLine, offsetBy: 2)...]
            guard let end = rest.range(of: ": ", options: .backwards, range: rest.startIndex..<(rest.range(of: " rows, ")?.lowerBound ?? rest.endIndex)) else { continue }
            out.insert(doc + "\u{1}" + rest[..<end.lowerBound])
        }
        return out
    }

    /// The importer's repairs and unreadable cells, from the report.
    func importFindings(_ report: [(doc: String, text: Substring)]) -> [[Value]] {
        var out: [[Value]] = []
        for (doc, t) in report {
            for kind in ["repaired", "unreadable"] where t.hasPrefix(kind + ": ") {
                let rest = String(t.dropFirst(kind.count + 2))
                let lineNo = rest.hasPrefix("line ") ? String(rest.dropFirst(5).prefix { $0.isASCII && $0.isNumber }) : ""
                let record = dataset.documents.first { $0.doc == doc }
                out.append([.text("import"), .text(kind), record.map { .text($0.unit) } ?? .null,
                            record.map { .int($0.year) } ?? .null, record.map { .text($0.phase.rawValue) } ?? .null, .null,
                            .text(rest), .null, .null, .null, .null, .text("\(doc):\(lineNo)"), .null])
            }
        }
        return out
    }
}
