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

    /// A coverage line of the report, "table: line N: NAME: … rows, …", as its line number and table name;
    /// nil for other lines. (A name may hold ": "; the last one before " rows, " ends it.)
    static func coverageLine(_ t: Substring) -> (line: Substring, name: Substring)? {
        guard t.hasPrefix("table: line ") else { return nil }
        let afterPrefix = t.dropFirst("table: line ".count)
        let line = afterPrefix.prefix { $0.isASCII && $0.isNumber }
        guard afterPrefix.dropFirst(line.count).hasPrefix(": ") else { return nil }
        let rest = afterPrefix.dropFirst(line.count + 2)
        guard let end = rest.range(of: ": ", options: .backwards, range: rest.startIndex..<(rest.range(of: " rows, ")?.lowerBound ?? rest.endIndex)) else { return nil }
        return (line, rest[..<end.lowerBound])
    }

    /// Tables (document and name) whose amount cells the importer did not all read, from the report's coverage
    /// lines ("table: line N: NAME: … (k not read: see below)").
    func partlyReadTables(_ report: [(doc: String, text: Substring)]) -> Set<String> {
        var out = Set<String>()
        for (doc, t) in report where t.contains(" not read") {
            if let (_, name) = Self.coverageLine(t) { out.insert(doc + "\u{1}" + name) }
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
