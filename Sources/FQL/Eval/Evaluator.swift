// Evaluator.swift — runs a checked plan over the loaded dataset: the source
// rows found through the store's indexes (unit, year, phase, measure, code
// prefix), facts chosen per group by their cut (FiscalData/Facts), then each
// step in turn. Rows are statements until a step makes a table. A failure
// (overflow, mixing measures or phases) is an error; no partial table is
// ever returned. Stages live in Eval/Stages.swift, expressions in
// Eval/Expression.swift.

import FiscalData

final class Evaluator {
    let dataset: Dataset
    let statements: [FiscalData.Statement]
    let selector: FactSelector
    private var checksCache: Table?
    /// Asked every 1,024 rows; when it answers true the query stops with `interrupted`.
    var shouldStop: (() -> Bool)?

    init(dataset: Dataset) {
        self.dataset = dataset
        statements = dataset.store.statements
        var phases: [String: Phase] = [:]
        for d in dataset.documents { phases[d.doc] = d.phase }
        selector = FactSelector(statements: statements, documentPhases: phases)
    }

    var catalog: Catalog { dataset.catalog }

    enum Rows {
        case statements([FiscalData.Statement])
        case table(Table)
    }

    func run(_ plan: Plan, span: Span) throws(QueryError) -> Table {
        var rows = try source(plan, span: span)
        for step in plan.steps { rows = try apply(step, rows) }
        guard case .table(var t) = rows else { fatalError("a plan ends with a table") }
        if t.prunable && !t.rows.isEmpty {
            let keep = t.columns.indices.filter { c in
                t.columns[c].name == "amount" || t.columns[c].name == "unit" || t.rows.contains { !$0[c].isNull }
            }
            t = project(t, keep)
        }
        return t
    }

    /// Throws `interrupted` at every 1,024th row once `shouldStop` says so.
    @inline(__always)
    func tick(_ n: Int) throws(QueryError) {
        if n & 1023 == 0, let stop = shouldStop, stop() { throw QueryError(.interrupted, Span(0, 0), "interrupted") }
    }

    // MARK: sources

    private func source(_ plan: Plan, span: Span) throws(QueryError) -> Rows {
        switch plan.source {
        case .rows:
            return .statements(candidates(plan.prefilter).map { statements[Int($0)] })
        case .facts:
            let rows = candidates(plan.prefilter)
            var groups = Set<FactGroup>(), stated = Set<FactGroup>()
            for (n, r) in rows.enumerated() {
                try tick(n)
                let s = statements[Int(r)]
                let g = FactGroup(s)
                groups.insert(g)
                if s.derived == nil { stated.insert(g) }
            }
            // Last year's figures derived from 比上年… count when the query asks about years, not in
            // a plain total: summing facts gives the documents' own totals.
            if !plan.namesYear { groups.formIntersection(stated) }
            let chosen: FactSelection
            do { chosen = try selector.facts(groups: groups.sorted(), needs: plan.needs) } catch {
                throw QueryError(.overflow, span, error.description)
            }
            if !groups.isEmpty && chosen.uncut.count == groups.count && !plan.needs.fields.isEmpty {
                throw QueryError(.noCut, span, "no document gives \(plan.needs) together for these rows; "
                                 + "drop a field, or ask per document (rows | where …)")
            }
            return .statements(chosen.facts)
        case .units: return .table(TableSources.units(statements))
        case .docs: return .table(TableSources.docs(dataset, statements))
        case .codes: return .table(TableSources.codes(dataset.catalog))
        case .checks:
            if checksCache == nil { checksCache = Reconciler(dataset: dataset, statements: statements).table() }
            return .table(checksCache!)
        }
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

    private func union(_ lists: [RowList]) -> RowList {
        if lists.count == 1 { return lists[0] }
        return Array(Set(lists.joined())).sorted()
    }

    func project(_ t: Table, _ keep: [Int]) -> Table {
        var out = Table(columns: keep.map { t.columns[$0] }, rows: t.rows.map { r in keep.map { r[$0] } },
                        valueColumn: t.valueColumn.flatMap { keep.firstIndex(of: $0) })
        out.chartColumn = t.chartColumn.flatMap { keep.firstIndex(of: $0) }
        out.origins = t.origins
        return out
    }
}
