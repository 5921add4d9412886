// Plan.swift — the checked tree the evaluator runs: sources, steps and
// expressions with fields resolved, literals typed and codes resolved to
// catalogue nodes. Nothing here holds a name as written.

import FiscalData

/// A checked expression.
indirect enum CExpr {
    case literal(Value)
    case field(FieldRef)            // of a statement
    case column(Int)                // of a table row
    case under(CExpr, [Code])       // node semantics: the code is one of these or lies under one
    case compare(String, CExpr, CExpr, Span)
    case contains(CExpr, String)    // `~` on text
    case codeMatches(CExpr, String) // `~` on a code: its digits or its catalogue name contain the text
    case and(CExpr, CExpr)
    case or(CExpr, CExpr)
    case not(CExpr)
    case arithmetic(String, CExpr, CExpr, Span)
    case negate(CExpr, Span)
}

/// The source rows of a pipeline.
enum SourcePlan {
    /// Facts (cut-selected statements), optionally one measure and phase.
    case facts(measure: Measure?, phase: Phase?)
    /// Every statement as read.
    case rows
    case checks, units, docs, codes
}

/// A group key: how to read it and what to call it.
struct KeyPlan {
    let expr: CExpr
    let name: String
    let type: ValueType
    /// For a code key over statements, the catalogue name column that follows it.
    let withName: Bool

    /// Where each of `keys` stands in a result that lists them first, each code key's name after it.
    static func positions(_ keys: [KeyPlan]) -> [Int] {
        var at: [Int] = [], n = 0
        for k in keys { at.append(n); n += k.withName ? 2 : 1 }
        return at
    }
}

enum AggregateKind: String { case sum, avg, min, max, count }

struct AggregatePlan {
    let kind: AggregateKind
    let value: CExpr?
    let valueType: ValueType
    let keys: [KeyPlan]
    let span: Span
    /// Over statements: whether mixing measures or phases in a group is an error.
    let guardsMixing: Bool
    /// Over statements: the result ends with a `note` column marking derived, remainder and total-only figures.
    let marks: Bool
    /// Keep each group's statements for a later `why`.
    var keepSources = false
    /// The result's columns: the keys (with names after code keys), the aggregate, and `note` with `marks`.
    let columns: [Column]
    var valueIndex: Int { columns.count - (marks ? 2 : 1) }
}

enum CompareSides {
    case phases(Phase, Phase)
    case years(Int, Int)
    /// Two units: as written (the column names) and the unit each names.
    case units(String, String, String, String)
}

struct ComparePlan {
    let sides: CompareSides
    let keys: [KeyPlan]
    let span: Span
    /// The result's columns: keys, side A, side B, diff, pct, rate when final meets a budget, and `note`.
    let columns: [Column]
    /// Whether the result has `rate`.
    let withRate: Bool
    /// Keep each row's statements for a later `why`.
    var keepSources = false
    /// The index of side B (the default value column).
    var valueIndex: Int { columns.count - (withRate ? 5 : 4) }
}

enum Step {
    case filter(CExpr)
    case aggregate(AggregatePlan)
    case compare(ComparePlan)
    /// Statements to a table of these fields; `prune` drops columns that are null throughout.
    case tabulate([FieldRef], prune: Bool)
    case select([Int])
    case share(value: Int, within: [Int])
    case sortStatements([(FieldRef, Bool)])
    case sortTable([(Int, Bool)])
    case limit(Int)
    case chart(Int)
    /// Each row's statements, after the row's label columns (these indexes).
    case why([Int])
}

/// A checked pipeline, ready to run.
struct Plan {
    var source: SourcePlan
    var steps: [Step]
    var needs: FactNeeds
    /// Whether the query names `year`; when not, a year known only from derived figures is left out.
    var namesYear: Bool
    /// Index look-ups implied by the first `where` (see Evaluator+Prefilter).
    var prefilter: Prefilter
    /// What the result's columns will be (for checking later stages).
    var columns: [Column]

    /// The first comparison of the pipeline, whose sides decide which groups are read and cut alike.
    var firstCompare: ComparePlan? {
        steps.lazy.compactMap { step -> ComparePlan? in if case .compare(let c) = step { return c } else { return nil } }.first
    }
}

/// Row restrictions that the store's indexes can answer.
struct Prefilter {
    var units: Set<String>?
    var years: Set<Int>?
    var phases: Set<Phase>?
    var measures: Set<Measure>?
    var functionNodes: [Code]?
}

/// The column of marks (FigureMark) that aggregates and comparisons of statements end with; dropped from
/// the result where no row has one, and always printed last.
let noteColumn = Column(name: "note", type: .text)

/// A column of a result.
public struct Column: Hashable, Sendable {
    public let name: String
    public let type: ValueType

    public init(name: String, type: ValueType) { self.name = name; self.type = type }
}

/// What summing a listed row must know of the statement it came from: its phase and measure, and, for a
/// statement of `rows`, its level and table (rows repeat money: totals, and one figure in several tables).
struct RowOrigin: Sendable, Hashable {
    let phase: Phase
    let measure: Measure
    /// Document and table, for a statement of `rows`; nil for a fact.
    let table: String?
    let level: RowLevel

    init(_ s: FiscalData.Statement, fromRows: Bool) {
        phase = s.phase
        measure = s.measure
        table = fromRows ? s.doc + " " + s.table : nil
        level = s.level
    }

    /// For a row of an aggregate over facts, which held these.
    init(phase: Phase, measure: Measure, table: String? = nil, level: RowLevel = .leaf) {
        self.phase = phase
        self.measure = measure
        self.table = table
        self.level = level
    }
}

/// A result table: typed columns and rows of values.
public struct Table: Sendable {
    public var columns: [Column]
    public var rows: [[Value]]
    /// The column `top`, `share` and `chart` use by default (the amount, or compare's later side).
    public var valueColumn: Int?
    /// Drop columns that are null in every row (statement listings without `select`).
    var prunable = false
    /// Set by `chart`: the column to draw.
    public var chartColumn: Int?
    /// For a listing of statements (`select` before `sum`): each row's phase and measure, so that summing
    /// the listing is guarded like summing the statements; nil for any other table.
    var origins: [RowOrigin]? = nil
    /// What a reader must know to read the result right (a scope both sides were limited to, money a
    /// filter left out); printed after a table, on stderr beside CSV and JSON.
    public var notes: [String] = []
    /// For the rows of an aggregate or comparison a `why` will explain: the statements behind each row.
    var sources: [[FiscalData.Statement]]? = nil
    /// What the amounts count when they are no money (辆 for vehicles): whole numbers, printed without
    /// decimals and said after the table instead of 万元; nil for money.
    public var countUnit: String? = nil

    /// The table with only these columns, in this order.
    func keepingColumns(_ keep: [Int]) -> Table {
        var out = Table(columns: keep.map { columns[$0] }, rows: rows.map { r in keep.map { r[$0] } },
                        valueColumn: valueColumn.flatMap { keep.firstIndex(of: $0) })
        out.chartColumn = chartColumn.flatMap { keep.firstIndex(of: $0) }
        out.origins = origins
        out.sources = sources
        out.notes = notes
        out.prunable = prunable
        out.countUnit = countUnit
        return out
    }

    /// The table as a person reads it: a statement listing without the columns no row fills (but `amount`
    /// and `unit`), and no `note` column when no row has a mark. csv, tsv and json keep every column, so a
    /// query's columns never depend on its data.
    var forDisplay: Table {
        let keep = columns.indices.filter { c in
            let filled = rows.contains { !$0[c].isNull }
            if columns[c] == noteColumn { return filled }
            return rows.isEmpty || !prunable || filled || columns[c].name == "amount" || columns[c].name == "unit"
        }
        return keep.count == columns.count ? self : keepingColumns(keep)
    }

    /// The table with only these rows, in this order; what belongs to each row follows it.
    func keeping(_ index: [Int]) -> Table {
        var t = self
        t.rows = index.map { rows[$0] }
        t.origins = origins.map { o in index.map { o[$0] } }
        t.sources = sources.map { o in index.map { o[$0] } }
        return t
    }

    public init(columns: [Column], rows: [[Value]], valueColumn: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.valueColumn = valueColumn
    }
}
