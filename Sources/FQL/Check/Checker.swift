// Checker.swift — the parsed pipeline to a plan: the source resolved (a
// built-in source or a `let` name), every stage checked against the shape of
// the rows it receives (statements, or a table of named, typed columns), the
// fields a query uses collected as the cut it needs, and the first `where`
// turned into index look-ups. Every error here is raised before anything runs.
// Expressions are checked in Checker+Expr.swift.

import FiscalData

/// What the checker may consult.
struct CheckContext {
    let catalog: Catalog
    let units: [String]
    let regions: [String]
    let parameters: [String: String]
    let bindings: [String: Pipeline]
}

/// The rows a stage receives.
enum Shape {
    case statements(rows: Bool)
    case table([Column], value: Int?)
}

struct Checker {
    let ctx: CheckContext
    var needs = FactNeeds()
    /// Whether the query names `year` (a filter, a key, compare of years): only then do years a
    /// unit's documents state solely through changes (比上年…) count among the facts.
    var namesYear = false
    var prefilter = Prefilter()
    var steps: [Step] = []
    var shape: Shape = .statements(rows: false)
    /// Whether only filters have run so far (the index look-ups apply to the source rows).
    var onlyFilters = true

    static let sources: [String: SourcePlan] = [
        "facts": .facts(measure: nil, phase: nil),
        "spending": .facts(measure: .spending, phase: nil), "支出": .facts(measure: .spending, phase: nil),
        "income": .facts(measure: .income, phase: nil), "收入": .facts(measure: .income, phase: nil),
        "budget": .facts(measure: .spending, phase: .budget), "预算": .facts(measure: .spending, phase: .budget),
        "final": .facts(measure: .spending, phase: .final), "决算": .facts(measure: .spending, phase: .final),
        "rows": .rows, "checks": .checks, "units": .units, "docs": .docs, "codes": .codes,
    ]
    static let sourceNames = ["facts", "spending", "支出", "income", "收入", "budget", "预算", "final", "决算",
                              "rows", "checks", "units", "docs", "codes"]

    /// Checks `pipeline`; the plan's steps end with a table.
    static func check(_ pipeline: Pipeline, _ ctx: CheckContext) throws(QueryError) -> Plan {
        var c = Checker(ctx: ctx)
        let (sourceName, stages) = try c.flatten(pipeline, depth: 0)
        guard let source = sources[sourceName.lowercased()] else {
            throw QueryError(.unknownSource, pipeline.source.span,
                             "unknown source \"\(sourceName)\"\(suggestion(sourceName, among: sourceNames + ctx.bindings.keys.sorted()))")
        }
        switch source {
        case .facts(let m, let p):
            c.shape = .statements(rows: false)
            if let m { c.prefilter.measures = [m] }
            if let p { c.prefilter.phases = [p] }
        case .rows: c.shape = .statements(rows: true)
        case .checks: c.shape = .table(TableSources.checkColumns, value: nil)
        case .units: c.shape = .table(TableSources.unitColumns, value: nil)
        case .docs: c.shape = .table(TableSources.docColumns, value: nil)
        case .codes: c.shape = .table(TableSources.codeColumns, value: nil)
        }
        for (stage, origin) in stages {
            do { try c.stage(stage) } catch {
                guard let (name, span) = origin else { throw error }
                throw QueryError(error.kind, span, "in \"\(name)\": \(error.message)")
            }
        }
        c.finishStatements(prune: true)
        guard case .table(let cols, _) = c.shape else { fatalError("a plan ends with a table") }
        return Plan(source: source, steps: c.steps, needs: c.needs, namesYear: c.namesYear, prefilter: c.prefilter, columns: cols)
    }

    /// The built-in source name and every stage, with `let` names expanded; stages from a binding
    /// carry the binding's name and the span where it was used.
    private func flatten(_ p: Pipeline, depth: Int) throws(QueryError) -> (String, [(Stage, (String, Span)?)]) {
        let word = p.source.text
        guard p.source.parts.count == 1, let bound = ctx.bindings[word], depth < 32 else {
            return (word, p.stages.map { ($0, nil) })
        }
        let (src, inner) = try flatten(bound, depth: depth + 1)
        return (src, inner.map { ($0.0, (word, p.source.span)) } + p.stages.map { ($0, nil) })
    }

    // MARK: stages

    mutating func stage(_ s: Stage) throws(QueryError) {
        switch s.kind {
        case .where(let e): try filter(e)
        case .aggregate(let kind, let e, let keys): try aggregate(AggregateKind(rawValue: kind)!, e, keys, s.span)
        case .compare(let a, let b, let keys): try compare(a, b, keys, s.span)
        case .share(let within): try share(within, s.span)
        case .sort(let keys): try sort(keys)
        case .limit(let n): steps.append(.limit(try count(n, "limit")))
        case .top(let n): try top(try count(n, "top"), s.span)
        case .select(let names): try select(names)
        case .chart(let name): try chart(name, s.span)
        case .why: try why(s.span)
        }
        if case .where = s.kind {} else { onlyFilters = false }
    }

    private mutating func filter(_ e: Expr) throws(QueryError) {
        let (x, t) = try expression(e)
        guard t == .bool else {
            throw QueryError(.typeMismatch, e.span, "where needs a condition (true or false), found \(t)")
        }
        if onlyFilters, case .statements = shape { addPrefilter(x) }
        steps.append(.filter(x))
    }

    private mutating func keyPlans(_ names: [Name]) throws(QueryError) -> [KeyPlan] {
        var out: [KeyPlan] = []
        for n in names {
            let (x, t, ref) = try resolve(n)
            out.append(KeyPlan(expr: x, name: n.text.lowercased(), type: t,
                               withName: ref.map { $0.field.isCode && !$0.named } ?? false))
        }
        return out
    }

    private func keyColumns(_ keys: [KeyPlan]) -> [Column] {
        keys.flatMap { k in
            [Column(name: k.name, type: k.type)] + (k.withName ? [Column(name: k.name + ".name", type: .text)] : [])
        }
    }

    private mutating func aggregate(_ kind: AggregateKind, _ e: Expr?, _ keys: [Name], _ span: Span) throws(QueryError) {
        // Sums over statements, and over listings of them (`select` before `sum`, whose rows keep their
        // phase and measure), are guarded against adding phases or measures; sums of sums have no such rows.
        let ks = try keyPlans(keys)
        var value: CExpr?
        var vt: ValueType = .int
        var output = kind.rawValue
        if kind != .count {
            if let e {
                (value, vt) = try expression(e)
                if case .name(let n) = e, n.text.lowercased() == "amount", kind == .sum { output = "amount" }
            } else {
                let (x, t, _) = try resolve(Name(parts: ["amount"], span: span))
                value = x; vt = t
                if kind == .sum { output = "amount" }
            }
            guard vt.isNumeric || ((kind == .min || kind == .max) && vt != .bool) else {
                throw QueryError(.typeMismatch, e?.span ?? span, "\(kind.rawValue) needs numbers, found \(vt)")
            }
            if kind == .avg && vt == .int { vt = .money }
        }
        var marks = false
        if case .statements = shape { marks = true }
        let cols = keyColumns(ks) + [Column(name: output, type: vt)] + (marks ? [noteColumn] : [])
        let plan = AggregatePlan(kind: kind, value: value, valueType: vt, keys: ks, span: span,
                                 guardsMixing: kind == .sum || kind == .avg, marks: marks, columns: cols)
        steps.append(.aggregate(plan))
        shape = .table(cols, value: plan.valueIndex)
    }

    private mutating func compare(_ a: Expr, _ b: Expr, _ keys: [Name], _ span: Span) throws(QueryError) {
        guard case .statements = shape else {
            throw QueryError(.unexpected, span, "compare works on statements: put it before sum, count or select")
        }
        let sa = try side(a), sb = try side(b)
        let sides: CompareSides
        switch (sa, sb) {
        case let (.phase(x), .phase(y)): sides = .phases(x, y)
        case let (.year(x), .year(y)): sides = .years(x, y); namesYear = true
        case let (.unit(x, ux), .unit(y, uy)) where ux != uy: sides = .units(x, ux, y, uy)
        default:
            throw QueryError(.typeMismatch, a.span.to(b.span), "compare needs two phases (budget vs final), two years (2023 vs 2024) or two units (\"蔡甸\" vs \"西城\")")
        }
        let ks = try keyPlans(keys)
        var cols = keyColumns(ks)
        switch sides {
        case let .phases(x, y):
            cols += [Column(name: x.rawValue, type: .money), Column(name: y.rawValue, type: .money)]
        case let .years(x, y):
            cols += [Column(name: String(x), type: .money), Column(name: String(y), type: .money)]
        case let .units(x, _, y, _):
            cols += [Column(name: x, type: .money), Column(name: y, type: .money)]
        }
        cols += [Column(name: "diff", type: .money), Column(name: "pct", type: .percent)]
        var withRate = false
        if case let .phases(x, y) = sides, Set([x, y]).contains(.final), x != y { cols.append(Column(name: "rate", type: .percent)); withRate = true }
        cols.append(noteColumn)
        let plan = ComparePlan(sides: sides, keys: ks, span: span, columns: cols, withRate: withRate)
        steps.append(.compare(plan))
        shape = .table(cols, value: plan.valueIndex)
    }

    private enum Side { case phase(Phase), year(Int), unit(String, String) }

    private func side(_ e: Expr) throws(QueryError) -> Side {
        var word: String?
        switch e {
        case .number(let n, _): word = n
        case .name(let n) where n.parts.count == 1: word = n.parts[0]
        case .text(let s, _): word = s
        case .param(let p, let span): word = try parameter(p, span)
        default: break
        }
        if let w = word {
            if let y = Int(w), (1900...2100).contains(y) { return .year(y) }
            if let p = EnumKind.phase.value(named: w) { return .phase(Phase(rawValue: p)!) }
            // Text names a unit, as `unit ~ "…"` does; it must name exactly one.
            if case .text = e {
                let matching = ctx.units.filter { $0.holds(w) }
                if matching.count == 1 { return .unit(w, matching[0]) }
                throw QueryError(.unknownValue, e.span, matching.isEmpty
                    ? "no unit's name contains \"\(w)\" (.units lists them)"
                    : "\"\(w)\" is in the names of \(matching.count) units (\(matching.joined(separator: ", "))): name one")
            }
        }
        let hint = word.map { suggestion($0, among: EnumKind.phase.allNames) } ?? ""
        throw QueryError(.unknownValue, e.span, "expected a phase (budget, adjusted, final), a year, or a unit in quotes (\"蔡甸\")\(hint)")
    }

    private mutating func share(_ within: [Name], _ span: Span) throws(QueryError) {
        finishStatements(prune: true)
        guard case .table(let cols, let value) = shape, let v = value else {
            throw QueryError(.unexpected, span, "share needs an amount column; put it after sum")
        }
        let idx = try within.map { n throws(QueryError) in try columnIndex(n, cols) }
        steps.append(.share(value: v, within: idx))
        shape = .table(cols + [Column(name: "share", type: .percent)], value: v)
    }

    private mutating func sort(_ keys: [SortKey]) throws(QueryError) {
        switch shape {
        case .statements:
            var refs: [(FieldRef, Bool)] = []
            for k in keys {
                let (_, _, ref) = try resolve(k.name)
                refs.append((ref!, k.descending))
            }
            steps.append(.sortStatements(refs))
        case .table(let cols, _):
            steps.append(.sortTable(try keys.map { k throws(QueryError) in (try columnIndex(k.name, cols), k.descending) }))
        }
    }

    private mutating func top(_ n: Int, _ span: Span) throws(QueryError) {
        switch shape {
        case .statements:
            steps.append(.sortStatements([(FieldRef(field: .amount, named: false), true)]))
        case .table(let cols, let value):
            guard let v = value ?? cols.firstIndex(where: { $0.type.isNumeric }) else {
                throw QueryError(.unexpected, span, "top needs a column of numbers to rank by; use sort and limit")
            }
            steps.append(.sortTable([(v, true)]))
        }
        steps.append(.limit(n))
    }

    private mutating func select(_ names: [Name]) throws(QueryError) {
        switch shape {
        case .statements:
            var refs: [FieldRef] = []
            for n in names {
                let (_, _, ref) = try resolve(n)
                refs.append(ref!)
            }
            steps.append(.tabulate(refs, prune: false))
            let v = refs.firstIndex { $0.field == .amount && !$0.named }
            shape = .table(refs.map { Column(name: $0.name, type: $0.type) }, value: v)
        case .table(let cols, let value):
            let idx = try names.map { n throws(QueryError) in try columnIndex(n, cols) }
            steps.append(.select(idx))
            shape = .table(idx.map { cols[$0] }, value: value.flatMap { idx.firstIndex(of: $0) })
        }
    }

    private mutating func chart(_ name: Name?, _ span: Span) throws(QueryError) {
        finishStatements(prune: true)
        guard case .table(let cols, let value) = shape else { return }
        let c: Int
        if let name { c = try columnIndex(name, cols) } else if let value { c = value } else {
            throw QueryError(.unexpected, span, "chart needs a column of numbers: name one (chart amount)")
        }
        guard cols[c].type.isNumeric else {
            throw QueryError(.typeMismatch, name?.span ?? span, "chart draws numbers; \"\(cols[c].name)\" is \(cols[c].type)")
        }
        steps.append(.chart(c))
    }

    /// `why`: the statements behind each row of the last aggregate or comparison, after the row's labels.
    private mutating func why(_ span: Span) throws(QueryError) {
        // The last aggregate or comparison, which must be one over statements (a sum of a table's rows has no
        // statements of its own to list).
        guard case .table(let cols, _) = shape, let at = steps.lastIndex(where: { step in
            switch step {
            case .aggregate, .compare: return true
            default: return false
            }
        }), { if case .aggregate(let a) = steps[at] { return a.marks } else { return true } }(),
              !steps[at...].contains(where: { if case .why = $0 { return true } else { return false } }) else {
            throw QueryError(.unexpected, span, "why explains the rows of a sum, count, avg, min, max or compare over facts or rows: put it after one")
        }
        switch steps[at] {
        case .aggregate(var a): a.keepSources = true; steps[at] = .aggregate(a)
        case .compare(var c): c.keepSources = true; steps[at] = .compare(c)
        default: break
        }
        let labels = cols.indices.filter { !cols[$0].type.isNumeric && cols[$0] != noteColumn }
        let out = labels.map { cols[$0] } + Checker.whyColumns
        steps.append(.why(labels))
        shape = .table(out, value: labels.count + 5)
    }

    /// What `why` gives of each statement.
    static let whyColumns = [Column(name: "year", type: .int), Column(name: "phase", type: .text), Column(name: "doc", type: .text), Column(name: "table", type: .text), Column(name: "line", type: .int),
                             Column(name: "amount", type: .money), Column(name: "level", type: .text), Column(name: "derived", type: .text)]

    /// Turns statements into the default table, if the rows are still statements.
    private mutating func finishStatements(prune: Bool) {
        guard case .statements(let rows) = shape else { return }
        let refs = FieldRef.defaults(rows: rows)
        steps.append(.tabulate(refs, prune: prune))
        shape = .table(refs.map { Column(name: $0.name, type: $0.type) }, value: refs.firstIndex { $0.field == .amount })
    }

    private func count(_ e: Expr, _ stage: String) throws(QueryError) -> Int {
        var text: String?
        if case .number(let n, _) = e { text = n }
        if case .param(let p, let span) = e { text = try parameter(p, span) }
        guard let t = text, let n = Int(t), n >= 0 else {
            throw QueryError(.typeMismatch, e.span, "\(stage) needs a whole number of rows")
        }
        return n
    }

    func columnIndex(_ n: Name, _ cols: [Column]) throws(QueryError) -> Int {
        let want = n.text.lowercased()
        if let i = cols.firstIndex(where: { $0.name.lowercased() == want }) { return i }
        throw QueryError(.unknownField, n.span,
                         "unknown column \"\(n.text)\"\(suggestion(n.text, among: cols.map(\.name))) (columns here: \(cols.map(\.name).joined(separator: ", ")))")
    }

    func parameter(_ name: String, _ span: Span) throws(QueryError) -> String {
        guard let v = ctx.parameters[name] else {
            throw QueryError(.unsetParameter, span, "parameter $\(name) is not set; give it with -p \(name)=VALUE or .param \(name) VALUE")
        }
        return v
    }
}
