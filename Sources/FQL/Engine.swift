// Engine.swift — the embedding API: load a dataset, run FQL text, get typed
// results back (tables of typed columns and values, nulls as `.null`, errors
// as values). The REPL, `fql -e`, query files and Swift programs all run
// queries through this one type; it never prints.
//
//     let engine = try Engine(folder: "Datasets")
//     let table = try engine.query(#"final | where unit ~ "蔡甸" | sum by nature"#)
//     for row in table.rows { print(row) }

import FiscalData

/// What one statement of FQL text produced.
public enum Outcome: Sendable {
    /// A query's result.
    case table(Table)
    /// `let NAME = …` bound a name.
    case bound(String)
    /// The statement failed; `rendered` is the message with line, column and caret.
    case failure(QueryError, rendered: String)
    /// With `target = .sql`: the SQL the query is, over an export (`fql export`).
    case sql(String)
}

/// Where an engine's queries run.
public enum Target: Sendable {
    /// The in-memory evaluator.
    case memory
    /// Nowhere: each query is translated to SQL and the SQL is the outcome (`fql --sql`).
    case sql
    /// Another engine over an export (`fql --engine duckdb --data EXPORT`).
    case backend(SQLBackend)
}

public final class Engine: @unchecked Sendable {
    public let dataset: Dataset
    /// `$name` parameters (`-p name=value`, `.param name value`).
    public var parameters: [String: String] = [:] { didSet { checked.removeAll() } }
    /// Where queries run (the in-memory evaluator unless set).
    public var target: Target = .memory
    /// Asked while a query runs (every 1,024 rows); true stops it with an `interrupted` error and
    /// skips the statements after it. The REPL answers from its Ctrl-C flag.
    public var shouldStop: (() -> Bool)? {
        get { evaluator.shouldStop }
        set { evaluator.shouldStop = newValue }
    }
    private var bound: [String: Pipeline] = [:] { didSet { checked.removeAll() } }
    /// The checked plans of texts that were one query each, by their text: a query asked again is neither
    /// parsed nor checked again (as SQLite's prepared statements, which Python's sqlite3 keeps by their SQL).
    /// A plan depends on the text, the dataset, the parameters and the `let` names: changing either of the
    /// last two empties it. At most `Self.checkedKept` are kept.
    private var checked: [QueryText: (plan: Plan, span: Span)] = [:]
    static let checkedKept = 64

    /// A query's text as a key by its bytes: the same query typed again is the same bytes (a String's own
    /// hash would first normalise the Chinese in it).
    private struct QueryText: Hashable {
        let text: String
        func hash(into h: inout Hasher) {
            if text.utf8.withContiguousStorageIfAvailable({ h.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for b in text.utf8 { h.combine(b) }
            }
        }
        static func == (a: Self, b: Self) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    }
    let evaluator: Evaluator

    /// What the in-memory evaluator read for the last query it ran: its own counters, by which tests see
    /// that the indexes were used (a query on one unit reads that unit's statements only).
    public var lastReads: Reads { evaluator.reads }

    /// A sum over at least this many statements is added on two threads, each half of the store, then
    /// joined exactly (1,048,576 unless set; on a machine with one core, never).
    public var parallelRows: Int {
        get { evaluator.parallelRows }
        set { evaluator.parallelRows = newValue }
    }
    /// Whether the usual sum by fields a run shares and one column (`sum by unit, func`) is grouped and added
    /// in one pass over the columns (true unless set; tests set false to compare it with the general way).
    public var onePassSums: Bool {
        get { evaluator.onePass }
        set { evaluator.onePass = newValue }
    }
    private let units: [String]
    private let regions: [String]

    public init(dataset: Dataset) {
        self.dataset = dataset
        evaluator = Evaluator(dataset: dataset)
        units = dataset.store.units
        let c = dataset.store.columns
        // The distinct regions by their text ids, without hashing a row's id.
        var seen = [Bool](repeating: false, count: c.pool.strings.count)
        for r in c.region.values { seen[Int(r)] = true }   // each run's (or row's) value
        regions = seen.indices.filter { seen[$0] }.compactMap { c.pool[UInt32($0)] }.filter { !$0.isEmpty }.sorted()
    }

    /// Loads the dataset folder (catalogue.tsv, statements.tsv, documents.tsv).
    public convenience init(folder: String) throws(DatasetError) {
        self.init(dataset: try Dataset.load(folder: folder))
    }

    /// Runs every statement of `text` in order; a failed statement does not stop the next.
    public func run(_ text: String) -> [Outcome] {
        if let (plan, span) = checked[QueryText(text: text)] {
            do { return [try outcome(plan, span: span)] } catch { return [.failure(error, rendered: error.render(source: text))] }
        }
        var out: [Outcome] = []
        let statements = Parser.parse(text)
        for parsed in statements {
            switch parsed {
            case .failure(let e): out.append(.failure(e, rendered: e.render(source: text)))
            case .success(let s):
                do {
                    if statements.count == 1, case .query(let p) = s {
                        let plan = try Checker.check(p, context)
                        if checked.count >= Self.checkedKept { checked.removeAll() }
                        checked[QueryText(text: text)] = (plan, p.span)
                        out.append(try outcome(plan, span: p.span))
                    } else {
                        out.append(try execute(s))
                    }
                } catch {
                    out.append(.failure(error, rendered: error.render(source: text)))
                    if error.kind == .interrupted { return out }
                }
            }
        }
        return out
    }

    /// Runs `text` and returns the last table it produced; throws the first error.
    public func query(_ text: String) throws(QueryError) -> Table {
        var last: Table?
        for o in run(text) {
            switch o {
            case .table(let t): last = t
            case .bound, .sql: break
            case .failure(let e, _): throw e
            }
        }
        guard let last else { throw QueryError(.unexpected, Span(0, text.utf8.count), "no query to run") }
        return last
    }

    /// The SQL another engine runs for `text` (one query) over an export (`fql export`); throws where the
    /// query is not valid FQL, or has no SQL translation yet.
    public func sql(_ text: String) throws(QueryError) -> String {
        let plan = try plan(text)
        return Self.shown(plan, try SQLTranslator(catalog: dataset.catalog).translate(plan, span: Span(0, text.utf8.count)).script)
    }

    /// The SQL as `--sql` and `.sql` print it: where the engine finishes the answer itself (a compare's diff
    /// and pct, an avg's division, the stages after them), a comment line first says what the SQL returns.
    static func shown(_ plan: Plan, _ sql: String) -> String {
        guard let i = firstFinishedInSwift(plan.steps) else { return sql }
        var what: String
        if case .compare = plan.steps[i] {
            what = "-- returns each key's sum and marks on each side, both sides in one scope; fql first checks the sides (years, units, phases) and asks what the scope left out, then makes diff, pct and the notes from these rows"
        } else {
            what = "-- returns each group's sum and count; fql divides them exactly"
        }
        let after = afterFinishedInSwift(plan.steps).count
        if after > 0 { what += ", then runs the \(after) stage\(after == 1 ? "" : "s") after it" }
        return what + "\n" + sql
    }

    /// The first compare or avg: the step whose values the engine makes from the SQL's sums.
    static func firstFinishedInSwift(_ steps: [Step]) -> Int? {
        steps.firstIndex { step in
            if case .compare = step { return true }
            if case .aggregate(let a) = step { return a.kind == .avg }
            return false
        }
    }

    /// Where a plan has a `why` after a compare, or after an avg and stages after it, which the SQL backends
    /// answer in two steps: the plan up to the compare (avg), which no longer keeps its sources; the compare's
    /// (avg's) place and the why's; its keys and columns.
    static func explainedAfter(_ plan: Plan) -> (head: Plan, at: Int, why: Int, keys: [KeyPlan], columns: [Column])? {
        guard let i = firstFinishedInSwift(plan.steps),
              let w = plan.steps[(i + 1)...].firstIndex(where: { if case .why = $0 { return true } else { return false } }),
              let (step, keys, columns) = withoutSources(plan.steps[i], whyNext: w == i + 1) else { return nil }
        var head = plan
        head.steps = Array(plan.steps[..<i]) + [step]
        return (head, i, w, keys, columns)
    }

    /// What the statements behind a compare's (avg's) rows are read from, and in what order: the
    /// comparison's last temporary table, side A's then side B's; the statements the avg read.
    static func readBehind(_ plan: Plan, _ i: Int, _ sql: SQLTranslator, span: Span) throws(QueryError) -> (statements: String, order: String) {
        if case .compare(let c) = plan.steps[i] { return ("SELECT * FROM _fql_s\(sql.openDimensions(c).count)", "_side, _o0") }
        return (try sql.statements(before: i, of: plan, span: span), "_why")
    }

    /// A compare, or an avg not followed at once by its `why` (which SQL answers itself), without keeping its
    /// sources (the backend finds them after), with its keys and columns; nil for any other step.
    static func withoutSources(_ step: Step, whyNext: Bool) -> (Step, [KeyPlan], [Column])? {
        switch step {
        case .compare(var c):
            c.keepSources = false
            return (.compare(c), c.keys, c.columns)
        case .aggregate(var a) where a.keepSources && !whyNext:
            a.keepSources = false
            return (.aggregate(a), a.keys, a.columns)
        default: return nil
        }
    }

    /// The stages after the first compare or avg (not a `why`, which needs the statements): the SQL backends
    /// hand those to the evaluator.
    static func afterFinishedInSwift(_ steps: [Step]) -> ArraySlice<Step> {
        guard let i = firstFinishedInSwift(steps) else { return [] }
        let tail = steps[(i + 1)...]
        return tail.contains { if case .why = $0 { return true } else { return false } } ? [] : tail
    }

    /// `let` names bound so far in this session.
    public var boundNames: [String] { bound.keys.sorted() }

    /// Whether `text` is complete (the REPL asks for more lines until it is).
    public static func isComplete(_ text: String) -> Bool { Lexer.isComplete(text) }

    /// The names a completion may offer: sources, stages, keywords, fields, let names.
    public var vocabulary: [String] {
        Checker.sourceNames + Parser.stageWords + ["let", "by", "within", "vs", "and", "or", "not", "in", "asc", "desc"]
            + FieldRef.allNames + bound.keys.sorted()
    }

    /// The checked plan of one query (for tests of the evaluator's parts).
    func plan(_ text: String) throws(QueryError) -> Plan {
        let parsed = Parser.parse(text)
        if case .failure(let e)? = parsed.first { throw e }
        guard parsed.count == 1, case .success(.query(let p))? = parsed.first else {
            throw QueryError(.unexpected, Span(0, text.utf8.count), "one query is needed here (no let, no second statement)")
        }
        return try Checker.check(p, context)
    }

    private var context: CheckContext {
        CheckContext(catalog: dataset.catalog, units: units, regions: regions, parameters: parameters, bindings: bound)
    }

    private func execute(_ s: ParsedStatement) throws(QueryError) -> Outcome {
        switch s {
        case .bind(let name, let p, let span):
            if Checker.sources[name.lowercased()] != nil || Parser.stageWords.contains(name.lowercased()) {
                throw QueryError(.unexpected, span, "\"\(name)\" is a built-in name; let needs another name")
            }
            _ = try Checker.check(p, context)
            bound[name] = p
            return .bound(name)
        case .query(let p):
            return try outcome(try Checker.check(p, context), span: p.span)
        }
    }

    /// What a checked query gives where the engine's queries run.
    private func outcome(_ plan: Plan, span: Span) throws(QueryError) -> Outcome {
        switch target {
        case .memory: return .table(try evaluator.run(plan, span: span))
        case .sql:
            let sql = SQLTranslator(catalog: dataset.catalog)
            // A why after a compare or an avg: the two steps (Engine's backend case), each said.
            if let e = Self.explainedAfter(plan) {
                let read = try Self.readBehind(plan, e.at, sql, span: span)
                return .sql(Self.shown(e.head, try sql.translate(e.head, span: span).script)
                            + "\n-- then fql runs the stages between it and why, and reads the statements "
                            + "behind the rows left, matching them by their keys:\n" + (try sql.behind(keys: e.keys, statements: read.statements, order: read.order)))
            }
            return .sql(Self.shown(plan, try sql.translate(plan, span: span).script))
        case .backend(let b):
            let sql = SQLTranslator(catalog: dataset.catalog, dialect: b.kind)
            // `why` after a compare, or after an avg and stages after it: the comparison (the sums) on the
            // engine, the stages between here, then the statements behind the rows left, from what the compare
            // or the avg read (SQLBackend.explain), matched by their keys.
            if let e = Self.explainedAfter(plan), case .why(let labels) = plan.steps[e.why] {
                let done = try b.run(try sql.translate(e.head, span: span), span: span, dataset: dataset)
                let t = try evaluator.finish(done, plan.steps[(e.at + 1)..<e.why])
                let read = try Self.readBehind(plan, e.at, sql, span: span)
                var rowsSource = false
                if case .rows = plan.source { rowsSource = true }
                let explained = try b.explain(keys: e.keys, columns: e.columns, t, labels: labels, sql, statements: read.statements,
                                              order: read.order, rowsSource: rowsSource, span: span)
                return .table(try evaluator.finish(explained, plan.steps[(e.why + 1)...]))
            }
            // The stages after a compare or an avg, whose values the backend makes from the engine's sums,
            // run here on that (aggregated) result, as the in-memory engine runs them.
            var head = plan
            let tail = Self.afterFinishedInSwift(plan.steps)
            head.steps.removeLast(tail.count)
            let t = try b.run(try sql.translate(head, span: span), span: span, dataset: dataset)
            return .table(tail.isEmpty ? t : try evaluator.finish(t, tail))
        }
    }
}
