// StatementFile.swift — statements as a dataset file (statements.tsv): one
// statement per line in the columns below, empty for none, amounts in 万元
// without separators. docs/dataset-format.md is the user's description;
// reading checks every field and names the line and column of a bad one.

public enum StatementFile {
    public static let header = ["unit", "region", "year", "phase", "measure", "func", "econ_dept", "econ_gov",
                                "nature", "fund", "cost", "project", "category", "amount", "doc", "table",
                                "line", "level", "derived", "printed"]
    /// The header of files written before `printed` (every figure then read as printed in 万元): still read.
    static let headerWithoutPrinted = Array(header.dropLast())

    /// The header `text` begins with, of the two a statements file may have.
    static func header(of text: String) -> [String] {
        let first = text.utf8.prefix { $0 != UInt8(ascii: "\n") }
        return first.elementsEqual(headerWithoutPrinted.joined(separator: "\t").utf8) ? headerWithoutPrinted : header
    }

    /// The file text for `statements`, in the order given.
    public static func text(_ statements: some Sequence<Statement>) -> String {
        var out = header.joined(separator: "\t") + "\n"
        for s in statements {
            let fields: [String] = [
                s.unit, s.region, String(s.year), s.phase.rawValue, s.measure.rawValue,
                s.function?.text ?? "", s.econDept?.text ?? "", s.econGov?.text ?? "",
                s.nature?.rawValue ?? "", s.fund?.rawValue ?? "", s.cost?.rawValue ?? "",
                s.project ?? "", s.category ?? "", s.amount.format(grouping: false),
                s.doc, s.table, String(s.line), s.level.rawValue, s.derived ?? "",
                s.printed == .wan ? "" : s.printed.rawValue,
            ]
            out += fields.map(TSV.escape).joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Reads a statements file into a store; throws at the first bad field with its line and column.
    public static func read(_ text: String, file: String) throws(DataFileError) -> Store {
        // A file as the writer makes it is read from its bytes (StatementFile+Fast.swift); anything else is
        // read field by field here, which names the place of a problem.
        if let store = readFast(text) { return store }
        return try readChecked(text, file: file)
    }

    /// Reads a statements file field by field; throws at the first bad field with its line and column.
    static func readChecked(_ text: String, file: String) throws(DataFileError) -> Store {
        let records = try TSV.parse(text, file: file, header: header(of: text))
        var builder = StoreBuilder(reserving: records.count)
        for r in records {
            let s = try statement(r, file: file)
            do { try builder.append(s) } catch {
                throw DataFileError(file: file, line: r.line, column: 1, message: error.description)
            }
        }
        return builder.build()
    }

    private static func statement(_ r: TSVRecord, file: String) throws(DataFileError) -> Statement {
        let f = r.fields
        func fail(_ i: Int, _ msg: String) -> DataFileError {
            DataFileError(file: file, line: r.line, column: r.column(i), message: "\(header[i]): \(msg)")
        }
        func required(_ i: Int) throws(DataFileError) -> String {
            if f[i].isEmpty { throw fail(i, "missing") }
            return f[i]
        }
        func optional(_ i: Int) -> String? { f[i].isEmpty ? nil : f[i] }
        func oneOf<E: RawRepresentable & CaseIterable>(_ i: Int, _: E.Type) throws(DataFileError) -> E?
        where E.RawValue == String {
            guard !f[i].isEmpty else { return nil }
            guard let v = E(rawValue: f[i]) else {
                throw fail(i, "unknown value \"\(f[i])\"; expected one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return v
        }
        func code(_ i: Int, _ scheme: CodeScheme) throws(DataFileError) -> Code? {
            guard !f[i].isEmpty else { return nil }
            guard let c = Code(f[i], scheme: scheme) else { throw fail(i, "\"\(f[i])\" is not a \(scheme.key) code") }
            return c
        }
        func integer(_ i: Int) throws(DataFileError) -> Int {
            guard let v = Int(try required(i)) else { throw fail(i, "\"\(f[i])\" is not a whole number") }
            return v
        }
        let amountText = try required(13)
        let amount: Money
        do {
            guard let p = try Money.parse(amountText), p.repairs.isEmpty else {
                throw fail(13, "\"\(amountText)\" is not a plain amount (digits, optional minus and point)")
            }
            amount = p.money
        } catch let e as DataFileError {
            throw e
        } catch {
            throw fail(13, "\(error)")
        }
        if amountText.contains(",") { throw fail(13, "\"\(amountText)\" has a thousands separator; the file has none") }
        guard let phase = try oneOf(3, Phase.self) else { throw fail(3, "missing") }
        guard let measure = try oneOf(4, Measure.self) else { throw fail(4, "missing") }
        guard let level = try oneOf(17, RowLevel.self) else { throw fail(17, "missing") }
        var printed = AmountUnit.wan
        if f.count > 19 && !f[19].isEmpty {
            guard f[19] == AmountUnit.yuan.rawValue else { throw fail(19, "unknown value \"\(f[19])\"; expected 元 or empty (万元)") }
            printed = .yuan
        }
        return Statement(
            unit: try required(0), region: f[1], year: try integer(2), phase: phase, measure: measure,
            function: try code(5, .function), econDept: try code(6, .econDept), econGov: try code(7, .econGov),
            nature: try oneOf(8, Nature.self), fund: try oneOf(9, Fund.self), cost: try oneOf(10, Cost.self),
            project: optional(11), category: optional(12), amount: amount,
            doc: try required(14), table: f[15], line: try integer(16), level: level, derived: optional(18),
            printed: printed)
    }
}
