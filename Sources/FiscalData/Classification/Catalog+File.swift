// Catalog+File.swift — the catalogue as a dataset file (catalogue.tsv), in the
// columns of ../shared/reference/classification.tsv: scheme, code, level,
// name, parent, trust, basis. Reading checks each row against the code's own
// structure (its level and parent follow from its digits).

extension Catalog {
    static let header = ["scheme", "code", "level", "name", "parent", "trust", "basis"]

    /// Reads a catalogue file; throws with the file, line and column of the first bad row.
    public static func read(_ text: String, file: String) throws(DataFileError) -> Catalog {
        var catalog = Catalog()
        for r in try TSV.parse(text, file: file, header: header) {
            func fail(_ i: Int, _ msg: String) -> DataFileError {
                DataFileError(file: file, line: r.line, column: r.column(i), message: msg)
            }
            let f = r.fields
            guard let scheme = CodeScheme(key: f[0]) else {
                throw fail(0, "unknown scheme \"\(f[0])\"; expected func, econ_dept or econ_gov")
            }
            guard let code = Code(f[1], scheme: scheme) else {
                throw fail(1, "\"\(f[1])\" is not a \(scheme.key) code (\(scheme.levelDigits.map(String.init).joined(separator: "/")) digits)")
            }
            guard CodeLevel(chinese: f[2]) == code.level else {
                throw fail(2, "level \"\(f[2])\" does not match code \(code), a \(code.level.chinese)")
            }
            guard !f[3].isEmpty else { throw fail(3, "empty name") }
            if f[4] != (code.parent?.text ?? "") {
                throw fail(4, "parent \"\(f[4])\" does not match code \(code), whose parent is \"\(code.parent?.text ?? "")\"")
            }
            guard let trust = Trust(rawValue: f[5]) else {
                throw fail(5, "unknown trust \"\(f[5])\"; expected \(Trust.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if catalog.entry(code) != nil { throw fail(1, "code \(code) of \(scheme.key) appears twice") }
            catalog.insert(CatalogEntry(code: code, name: f[3], trust: trust, basis: f[6]))
        }
        return catalog
    }

    /// The catalogue as file text, rows in scheme and hierarchy order.
    public func fileText() -> String {
        var out = Catalog.header.joined(separator: "\t") + "\n"
        for e in allEntries {
            let fields = [e.code.scheme.key, e.code.text, e.code.level.chinese, e.name,
                          e.code.parent?.text ?? "", e.trust.rawValue, e.basis]
            out += fields.map(TSV.escape).joined(separator: "\t") + "\n"
        }
        return out
    }
}
