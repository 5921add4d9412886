// DocumentFile.swift — documents.tsv: one record per imported document with
// its layout, unit, region, year and phase, and the evidence for each
// (written by the importer through `text`, read here so queries can list and rank documents).

/// What the importer decided about one document.
public struct DocumentRecord: Sendable, Hashable {
    public let doc: String
    public let layout: String
    public let unit: String
    public let region: String
    public let year: Int
    public let phase: Phase
    public let evidence: String

    public init(doc: String, layout: String, unit: String, region: String, year: Int, phase: Phase, evidence: String) {
        self.doc = doc; self.layout = layout; self.unit = unit; self.region = region
        self.year = year; self.phase = phase; self.evidence = evidence
    }
}

public enum DocumentFile {
    public static let name = "documents.tsv"
    public static let header = ["doc", "layout", "unit", "region", "year", "phase", "evidence"]

    /// The file text for `records`, in the order given.
    public static func text(_ records: [DocumentRecord]) -> String {
        var out = header.joined(separator: "\t") + "\n"
        for d in records {
            out += [d.doc, d.layout, d.unit, d.region, String(d.year), d.phase.rawValue, d.evidence]
                .map(TSV.escape).joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Parses documents.tsv; errors name the file, line and column.
    public static func read(_ text: String, file: String) throws(DataFileError) -> [DocumentRecord] {
        var out: [DocumentRecord] = []
        for r in try TSV.parse(text, file: file, header: header) {
            let f = r.fields
            guard let year = Int(f[4]) else {
                throw DataFileError(file: file, line: r.line, column: r.column(4), message: "year \"\(f[4])\" is not a number")
            }
            guard let phase = Phase(rawValue: f[5]) else {
                throw DataFileError(file: file, line: r.line, column: r.column(5), message: "unknown phase \"\(f[5])\"")
            }
            out.append(DocumentRecord(doc: f[0], layout: f[1], unit: f[2], region: f[3], year: year, phase: phase, evidence: f[6]))
        }
        return out
    }
}
