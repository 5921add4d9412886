// AST.swift — the parsed tree: names as written, every node with its span.
// The checker (Check/) turns it into a plan with resolved fields and types;
// the evaluator never sees this tree.

/// A name as written, possibly dotted (`func.name`).
struct Name: Hashable {
    var parts: [String]
    var span: Span
    var text: String { parts.joined(separator: ".") }
}

indirect enum Expr: Hashable {
    case number(String, Span)
    case text(String, Span)
    case param(String, Span)
    case name(Name)
    case unary(String, Expr, Span)            // "-" or "not"
    case binary(String, Expr, Expr, Span)     // and or = != < <= > >= ~ + - * /
    case inList(Expr, [Expr], negated: Bool, Span)

    var span: Span {
        switch self {
        case .number(_, let s), .text(_, let s), .param(_, let s), .unary(_, _, let s),
             .binary(_, _, _, let s), .inList(_, _, _, let s):
            return s
        case .name(let n): return n.span
        }
    }
}

struct SortKey: Hashable {
    var name: Name
    var descending: Bool
}

enum StageKind: Hashable {
    case `where`(Expr)
    case aggregate(String, Expr?, [Name])       // sum avg min max count
    case compare(Expr, Expr, [Name])
    case share([Name])
    case sort([SortKey])
    case limit(Expr)
    case top(Expr)
    case select([Name])
    case chart(Name?)
    case why
}

struct Stage: Hashable {
    var kind: StageKind
    var span: Span
}

struct Pipeline: Hashable {
    var source: Name
    var stages: [Stage]
    var span: Span
}

enum ParsedStatement: Hashable {
    case query(Pipeline)
    case bind(String, Pipeline, Span)
}
