// Checker+Expr.swift — expressions: names resolved to fields or columns,
// literals typed by what they are compared with (a code, a catalogue name, a
// phase's Chinese name, a unit that must exist), node semantics for codes,
// and the index look-ups a `where` allows.

import FiscalData

extension Checker {
    /// A field (over statements) or column (over a table) by name; the FieldRef when it is a field.
    mutating func resolve(_ n: Name) throws(QueryError) -> (CExpr, ValueType, FieldRef?) {
        switch shape {
        case .statements:
            guard let ref = FieldRef.resolve(n.parts) else {
                throw QueryError(.unknownField, n.span, "unknown field \"\(n.text)\"\(suggestion(n.text, among: FieldRef.allNames))")
            }
            ref.field.need(into: &needs)
            if ref.field == .year { namesYear = true }
            return (.field(ref), ref.type, ref)
        case .table(let cols, _):
            let i = try columnIndex(n, cols)
            return (.column(i), cols[i].type, nil)
        }
    }

    /// A checked expression and its type.
    mutating func expression(_ e: Expr) throws(QueryError) -> (CExpr, ValueType) {
        switch e {
        case .number(let n, let span):
            return (.literal(try number(n, span)), n.contains(".") ? .money : .int)
        case .text(let s, _):
            return (.literal(.text(s)), .text)
        case .param(let p, let span):
            let v = try parameter(p, span)
            if let n = Int(v) { return (.literal(.int(n)), .int) }
            if let m = Money(v) { return (.literal(.money(m)), .money) }
            return (.literal(.text(v)), .text)
        case .name(let n):
            let (x, t, _) = try resolve(n)
            return (x, t)
        case .unary("not", let x, _):
            let (c, t) = try expression(x)
            guard t == .bool else { throw QueryError(.typeMismatch, x.span, "not needs a condition, found \(t)") }
            return (.not(c), .bool)
        case .unary(_, let x, let span):
            let (c, t) = try expression(x)
            guard t.isNumeric else { throw QueryError(.typeMismatch, x.span, "\"-\" needs a number, found \(t)") }
            return (.negate(c, span), t)
        case .binary(let op, let l, let r, let span) where op == "and" || op == "or":
            let (a, ta) = try expression(l)
            let (b, tb) = try expression(r)
            for (x, t) in [(l, ta), (r, tb)] where t != .bool {
                throw QueryError(.typeMismatch, x.span, "\(op) needs conditions on both sides, found \(t)")
            }
            _ = span
            return (op == "and" ? .and(a, b) : .or(a, b), .bool)
        case .binary(let op, let l, let r, let span) where ["+", "-", "*", "/"].contains(op):
            let (a, ta) = try expression(l)
            let (b, tb) = try expression(r)
            for (x, t) in [(l, ta), (r, tb)] where !(t == .int || t == .money) {
                throw QueryError(.typeMismatch, x.span, "\"\(op)\" needs numbers, found \(t)")
            }
            let t: ValueType = (ta == .money || tb == .money || op == "/") ? .money : .int
            return (.arithmetic(op, a, b, span), t)
        case .binary(let op, let l, let r, let span):
            return (try comparison(op, l, r, span), .bool)
        case .inList(let x, let items, let negated, let span):
            var out: CExpr?
            for item in items {
                let c = try comparison("=", x, item, span)
                out = out.map { .or($0, c) } ?? c
            }
            return (negated ? .not(out!) : out!, .bool)
        }
    }

    private func number(_ n: String, _ span: Span) throws(QueryError) -> Value {
        if n.contains(".") {
            guard let m = Money(n) else { throw QueryError(.overflow, span, "\(n) does not fit an amount (at most 6 decimals)") }
            return .money(m)
        }
        guard let i = Int(n) else { throw QueryError(.overflow, span, "\(n) is too large") }
        return .int(i)
    }

    private func isLiteral(_ e: Expr) -> Bool {
        switch e {
        case .number, .text, .param: return true
        case .unary("-", .number, _): return true
        default: return false
        }
    }

    /// The text of a literal (or of a bare word that names no field), and whether it is a number.
    private func word(_ e: Expr) throws(QueryError) -> (String, Bool)? {
        switch e {
        case .number(let n, _): return (n, true)
        case .text(let s, _): return (s, false)
        case .param(let p, let span):
            let v = try parameter(p, span)
            return (v, Int(v) != nil)
        case .name(let n) where n.parts.count == 1 && FieldRef.resolve(n.parts) == nil:
            if case .table(let cols, _) = shape, cols.contains(where: { $0.name.lowercased() == n.text.lowercased() }) { return nil }
            return (n.parts[0], false)
        default: return nil
        }
    }

    /// `l op r`, with the literal side typed by the other.
    mutating func comparison(_ op0: String, _ l0: Expr, _ r0: Expr, _ span: Span) throws(QueryError) -> CExpr {
        var (op, l, r) = (op0, l0, r0)
        if isLiteral(l) && !isLiteral(r) {
            (l, r) = (r, l)
            op = ["<": ">", ">": "<", "<=": ">=", ">=": "<="][op] ?? op
            if op == "~" { throw QueryError(.unexpected, span, "put the field on the left of ~ (field ~ \"text\")") }
        }
        // An enumerated field compared with a bare word: the word is a value first (nature = project).
        let (lx, lt) = try expression(l)
        let fieldName: String = { if case .name(let n) = l { return n.text } else { return "the left side" } }()
        switch lt {
        case .code(let scheme):
            guard let (w, isNumber) = try word(r) else {
                let (rx, rt) = try expression(r)
                guard rt == lt, op == "=" || op == "!=" else {
                    throw QueryError(.typeMismatch, r.span, "\(fieldName) is \(lt); it cannot be compared with \(rt)")
                }
                return .compare(op, lx, rx, span)
            }
            if op == "~" { return .codeMatches(lx, w) }
            guard op == "=" || op == "!=" else {
                throw QueryError(.typeMismatch, span, "codes compare with =, !=, in or ~, not \(op)")
            }
            let codes = try codeLiterals(w, isNumber: isNumber, scheme: scheme, r.span)
            if case .field(let ref) = lx, let cf = ref.field.cutField {
                needs.need(cf, depth: codes.map(\.digits).max() ?? 0)
            }
            let x = CExpr.under(lx, codes)
            return op == "=" ? x : .not(x)
        case .enumerated(let kind):
            var w = try word(r)
            if w == nil, case .name(let n) = r, n.parts.count == 1, kind.value(named: n.parts[0]) != nil { w = (n.parts[0], false) }
            guard let (text, isNumber) = w, !isNumber else {
                if let (rx, rt) = try? expression(r), rt == lt, op == "=" || op == "!=" { return .compare(op, lx, rx, span) }
                throw QueryError(.typeMismatch, r.span, "\(fieldName) is \(lt)")
            }
            if op == "~" {
                let hits = kind.members.filter { m in ([m.0] + m.1).contains { $0.holds(text) } }.map(\.0)
                return hits.reduce(CExpr.literal(.bool(false))) { .or($0, .compare("=", lx, .literal(.text($1)), span)) }
            }
            guard op == "=" || op == "!=" else {
                throw QueryError(.typeMismatch, span, "\(fieldName) compares with = , != , in or ~, not \(op)")
            }
            guard let v = kind.value(named: text) else {
                throw QueryError(.unknownValue, r.span,
                                 "unknown \(kind.rawValue) \"\(text)\"\(suggestion(text, among: kind.allNames)) (\(kind.rawValue) is one of \(kind.members.map(\.0).joined(separator: ", ")))")
            }
            return .compare(op, lx, .literal(.text(v)), span)
        case .text:
            if case .name(let n) = r, n.parts.count == 1, try word(r) != nil {
                throw QueryError(.unknownField, r.span, "unknown field \"\(n.text)\"; to compare with text, quote it: \"\(n.text)\"")
            }
            if case .number(let n, _) = r {
                throw QueryError(.typeMismatch, r.span, "\(fieldName) is text; \(n) is a number (quote it to compare as text: \"\(n)\")")
            }
            var text: String?
            var rx: CExpr
            if let (w, _) = try word(r) {
                text = w
                rx = .literal(.text(w))
            } else {
                let (x, rt) = try expression(r)
                guard rt == .text else { throw QueryError(.typeMismatch, r.span, "\(fieldName) is text; the right side is \(rt)") }
                rx = x
            }
            if case .field(let ref) = lx, let text, ref.field == .unit || ref.field == .region {
                try mustExist(text, op: op, among: ref.field == .unit ? ctx.units : ctx.regions, what: ref.field.rawValue, r.span)
            }
            if op == "~" {
                guard let text else { throw QueryError(.typeMismatch, r.span, "~ needs quoted text on its right") }
                return .contains(lx, text)
            }
            return .compare(op, lx, rx, span)
        case .int, .money, .percent:
            if op == "~" { throw QueryError(.typeMismatch, span, "~ matches text; \(fieldName) is \(lt)") }
            let (rx, rt) = try expression(r)
            guard rt.isNumeric else {
                throw QueryError(.typeMismatch, r.span, "\(fieldName) is \(lt); \(describe(r)) is \(rt)")
            }
            return .compare(op, lx, rx, span)
        case .bool:
            throw QueryError(.typeMismatch, l.span, "a condition cannot be compared with \(op); combine conditions with and/or")
        }
    }

    private func describe(_ e: Expr) -> String {
        switch e {
        case .text(let s, _): return "\"\(s)\""
        case .number(let n, _): return n
        case .param(let p, _): return "$\(p)"
        default: return "the right side"
        }
    }

    /// Codes meant by a literal: digits as a code of `scheme`, or a catalogue name.
    private func codeLiterals(_ w: String, isNumber: Bool, scheme: CodeScheme?, _ span: Span) throws(QueryError) -> [Code] {
        if isNumber || w.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let c = scheme.map { Code(w, scheme: $0) } ?? Code(inferring: w)
            guard let c else {
                let shape = scheme == .function ? "3, 5 or 7 digits" : "3 or 5 digits"
                throw QueryError(.unknownValue, span, "\(w) is not a \(scheme?.key ?? "classification") code (\(shape))")
            }
            return [c]
        }
        let found = ctx.catalog.codes(named: w, scheme: scheme)
        guard found.isEmpty else { return found }
        let names = ctx.catalog.allEntries.filter { scheme == nil || $0.code.scheme == scheme }.map(\.name)
        throw QueryError(.unknownValue, span, "the catalogue has no \(scheme?.key ?? "") code named \"\(w)\"\(suggestion(w, among: names))"
                            .replacingOccurrences(of: "no  code", with: "no code"))
    }

    /// A unit or region named in a condition must exist: a misspelt name is an error listing the near miss.
    private func mustExist(_ text: String, op: String, among names: [String], what: String, _ span: Span) throws(QueryError) {
        switch op {
        case "=", "!=":
            if Self.sortedNames(names, contain: text) || names.contains(text) { return }
            let partial = names.filter { $0.holds(text) }
            let hint = partial.isEmpty ? suggestion(text, among: names) : "; to match part of a name use ~ (\(what) ~ \"\(text)\")"
            throw QueryError(.unknownValue, span, "no \(what) is named \"\(text)\"\(hint)")
        case "~":
            if names.contains(where: { $0.holds(text) }) { return }
            let near = names.compactMap { nearWindow(text, in: $0) }.first
            let hint = near.map { "; did you mean \"\($0)\"?" } ?? ""
            throw QueryError(.unknownValue, span,
                             "no \(what) matches \"\(text)\"\(hint) (\(what)s: \(names.joined(separator: ", ")))")
        default: return
        }
    }

    /// Whether `names`, sorted (the units and regions are), hold `text`: a binary search, a dozen comparisons
    /// of Chinese names instead of thousands (each normalises the text). A list not sorted may answer false
    /// for a name it holds; the caller then asks the list itself.
    static func sortedNames(_ names: [String], contain text: String) -> Bool {
        var lo = 0, hi = names.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if names[mid] < text { lo = mid + 1 } else { hi = mid }
        }
        return lo < names.count && names[lo] == text
    }

    /// A part of `name` as long as `text` and at most one edit away from it.
    private func nearWindow(_ text: String, in name: String) -> String? {
        let t = Array(text), n = Array(name)
        guard !t.isEmpty, n.count >= t.count else { return nil }
        for i in 0...(n.count - t.count) where editDistance(Array(n[i..<i + t.count]), t) <= max(1, t.count / 4) {
            return String(n[i..<i + t.count])
        }
        return nil
    }

    // MARK: index look-ups

    /// Records what the store's indexes can answer from the conjuncts of `e`.
    mutating func addPrefilter(_ e: CExpr) {
        switch e {
        case .and(let a, let b):
            addPrefilter(a); addPrefilter(b)
        case .compare("=", .field(let ref), .literal(let v), _) where !ref.named:
            switch (ref.field, v) {
            case (.unit, .text(let u)): prefilter.units = (prefilter.units ?? [u]).intersection([u])
            case (.year, .int(let y)): prefilter.years = (prefilter.years ?? [y]).intersection([y])
            case (.phase, .text(let p)):
                let s: Set<Phase> = [Phase(rawValue: p)!]
                prefilter.phases = (prefilter.phases ?? s).intersection(s)
            case (.measure, .text(let m)):
                let s: Set<Measure> = [Measure(rawValue: m)!]
                prefilter.measures = (prefilter.measures ?? s).intersection(s)
            default: break
            }
        case .contains(.field(let ref), let text) where ref.field == .unit && !ref.named:
            let s = Set(ctx.units.filter { $0.holds(text) })
            prefilter.units = (prefilter.units ?? s).intersection(s)
        case .under(.field(let ref), let codes) where ref.field == .function && !ref.named:
            if prefilter.functionNodes == nil { prefilter.functionNodes = codes }
        default: break
        }
    }
}

