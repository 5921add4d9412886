// Parser.swift — tokens to statements: a hand-written recursive-descent
// parser, one function per production of the grammar below, a nesting limit,
// and every loop consuming a token or leaving.
//
//   program   := stmt? ((newline | ';') stmt?)*
//   stmt      := 'let' NAME '=' pipeline | pipeline
//   pipeline  := name ('|' stage)*
//   stage     := 'where' expr | AGG expr? ('by' names)? | 'count' ('by' names)?
//              | 'compare' primary 'vs' primary ('by' names)? | 'share' ('within' names)?
//              | 'sort' name ('asc'|'desc')? (',' …)* | 'limit' primary | 'top' primary
//              | 'select' names | 'chart' name?
//   expr      := and ('or' and)*        and := not ('and' not)*      not := 'not' not | cmp
//   cmp       := add (OP add | 'not'? 'in' '(' expr (',' expr)* ')')?
//   add       := mul (('+'|'-') mul)*   mul := unary (('*'|'/') unary)*
//   unary     := '-' unary | primary    primary := NUMBER | TEXT | $NAME | name | '(' expr ')'
//   name      := WORD ('.' WORD)?
//
// A statement that fails to parse is reported and skipped to its end, so a
// script's later statements still run (as in sqlite3).

struct Parser {
    private let tokens: [Token]
    private var pos = 0
    private var depth = 0
    /// Binary operators so far in the statement (a bound on how deep any of its expression trees gets).
    private var operators = 0
    static let maxDepth = 64
    /// The most terms one chain of the same operators may join (a or b or c …): the checker and the
    /// evaluator walk a chain as deep as it is long.
    static let maxTerms = 256

    static let stageWords = ["where", "sum", "count", "avg", "min", "max", "compare", "share", "sort", "limit", "top", "select", "chart", "why"]

    /// Each statement of `text`, parsed or with its error, in order.
    static func parse(_ text: String) -> [Result<ParsedStatement, QueryError>] {
        // A lexical error ends its own statement, not the script: the lines of that statement are blanked
        // (byte for byte, so that every place stays where it was) and the rest is lexed again.
        var bytes = Array(text.utf8)
        var placed: [(Int, Result<ParsedStatement, QueryError>)] = []   // (byte offset, outcome)
        var tokens: [Token] = []
        while true {
            do {
                tokens = try Lexer.tokens(String(decoding: bytes, as: UTF8.self))
                break
            } catch {
                placed.append((error.span.start, .failure(error)))
                let (a, b) = statementBytes(bytes, around: min(error.span.start, max(0, bytes.count - 1)))
                guard a < b else { return placed.map(\.1) }
                for i in a..<b where bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
            }
        }
        var p = Parser(tokens: tokens)
        while true {
            p.skipSeparators()
            if p.peek.kind == .end { break }
            let before = p.pos
            p.operators = 0
            do throws(QueryError) {
                let s = try p.statement()
                if !p.atSeparator {
                    throw p.unexpected("expected \"|\" or the end of the statement")
                }
                placed.append((tokens[before].span.start, .success(s)))
            } catch {
                placed.append((tokens[before].span.start, .failure(error)))
                while !p.atSeparator { p.pos += 1 }
            }
            if p.pos == before { p.pos += 1 }
        }
        return placed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
    }

    /// The bytes of the statement around `offset`: its line, the lines before it that it continues (a
    /// line starting with "|" goes on from the one above), and the lines after it that continue it.
    private static func statementBytes(_ bytes: [UInt8], around offset: Int) -> (Int, Int) {
        let nl = UInt8(ascii: "\n")
        func lineStart(_ i: Int) -> Int { var k = i; while k > 0 && bytes[k - 1] != nl { k -= 1 }; return k }
        func lineEnd(_ i: Int) -> Int { var k = i; while k < bytes.count && bytes[k] != nl { k += 1 }; return k }
        func continues(_ start: Int) -> Bool {
            var k = start
            while k < bytes.count, bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t") { k += 1 }
            return k < bytes.count && bytes[k] == UInt8(ascii: "|")
        }
        var a = lineStart(offset)
        while a > 0 && continues(a) { a = lineStart(a - 1) }
        var b = lineEnd(offset)
        while b < bytes.count && continues(b + 1) { b = lineEnd(b + 1) }
        return (a, b)
    }

    init(tokens: [Token]) { self.tokens = tokens }

    private var peek: Token { tokens[pos] }
    private var atSeparator: Bool { peek.kind == .newline || peek.kind == .end || peek.isSymbol(";") }

    private mutating func skipSeparators() {
        while peek.kind == .newline || peek.isSymbol(";") { pos += 1 }
    }

    private mutating func advance() -> Token {
        let t = tokens[pos]
        if t.kind != .end { pos += 1 }
        return t
    }

    private func isKeyword(_ w: String) -> Bool { peek.keyword == w }

    private mutating func accept(_ w: String) -> Token? {
        if isKeyword(w) || peek.isSymbol(w) { return advance() }
        return nil
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .word(let w): return "\"\(w)\""
        case .number(let n): return n
        case .text(let s): return "\"\(s)\" (text)"
        case .param(let p): return "$\(p)"
        case .symbol(let s): return "\"\(s)\""
        case .newline: return "the end of the line"
        case .end: return "the end of the query"
        }
    }

    private func unexpected(_ expected: String) -> QueryError {
        QueryError(.unexpected, peek.span, "\(expected), found \(describe(peek))")
    }

    private mutating func expect(_ w: String, _ what: String) throws(QueryError) -> Token {
        if let t = accept(w) { return t }
        throw unexpected("expected \(what)")
    }

    mutating func statement() throws(QueryError) -> ParsedStatement {
        if isKeyword("let") {
            let start = advance().span
            guard case .word(let name) = peek.kind else { throw unexpected("expected a name after let") }
            _ = advance()
            _ = try expect("=", "\"=\" after the name")
            let p = try pipeline()
            return .bind(name, p, start.to(p.span))
        }
        return .query(try pipeline())
    }

    mutating func pipeline() throws(QueryError) -> Pipeline {
        guard case .word = peek.kind else {
            throw unexpected("expected a source (facts, spending, budget, final, income, rows, checks, units, docs, codes)")
        }
        let source = try name()
        var stages: [Stage] = []
        var span = source.span
        while accept("|") != nil {
            let s = try stage()
            stages.append(s)
            span = span.to(s.span)
        }
        return Pipeline(source: source, stages: stages, span: span)
    }

    mutating func name() throws(QueryError) -> Name {
        guard case .word(let w) = peek.kind else { throw unexpected("expected a field name") }
        var span = advance().span
        var parts = [w]
        if peek.isSymbol("."), case .word(let w2) = tokens[pos + 1].kind {
            pos += 1
            span = span.to(advance().span)
            parts.append(w2)
        }
        return Name(parts: parts, span: span)
    }

    mutating func names() throws(QueryError) -> [Name] {
        var out = [try name()]
        while accept(",") != nil { out.append(try name()) }
        return out
    }

    private var atStageEnd: Bool { atSeparator || peek.isSymbol("|") }

    mutating func stage() throws(QueryError) -> Stage {
        guard let word = peek.keyword, Parser.stageWords.contains(word) else {
            let hint: String
            if case .word(let w) = peek.kind { hint = suggestion(w, among: Parser.stageWords) } else { hint = "" }
            throw QueryError(.unexpected, peek.span,
                             "expected a stage (\(Parser.stageWords.joined(separator: ", "))), found \(describe(peek))\(hint)")
        }
        let start = advance().span
        func finish(_ k: StageKind, _ self_: Parser) -> Stage {
            Stage(kind: k, span: start.to(self_.tokens[max(0, self_.pos - 1)].span))
        }
        switch word {
        case "where":
            let e = try expr()
            return finish(.where(e), self)
        case "sum", "avg", "min", "max", "count":
            var e: Expr?
            if word != "count" && !atStageEnd && !isKeyword("by") { e = try expr() }
            var keys: [Name] = []
            if accept("by") != nil { keys = try names() }
            return finish(.aggregate(word, e, keys), self)
        case "compare":
            let a = try primary()
            _ = try expect("vs", "\"vs\" between the two sides of compare (budget vs final, 2023 vs 2024)")
            let b = try primary()
            var keys: [Name] = []
            if accept("by") != nil { keys = try names() }
            return finish(.compare(a, b, keys), self)
        case "share":
            var keys: [Name] = []
            if accept("within") != nil { keys = try names() }
            return finish(.share(keys), self)
        case "sort":
            var keys: [SortKey] = []
            repeat {
                let n = try name()
                var desc = false
                if accept("desc") != nil { desc = true } else { _ = accept("asc") }
                keys.append(SortKey(name: n, descending: desc))
            } while accept(",") != nil
            return finish(.sort(keys), self)
        case "limit", "top":
            let n = try primary()
            return finish(word == "limit" ? .limit(n) : .top(n), self)
        case "select":
            return finish(.select(try names()), self)
        case "why":
            return finish(.why, self)
        default: // chart
            if atStageEnd { return finish(.chart(nil), self) }
            return finish(.chart(try name()), self)
        }
    }

    // MARK: expressions

    mutating func expr() throws(QueryError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            throw QueryError(.tooDeep, peek.span, "expression nested more than \(Parser.maxDepth) deep")
        }
        var l = try andExpr()
        var terms = 1
        while let op = accept("or") {
            try count(&terms, op)
            let r = try andExpr()
            l = .binary("or", l, r, l.span.to(r.span))
        }
        return l
    }

    /// One more term in a chain at `op`; past `maxTerms`, an error at that operator.
    private mutating func count(_ terms: inout Int, _ op: Token) throws(QueryError) {
        terms += 1
        operators += 1
        if terms > Parser.maxTerms {
            throw QueryError(.tooDeep, op.span, "more than \(Parser.maxTerms) terms joined by one operator; use \"in (…)\" for a list of values")
        }
        if operators > Parser.maxTerms * 4 {
            throw QueryError(.tooDeep, op.span, "more than \(Parser.maxTerms * 4) operators in one statement")
        }
    }

    mutating func andExpr() throws(QueryError) -> Expr {
        var l = try notExpr()
        var terms = 1
        while let op = accept("and") {
            try count(&terms, op)
            let r = try notExpr()
            l = .binary("and", l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func notExpr() throws(QueryError) -> Expr {
        if let t = accept("not") {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth { throw QueryError(.tooDeep, t.span, "expression nested more than \(Parser.maxDepth) deep") }
            let e = try notExpr()
            return .unary("not", e, t.span.to(e.span))
        }
        return try comparison()
    }

    mutating func comparison() throws(QueryError) -> Expr {
        let l = try additive()
        for op in ["=", "!=", "<=", ">=", "<", ">", "~"] where peek.isSymbol(op) {
            _ = advance()
            let r = try additive()
            return .binary(op, l, r, l.span.to(r.span))
        }
        var negated = false
        if isKeyword("not"), tokens[pos + 1].keyword == "in" { pos += 1; negated = true }
        if accept("in") != nil {
            _ = try expect("(", "\"(\" after in")
            var items = [try expr()]
            while accept(",") != nil { items.append(try expr()) }
            let close = try expect(")", "\",\" or \")\" in the list")
            return .inList(l, items, negated: negated, l.span.to(close.span))
        }
        return l
    }

    mutating func additive() throws(QueryError) -> Expr {
        var l = try multiplicative()
        var terms = 1
        while peek.isSymbol("+") || peek.isSymbol("-") {
            let op = advance()
            try count(&terms, op)
            let r = try multiplicative()
            l = .binary(op.isSymbol("+") ? "+" : "-", l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func multiplicative() throws(QueryError) -> Expr {
        var l = try unary()
        var terms = 1
        while peek.isSymbol("*") || peek.isSymbol("/") {
            let op = advance()
            try count(&terms, op)
            let r = try unary()
            l = .binary(op.isSymbol("*") ? "*" : "/", l, r, l.span.to(r.span))
        }
        return l
    }

    mutating func unary() throws(QueryError) -> Expr {
        if peek.isSymbol("-") {
            let t = advance()
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth { throw QueryError(.tooDeep, t.span, "expression nested more than \(Parser.maxDepth) deep") }
            let e = try unary()
            return .unary("-", e, t.span.to(e.span))
        }
        return try primary()
    }

    mutating func primary() throws(QueryError) -> Expr {
        let t = peek
        switch t.kind {
        case .number(let n): _ = advance(); return .number(n, t.span)
        case .text(let s): _ = advance(); return .text(s, t.span)
        case .param(let p): _ = advance(); return .param(p, t.span)
        case .word(let w):
            if ["and", "or", "by", "vs", "within", "in"].contains(w.lowercased()) {
                throw unexpected("expected a value")
            }
            return .name(try name())
        case .symbol("("):
            _ = advance()
            let e = try expr()
            _ = try expect(")", "\")\"")
            return e
        default:
            throw unexpected("expected a value")
        }
    }
}
