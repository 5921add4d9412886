// Evaluator.swift — runs a checked plan over the loaded dataset: the source
// rows found through the store's indexes (unit, year, phase, measure, code
// prefix), facts chosen per group by their cut (FiscalData/Facts), then each
// step in turn. Rows are statements until a step makes a table. A failure
// (overflow, mixing measures or phases) is an error; no partial table is
// ever returned. Stages live in Eval/Stages.swift, expressions in
// Eval/Expression.swift.

import FiscalData

/// What a query's source read: the groups (unit, year, phase, measure) whose facts it took, and the
/// statements (store rows and statements the fact selection made) the steps after it received.
public struct Reads: Equatable, Sendable {
    public var groups = 0
    public var statements = 0
    /// Sums the query split over two threads (`Engine.parallelRows`).
    public var splitSums = 0
    /// Sums grouped and added in one pass over the columns, with no slot per statement (`sum by unit, func`).
    public var onePassSums = 0
    public init(groups: Int = 0, statements: Int = 0, splitSums: Int = 0, onePassSums: Int = 0) {
        self.groups = groups; self.statements = statements; self.splitSums = splitSums; self.onePassSums = onePassSums
    }
}

final class Evaluator {
    let dataset: Dataset
    let selector: FactSelector
    /// The store's columns, held here: read per run and per statement, never copied per access.
    let columns: Columns
    /// Every statement, materialised on first use by the sources that list them all (units, docs, checks).
    lazy var statements: [FiscalData.Statement] = dataset.store.statements
    /// A sum over runs of at least this many statements is split over two threads (on a machine with two).
    var parallelRows = 1 << 20
    /// Whether a sum by shared fields and one column may take the one-pass way (OnePassSum.swift).
    var onePass = true
    private var checksCache: Table?
    /// Asked every 1,024 rows; when it answers true the query stops with `interrupted`.
    var shouldStop: (() -> Bool)?
    /// Notes the source and stages of the running query leave for its reader (Table.notes), in order, once each.
    private(set) var notes: [String] = []

    func note(_ text: String) { if !notes.contains(text) { notes.append(text) } }
    /// The measures (1 << code) of the statements the running query's result was made of: a result of
    /// counts (vehicles) says so instead of 万元.
    var resultMeasures: UInt16 = 0
    /// Whether the running query reads `rows` (every statement as printed, totals and repeats included).
    private(set) var readsRows = false
    /// What the running (or last) query's source read.
    var reads = Reads()
    private var givenOrderFound: [Int32]?

    init(dataset: Dataset) {
        self.dataset = dataset
        columns = dataset.store.columns
        var phases: [String: Phase] = [:], years: [String: Int] = [:]
        for d in dataset.documents { phases[d.doc] = d.phase; years[d.doc] = d.year }
        selector = FactSelector(store: dataset.store, documentPhases: phases, documentYears: years)
    }

    var catalog: Catalog { dataset.catalog }

    enum Rows {
        case statements(StatementRows)
        case table(Table)
    }

    func run(_ plan: Plan, span: Span) throws(QueryError) -> Table {
        notes = []
        resultMeasures = 0
        reads = Reads()
        if case .rows = plan.source { readsRows = true } else { readsRows = false }
        var rows = try source(plan, span: span)
        var steps = plan.steps[...]
        while let step = steps.popFirst() {
            // A sort then a limit (`top n`) keeps only the n first rows as it goes.
            // An aggregate then `top n` by its value: only the n rows kept are made (`sum by unit, func | top 10`
            // over 10 million statements makes 10 rows, not 300,000).
            if case .aggregate(let a) = step, steps.count >= 2, case .sortTable(let keys) = steps[steps.startIndex],
               case .limit(let n) = steps[steps.startIndex + 1], let first = keys.first,
               keys.allSatisfy({ $0.0 == a.valueIndex }) {
                steps.removeFirst(2)
                rows = .table(try aggregate(a, rows, top: (descending: first.1, n: n)))
                continue
            }
            if case .sortTable(let keys) = step, case .limit(let n)? = steps.first, case .table(let t) = rows {
                steps.removeFirst()
                rows = .table(t.keeping(sortedRows(t, keys, first: n)))
                continue
            }
            rows = try apply(step, rows)
        }
        guard case .table(let t) = rows else { fatalError("a plan ends with a table") }
        return conclude(t)
    }

    /// The stages of a plan after the part another engine ran (a comparison, an average: Engine.run), on its
    /// result, as `run` takes them.
    func finish(_ table: Table, _ steps: ArraySlice<Step>) throws(QueryError) -> Table {
        notes = table.notes
        resultMeasures = 0
        var t = table
        t.notes = []
        var rows = Rows.table(t)
        for step in steps { rows = try apply(step, rows) }
        guard case .table(let out) = rows else { fatalError("a plan ends with a table") }
        return conclude(out)
    }

    /// A result as every run ends it: the marks column last, each mark shown explained in the marks' order,
    /// counts said.
    private func conclude(_ table: Table) -> Table {
        var t = table
        // A result has the same columns whatever the data (scripts rely on it); a table for people leaves
        // out the columns no row fills (Table.forDisplay).
        if let n = t.columns.firstIndex(of: noteColumn) {
            // The marks column, always last.
            let others = t.columns.indices.filter { $0 != n }
            // A mark explained only where a row still shows it.
            let shown = Set(t.rows.flatMap { r -> [String] in
                guard case .text(let x) = r[n] else { return [] }
                return FigureMark.allCases.filter { x.contains($0.rawValue) }.map(\.explanation)
            })
            notes.removeAll { n in FigureMark.allCases.contains { $0.explanation == n } && !shown.contains(n) }
            if n != t.columns.count - 1 { t = project(t, others + [n]) }
        } else {
            notes.removeAll { n in FigureMark.allCases.contains { $0.explanation == n } }
        }
        if let say = Self.counts(resultMeasures, in: t) { t.countUnit = say.unit; say.note.map(note) }
        if notes.isEmpty { return t }
        // The marks' explanations in the marks' order (as any engine gives them), where they stand.
        let marks = FigureMark.allCases.sorted().map(\.explanation)
        let at = notes.indices.filter { marks.contains(notes[$0]) }
        for (i, n) in zip(at, at.map { notes[$0] }.sorted { marks.firstIndex(of: $0)! < marks.firstIndex(of: $1)! }) { notes[i] = n }
        t.notes = t.notes + notes.filter { !t.notes.contains($0) }
        return t
    }

    /// What a result made of statements of `measures` (1 << code) must say of counts: one made only of counts
    /// (vehicles) is in their unit, not 万元; one mixing counts with money says which of its figures are
    /// counts. Nil for money alone.
    static func counts(_ measures: UInt16, in t: Table) -> (unit: String?, note: String?)? {
        guard measures & countBits != 0, t.columns.contains(where: { $0.type == .money }) else { return nil }
        let present = counted.filter { measures & 1 << Measure.code($0) != 0 }
        let units = Set(present.compactMap(\.countUnit))
        if measures & ~countBits == 0, units.count == 1 { return (units.first, nil) }
        return (nil, "\(present.map(\.rawValue).joined(separator: " and ")) figures are counts (\(units.sorted().joined(separator: ", "))), not 万元")
    }

    /// The measures that are counts, not money, and their bits (1 << code).
    private static let counted = Measure.allCases.filter { $0.countUnit != nil }
    private static let countBits = counted.reduce(UInt16(0)) { $0 | 1 << Measure.code($1) }

    /// Throws `interrupted` at every 1,024th row once `shouldStop` says so.
    @inline(__always)
    func tick(_ n: Int) throws(QueryError) {
        if n & 1023 == 0, let stop = shouldStop, stop() { throw QueryError(.interrupted, Span(0, 0), "interrupted") }
    }

    // MARK: sources

    private func source(_ plan: Plan, span: Span) throws(QueryError) -> Rows {
        switch plan.source {
        case .rows:
            let rows = StatementRows(refs: inGivenOrder(candidates(plan.prefilter)), facts: false)
            reads.statements = rows.count
            return .statements(rows)
        case .facts:
            // The groups of the candidate rows, by number (FactSelector.groupOf), ascending. Unit, year, phase
            // and measure are a group's own: without a code to look up, the groups are chosen from the list
            // of groups, never by walking rows: listed where the units are named (a few of tens of
            // thousands), else marked.
            var seen: [Bool] = []
            var named: [Int] = []
            let p = plan.prefilter
            try tick(0)
            if p.functionNodes == nil {
                // Few values each: asked of tens of thousands of groups, a list is quicker than a set's hash.
                let (years, phases, measures) = (p.years.map(Array.init), p.phases.map(Array.init), p.measures.map(Array.init))
                func matches(_ k: FactGroup) -> Bool {
                    (years?.contains(k.year) ?? true) && (phases?.contains(k.phase) ?? true) && (measures?.contains(k.measure) ?? true)
                }
                let list = selector.groupList
                if let units = p.units {
                    // Groups are sorted by unit first: each unit's are one range, found by binary search.
                    for u in units {
                        var lo = 0, hi = list.count
                        while lo < hi { let mid = (lo + hi) / 2; if list[mid].unit < u { lo = mid + 1 } else { hi = mid } }
                        while lo < list.count && list[lo].unit == u {
                            if matches(list[lo]) { named.append(lo) }
                            lo += 1
                        }
                    }
                    named = Set(named).sorted()
                } else {
                    seen = list.map(matches)
                }
            } else {
                seen = [Bool](repeating: false, count: selector.groupList.count)
                for (n, r) in candidates(p).enumerated() {
                    try tick(n)
                    seen[Int(selector.groupOf[Int(r)])] = true
                }
            }
            // Last year's figures derived from 比上年… count when the query asks about years, not in
            // a plain total: summing facts gives the documents' own totals.
            // A comparison reads only the groups on one of its sides (蔡甸's 全年预算 is on neither side of
            // budget vs final): the others would only leave notes about money it never sets side by side.
            let compared = plan.firstCompare
            let ids = (seen.isEmpty ? named : seen.indices.filter { seen[$0] }).filter { g in
                (plan.namesYear || selector.groupStated[g]) && (compared.map { c in self.side(c, self.selector.groupList[g]) != nil } ?? true)
            }
            let groups = ids.map { selector.groupList[$0] }
            let chosen: FactSelection
            do { chosen = try selector.facts(groupIDs: ids, needs: plan.needs) } catch {
                throw QueryError(.overflow, span, error.description)
            }
            if !groups.isEmpty && chosen.uncut.count == groups.count && !plan.needs.fields.isEmpty {
                throw QueryError(.noCut, span, "no document gives \(plan.needs) together for these rows; "
                                 + "drop a field, or ask per document (rows | where …)")
            }
            noteUncut(chosen, needs: plan.needs)
            (reads.groups, reads.statements) = (ids.count, chosen.refs.count)
            if let c = compared {
                return .statements(try alignCuts(c, StatementRows(chosen), needs: plan.needs, span: span))
            }
            return .statements(StatementRows(chosen))
        case .units: return .table(TableSources.units(statements))
        case .docs: return .table(TableSources.docs(dataset, statements))
        case .codes: return .table(TableSources.codes(dataset.catalog))
        case .checks:
            if checksCache == nil { checksCache = Reconciler(dataset: dataset, statements: statements).table() }
            return .table(checksCache!)
        }
    }

    /// The store row holding `i`'s group fields, in a selection.
    private func base(_ s: FactSelection, _ i: Int) -> Int {
        let r = s.refs[i]
        return Int(r >= 0 ? r : s.madeFrom[Int(-1 - r)])
    }

    /// Says which groups no cut answers (a budget given only as items in prose, asked `by nature`): their
    /// money is one row with no key (the total alone), or missing when the document states no total.
    private func noteUncut(_ chosen: FactSelection, needs: FactNeeds) {
        // A count (vehicles) has no fund, nature or code to break it down by: nothing to say of it.
        let uncut = chosen.uncut.filter { $0.measure.countUnit == nil }
        guard !uncut.isEmpty else { return }
        let withTotal = Set(chosen.refs.indices.lazy.map { self.selector.groupList[Int(self.selector.groupOf[self.base(chosen, $0)])] })
        for (n, g) in uncut.enumerated() {
            if n == 5 { note("… and \(uncut.count - 5) more such groups"); break }
            note("\(g.unit) \(g.year) \(g.phase.rawValue) \(g.measure.rawValue): no table of its document gives \(needs) together; "
                 + (withTotal.contains(g) ? "its total is one row with none of them" : "left out (it states no total)"))
        }
    }

    /// Facts cut alike on both sides of a comparison: where one side's figures lie wholly within some funds
    /// (or one nature) and the other side's cut does not classify by fund (nature), the other side is cut
    /// again by that field when its document allows, so that `compare` can set like against like
    /// (Stages.swift, `alignScopes`). Pairs are a unit's two phases of one year, or two years of one phase.
    private func alignCuts(_ c: ComparePlan, _ facts: StatementRows, needs: FactNeeds, span: Span) throws(QueryError) -> StatementRows {
        let keyed = Set(c.keys.map(\.name))
        var out = facts
        for d in ScopeDimension.allCases where !keyed.contains(d.rawValue) {
            var recut = Set<Int>()
            let limited = { (a: UInt32, b: UInt32) in d.limits(b) && a & 1 != 0 || d.limits(a) && b & 1 != 0 }
            for (_, sc) in scopes(c, out, d, runs: runs(out), where: limited) {
                for k in 0..<2 where d.limits(sc.bits[1 - k]) && sc.bits[k] & 1 != 0 { recut.formUnion(sc.groups[k]) }
            }
            guard !recut.isEmpty else { continue }
            var more = needs
            more.need(d.field)
            let again: FactSelection
            do { again = try selector.facts(groupIDs: recut.sorted(), needs: more) } catch { throw QueryError(.overflow, span, error.description) }
            let answered = Set(again.refs.indices.map { factGroup(StatementRows(again), $0) }).subtracting(again.uncut)
                .compactMap(selector.groupID)
            let ids = Set(answered)
            var merged = FactSelection()
            merged.refs = out.refs; merged.made = out.made; merged.madeFrom = out.madeFrom
            merged.refs = out.refs.indices.filter { !ids.contains(group(out, $0)) }.map { out.refs[$0] }
            let fresh = StatementRows(again)
            merged.append(again) { r in ids.contains(Int(self.selector.groupOf[Int(r >= 0 ? r : fresh.madeFrom[Int(-1 - r)])])) }
            out = StatementRows(merged)
        }
        return out
    }

    /// Rows in the order their statements were given (`rows` lists them so; the store keeps them by group):
    /// many are taken in the store's given order, marked; a few are sorted.
    private func inGivenOrder(_ rows: RowList) -> RowList {
        let store = dataset.store
        guard store.isReordered, rows.count > 1 else { return rows }
        if rows.count < store.count / 16 { return rows.sorted { store.givenPosition(Int($0)) < store.givenPosition(Int($1)) } }
        var marked = [Bool](repeating: false, count: store.count)
        for r in rows { marked[Int(r)] = true }
        return givenOrder.filter { marked[Int($0)] }
    }

    /// The store's rows in the order their statements were given, found on first use.
    private var givenOrder: [Int32] {
        if let known = givenOrderFound { return known }
        let order = dataset.store.givenOrder
        givenOrderFound = order
        return order
    }

    /// Row numbers the indexes allow, ascending.
    func candidates(_ p: Prefilter) -> RowList {
        let store = dataset.store
        var lists: [RowList] = []
        if let u = p.units { lists.append(union(u.sorted().map { store.rows(unit: $0) })) }
        if let y = p.years { lists.append(union(y.sorted().map { store.rows(year: $0) })) }
        if let ph = p.phases { lists.append(union(ph.sorted { $0.rawValue < $1.rawValue }.map { store.rows(phase: $0) })) }
        if let m = p.measures { lists.append(union(m.sorted { $0.rawValue < $1.rawValue }.map { store.rows(measure: $0) })) }
        if let f = p.functionNodes { lists.append(union(f.map { store.rows(functionUnder: $0) })) }
        guard var out = lists.first else { return RowList(0..<Int32(store.count)) }
        for l in lists.dropFirst() { out = Store.intersect(out, l) }
        return out
    }

    /// The rows in any of the ascending lists, ascending: merged pairwise, never hashed.
    private func union(_ lists: [RowList]) -> RowList {
        var all = lists
        while all.count > 1 {
            var next: [RowList] = []
            for i in stride(from: 0, to: all.count, by: 2) {
                guard i + 1 < all.count else { next.append(all[i]); continue }
                let (a, b) = (all[i], all[i + 1])
                var out = RowList()
                out.reserveCapacity(a.count + b.count)
                var x = 0, y = 0
                while x < a.count || y < b.count {
                    if y == b.count || (x < a.count && a[x] < b[y]) { out.append(a[x]); x += 1 }
                    else if x == a.count || b[y] < a[x] { out.append(b[y]); y += 1 }
                    else { out.append(a[x]); x += 1; y += 1 }
                }
                next.append(out)
            }
            all = next
        }
        return all.first ?? []
    }

    func project(_ t: Table, _ keep: [Int]) -> Table { t.keepingColumns(keep) }
}
