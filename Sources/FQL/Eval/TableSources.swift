// TableSources.swift — the sources that describe what is loaded rather than
// money: `units` (each unit with its years and phases), `docs` (each
// document and how its unit, year and phase were decided) and `codes` (the
// classification catalogue with its trust and basis).

import FiscalData

enum TableSources {
    static let unitColumns = [Column(name: "unit", type: .text), Column(name: "region", type: .text),
                              Column(name: "year", type: .int), Column(name: "phase", type: .enumerated(.phase)),
                              Column(name: "statements", type: .int), Column(name: "docs", type: .text)]

    static let docColumns = [Column(name: "doc", type: .text), Column(name: "layout", type: .text),
                             Column(name: "unit", type: .text), Column(name: "region", type: .text),
                             Column(name: "year", type: .int), Column(name: "phase", type: .enumerated(.phase)),
                             Column(name: "statements", type: .int), Column(name: "evidence", type: .text)]

    static let codeColumns = [Column(name: "scheme", type: .text), Column(name: "code", type: .code(nil)),
                              Column(name: "level", type: .text), Column(name: "name", type: .text),
                              Column(name: "parent", type: .code(nil)), Column(name: "trust", type: .text),
                              Column(name: "basis", type: .text)]

    static let checkColumns = Reconciler.columns

    static func units(_ statements: [FiscalData.Statement]) -> Table {
        struct Key: Hashable { let unit: String; let region: String; let year: Int; let phase: Phase }
        var count: [Key: Int] = [:]
        var docs: [Key: [String]] = [:]
        for s in statements {
            let k = Key(unit: s.unit, region: s.region, year: s.year, phase: s.phase)
            count[k, default: 0] += 1
            if !(docs[k] ?? []).contains(s.doc) { docs[k, default: []].append(s.doc) }
        }
        let keys = count.keys.sorted { ($0.unit, $0.year, $0.phase.rawValue) < ($1.unit, $1.year, $1.phase.rawValue) }
        return Table(columns: unitColumns, rows: keys.map { k in
            [.text(k.unit), k.region.isEmpty ? .null : .text(k.region), .int(k.year), .text(k.phase.rawValue),
             .int(count[k]!), .text(docs[k]!.sorted().joined(separator: ", "))]
        })
    }

    static func docs(_ d: Dataset, _ statements: [FiscalData.Statement]) -> Table {
        var count: [String: Int] = [:]
        for s in statements { count[s.doc, default: 0] += 1 }
        return Table(columns: docColumns, rows: d.documents.sorted { $0.doc < $1.doc }.map { r in
            [.text(r.doc), .text(r.layout), .text(r.unit), .text(r.region), .int(r.year), .text(r.phase.rawValue),
             .int(count[r.doc] ?? 0), .text(r.evidence)]
        })
    }

    static func codes(_ c: Catalog) -> Table {
        Table(columns: codeColumns, rows: c.allEntries.map { e in
            [.text(e.code.scheme.key), .code(e.code), .text(e.code.level.chinese), .text(e.name),
             e.code.parent.map(Value.code) ?? .null, .text(e.trust.rawValue), .text(e.basis)]
        })
    }
}
