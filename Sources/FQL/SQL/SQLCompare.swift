// SQLCompare.swift — `compare` as SQL (issue 16): each key's sum on either
// side, with the side's marks and the phases and measures it holds, computed
// by the engine; the difference, percentage, rate and note made from them by
// the backend exactly as the in-memory engine makes them (Stages.swift,
// `compare`). Two queries before it check what the in-memory engine checks
// first: that the sides are of one year, unit and phase where the keys do not
// separate them (the same errors), and that no pair of sides would have to be
// brought to one scope of fund or nature (alignCuts, alignScopes): such a
// comparison is refused as having no translation yet, never answered otherwise.
// `compare` must be the last stage of a translated query.

import FiscalData
import Foundation

/// A comparison's SQL and how to read it back.
struct CompareSQL {
    let plan: ComparePlan
    /// Each key's sums and flags, in key order.
    let text: String
    /// The distinct (side, year, phase[, unit]) of the statements on a side.
    let sides: String
    /// Whether `sides` lists units.
    let unitsAsked: Bool
    /// Per pair of sides and side: the bits of the funds and natures its statements have; nil when the keys
    /// separate both.
    let scopes: String?
    let scopeDimensions: [ScopeDimension]
    /// How many result columns the keys (and their names) take.
    let keyCount: Int

    /// The marks a side's flags stand for, in the order they come.
    static let marks: [(FigureMark, String)] = [(.derived, "mark_derived"), (.yuan, "mark_yuan"),
                                                (.remainder, "mark_remainder"), (.totalOnly, "mark_total_only")]
    /// Flags per side: the marks, then a flag per phase and per measure.
    static var flagsPerSide: Int { marks.count + SQLTranslator.phases.count + SQLTranslator.measures.count }
}

extension SQLTranslator {
    func compare(_ c: ComparePlan, over source: String, fromRows: Bool) throws(QueryError) -> CompareSQL {
        guard !fromRows else { throw unsupported("compare over rows") }
        guard !c.keepSources else { throw unsupported("why") }
        let side: String
        switch c.sides {
        case let .phases(a, b): side = "CASE WHEN \"phase\" = \(quote(a.rawValue)) THEN 0 WHEN \"phase\" = \(quote(b.rawValue)) THEN 1 END"
        case let .years(a, b): side = "CASE WHEN \"year\" = \(a) THEN 0 WHEN \"year\" = \(b) THEN 1 END"
        case let .units(_, a, _, b): side = "CASE WHEN \"unit\" = \(quote(a)) THEN 0 WHEN \"unit\" = \(quote(b)) THEN 1 END"
        }
        let sided = "SELECT * FROM (SELECT *, \(side) AS _side FROM (\(source)) t) t WHERE _side IS NOT NULL"
        var inner: [String] = []
        for (i, k) in c.keys.enumerated() { inner.append("\(try expression(k.expr, columns: nil).sql) AS k\(i)") }
        for k in 0..<2 { inner.append("sum(CASE WHEN _side = \(k) THEN \"amount\" END) AS _v\(k)") }
        var flags: [String] = []
        for k in 0..<2 {
            flags += CompareSQL.marks.map { "bool_or(_side = \(k) AND \"\($0.1)\")" }
            flags += Self.phases.map { "bool_or(_side = \(k) AND \"phase\" = \(quote($0.rawValue)))" }
            flags += Self.measures.map { "bool_or(_side = \(k) AND \"measure\" = \(quote($0.rawValue)))" }
        }
        inner += flags.enumerated().map { "\($1) AS _f\($0)" }
        var grouped = "SELECT " + inner.joined(separator: ", ") + " FROM (\(sided)) t"
        if !c.keys.isEmpty { grouped += " GROUP BY " + c.keys.indices.map { String($0 + 1) }.joined(separator: ", ") }
        let keys = try keyOutputs(c.keys)
        let by = c.keys.indices.map { "k\($0) ASC NULLS LAST" }
        let outer = keys + ["_v0", "_v1"] + flags.indices.map { "_f\($0)" }
        let results: [String] = keys.indices.map { "c\($0)" } + ["_v0", "_v1"] + flags.indices.map { "_f\($0)" }
        let ordering: String = by.isEmpty ? "NULL" : by.joined(separator: ", ")
        let numbered = "SELECT \(outer.joined(separator: ", ")), row_number() OVER (ORDER BY \(ordering)) AS _o FROM (\(grouped)) g"
        let text = "SELECT \(results.joined(separator: ", ")) FROM (\(numbered)) t ORDER BY _o"

        let keyed = Set(c.keys.map(\.name))
        var unitsAsked = !keyed.contains("unit")
        if case .units = c.sides { unitsAsked = false }
        let sides = "SELECT DISTINCT _side, \"year\", \"phase\"" + (unitsAsked ? ", \"unit\"" : "") + " FROM (\(sided)) t"
        let dimensions = ScopeDimension.allCases.filter { !keyed.contains($0.rawValue) }
        var scopes: String? = nil
        if !dimensions.isEmpty {
            let pair: [String]
            switch c.sides {
            case .phases: pair = ["\"unit\"", "\"year\""]
            case .years: pair = ["\"unit\"", "\"phase\""]
            case .units: pair = ["\"year\"", "\"phase\""]
            }
            let bits = dimensions.map { d -> String in
                let values: [(String, UInt8)] = d == .fund ? Fund.allCases.map { ($0.rawValue, Fund.code($0)) }
                    : Nature.allCases.map { ($0.rawValue, Nature.code($0)) }
                let column = d == .fund ? "\"fund\"" : "\"nature\""
                return "bit_or(CASE " + values.map { "WHEN \(column) = \(quote($0.0)) THEN \(1 << $0.1)" }.joined(separator: " ") + " ELSE 1 END)"
            }
            scopes = "SELECT " + (pair + ["_side"] + bits).joined(separator: ", ") + " FROM (\(sided)) t GROUP BY "
                + (pair + ["_side"]).joined(separator: ", ")
        }
        return CompareSQL(plan: c, text: text, sides: sides, unitsAsked: unitsAsked, scopes: scopes,
                          scopeDimensions: dimensions, keyCount: keys.count)
    }
}

extension SQLBackend {
    /// The comparison's table from the engine's answers to its three queries (sides, scopes, sums), or the
    /// in-memory engine's error.
    func compareTable(_ q: CompareSQL, sides: [[Any]], scopes: [[Any]], sums: [[Any]], columns: [Column],
                      value: (Any, ValueType) throws(QueryError) -> Value) throws(QueryError) -> Table {
        let c = q.plan
        // The sides' years, phases and units, as checkAligned reads them from the groups.
        var years: [Set<Int>] = [[], []], units: [Set<String>] = [[], []], phases: [Set<Phase>] = [[], []]
        for r in sides {
            guard let k = (r[0] as? NSNumber)?.intValue, k == 0 || k == 1 else { continue }
            if let y = (r[1] as? NSNumber)?.intValue { years[k].insert(y) }
            if let p = (r[2] as? String).flatMap(Phase.init) { phases[k].insert(p) }
            if q.unitsAsked, let u = r[3] as? String { units[k].insert(u) }
        }
        if let e = Evaluator.alignmentError(c, years: years, units: units, phases: phases) { throw e }
        // A pair whose sides differ in scope would be cut to one (or noted): not translated.
        var pairs: [String: [[UInt32]]] = [:]
        for r in scopes {
            let pair = "\(r[0])\u{1}\(r[1])"
            guard let k = (r[2] as? NSNumber)?.intValue, k == 0 || k == 1 else { continue }
            var both = pairs[pair] ?? Array(repeating: [0, 0], count: q.scopeDimensions.count)
            for d in q.scopeDimensions.indices { both[d][k] = UInt32((r[3 + d] as? NSNumber)?.intValue ?? 0) }
            pairs[pair] = both
        }
        for both in pairs.values {
            for (d, dimension) in q.scopeDimensions.enumerated() {
                let (a, b) = (both[d][0], both[d][1])
                if a != 0 && b != 0 && a != b && (dimension.limits(a) || dimension.limits(b)) {
                    throw QueryError(.unsupported, c.span, "no SQL translation yet for compare whose sides are of different \(dimension.rawValue) scopes")
                }
            }
        }
        var finalFirst = false
        if case let .phases(a, _) = c.sides { finalFirst = a == .final }
        let names = Evaluator.sideNames(c)
        let keyTypes = columns.prefix(q.keyCount).map(\.type)
        var rows: [[Value]] = []
        var measures: UInt16 = 0
        let per = CompareSQL.flagsPerSide
        for r in sums {
            var row: [Value] = []
            for (i, t) in keyTypes.enumerated() { row.append(try value(r[i], t)) }
            let sums = [try value(r[q.keyCount], .money), try value(r[q.keyCount + 1], .money)]
            var marks: [[FigureMark]] = [[], []]
            for k in 0..<2 {
                let flags = r[(q.keyCount + 2 + k * per)...].prefix(per).map(Self.flag)
                marks[k] = CompareSQL.marks.indices.filter { flags[$0] }.map { CompareSQL.marks[$0].0 }.sorted()
                let acc = Self.held(flags[CompareSQL.marks.count...])
                measures |= acc.measureBits
                try acc.checkNotMixed("compare", c.span, phaseHint: Evaluator.comparePhaseHint)
            }
            rows.append(row + (try Evaluator.compared(c, sums[0], sums[1], marks: marks, names: names, finalFirst: finalFirst)))
        }
        return concluded(Table(columns: columns, rows: rows, valueColumn: c.valueIndex), measures: measures)
    }
}
