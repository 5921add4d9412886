// Lexer.swift — FQL text to tokens, each with its byte span.
//
// Words are ASCII letters, digits and `_` or CJK characters (支出, 决算 are
// keywords too); numbers are digits with an optional fraction; text is
// double-quoted with `\"` and `\\` escapes; `--` runs to the end of the line.
// Full-width punctuation typed with a Chinese input method (，（）｜＝；) is
// read as its ASCII form. Newlines become `newline` tokens only where they
// end a statement (language.md, "Shape"): not after `|`, not inside
// brackets, and not before a line that starts with `|`.

/// A half-open range of UTF-8 byte offsets into the query text.
public struct Span: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) { self.start = start; self.end = end }

    func to(_ other: Span) -> Span { Span(min(start, other.start), max(end, other.end)) }
}

enum TokenKind: Hashable {
    case word(String)
    case number(String)
    case text(String)
    case param(String)
    case symbol(String)   // | ; ( ) , . = != < <= > >= ~ + - * /
    case newline
    case end
}

struct Token: Hashable {
    let kind: TokenKind
    let span: Span

    /// The word lower-cased, for keyword tests (keywords are case-insensitive).
    var keyword: String? { if case .word(let w) = kind { return w.lowercased() } else { return nil } }

    func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
}

enum Lexer {
    /// Tokens of `text`; throws at the first character no token can start with.
    static func tokens(_ text: String) throws(QueryError) -> [Token] {
        let chars = Array(text.unicodeScalars)
        var offsets: [Int] = []   // byte offset of each scalar, plus the end
        offsets.reserveCapacity(chars.count + 1)
        var b = 0
        for c in chars { offsets.append(b); b += UTF8.width(c) }
        offsets.append(b)

        var out: [Token] = []
        var depth = 0
        var i = 0
        func span(_ from: Int, _ to: Int) -> Span { Span(offsets[from], offsets[to]) }

        while i < chars.count {
            let c = normalise(chars[i])
            let start = i
            if c == "\n" {
                i += 1
                out.append(Token(kind: .newline, span: span(start, i)))
                continue
            }
            if c == " " || c == "\t" || c == "\r" || c == "\u{3000}" { i += 1; continue }
            if c == "-" && i + 1 < chars.count && normalise(chars[i + 1]) == "-" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" || c == "“" || c == "”" {
                let curly = c != "\""
                i += 1
                var s: [UInt8] = []   // the text's UTF-8, escapes read
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    // A control character (a NUL, an escape) is no part of any name or text the data holds, and
                    // would reach the terminal or a C string as it is: refused where it stands.
                    let at = d == "\\" && i + 1 < chars.count ? i + 1 : i
                    if chars[at].value < 0x20 && !["\n", "\r", "\t"].contains(chars[at]) || chars[at].value == 0x7F {
                        let hex = String(chars[at].value, radix: 16, uppercase: true)
                        throw QueryError(.unexpected, span(at, at + 1),
                                         "text holds a control character (U+\(String(repeating: "0", count: 4 - hex.count) + hex)); remove it")
                    }
                    if d == "\\" && c == "\"" && i + 1 < chars.count {
                        let e = chars[i + 1]
                        append(e == "n" ? "\n" : (e == "t" ? "\t" : e), to: &s)
                        i += 2
                        continue
                    }
                    if curly ? d == "”" || d == "“" : d == "\"" { closed = true; i += 1; break }
                    if d == "\n" { break }
                    append(d, to: &s)
                    i += 1
                }
                if !closed {
                    throw QueryError(.unterminatedText, span(start, start + 1), "text starting here has no closing \"")
                }
                out.append(Token(kind: .text(String(decoding: s, as: UTF8.self)), span: span(start, i)))
                continue
            }
            if isDigit(c) {
                while i < chars.count && isDigit(normalise(chars[i])) { i += 1 }
                if i + 1 < chars.count && normalise(chars[i]) == "." && isDigit(normalise(chars[i + 1])) {
                    i += 1
                    while i < chars.count && isDigit(normalise(chars[i])) { i += 1 }
                }
                if i < chars.count && isWordChar(normalise(chars[i])) && !isDigit(normalise(chars[i])) {
                    var j = i
                    while j < chars.count && isWordChar(normalise(chars[j])) { j += 1 }
                    throw QueryError(.unexpected, span(start, j), "\"\(String(String.UnicodeScalarView(chars[start..<j])))\" is neither a number nor a name")
                }
                let digits = string(chars[start..<i])
                out.append(Token(kind: .number(digits), span: span(start, i)))
                continue
            }
            if c == "$" {
                i += 1
                while i < chars.count && isWordChar(chars[i]) { i += 1 }
                if i == start + 1 { throw QueryError(.unexpected, span(start, i), "expected a parameter name after $") }
                out.append(Token(kind: .param(String(String.UnicodeScalarView(chars[start + 1..<i]))), span: span(start, i)))
                continue
            }
            if isWordChar(c) {
                while i < chars.count && isWordChar(normalise(chars[i])) { i += 1 }
                out.append(Token(kind: .word(string(chars[start..<i])), span: span(start, i)))
                continue
            }
            if i + 1 < chars.count, "!<>".unicodeScalars.contains(c) {
                let d = normalise(chars[i + 1])
                if d == "=" || (c == "<" && d == ">") {
                    i += 2
                    out.append(Token(kind: .symbol(d == ">" ? "!=" : String(c) + "="), span: span(start, i)))
                    continue
                }
            }
            if "|;(),.=<>~+-*/".unicodeScalars.contains(c) {
                i += 1
                if c == "(" { depth += 1 }
                if c == ")" { depth = max(0, depth - 1) }
                out.append(Token(kind: .symbol(String(c)), span: span(start, i)))
                continue
            }
            throw QueryError(.unexpected, span(start, start + 1), "unexpected character \"\(String(chars[i]))\"")
        }
        out.append(Token(kind: .end, span: span(chars.count, chars.count)))
        return joinContinuedLines(out)
    }

    /// Drops newlines that do not end a statement: after `|`, inside brackets, before a line starting with `|`,
    /// and blank lines' repeats.
    static func joinContinuedLines(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        var depth = 0
        for (k, t) in tokens.enumerated() {
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") { depth = max(0, depth - 1) }
            if t.kind == .newline {
                if depth > 0 { continue }
                if let prev = out.last, prev.isSymbol("|") || prev.kind == .newline { continue }
                if out.isEmpty { continue }
                let next = tokens[(k + 1)...].first { $0.kind != .newline }
                if let next, next.isSymbol("|") { continue }
            }
            out.append(t)
        }
        return out
    }

    /// Whether `text` is a complete input: no open bracket or text, and not ending in `|` or `,`
    /// (the REPL shows a continuation prompt until it is).
    public static func isComplete(_ text: String) -> Bool {
        do {
            let ts = try tokens(text).filter { $0.kind != .newline && $0.kind != .end }
            var depth = 0
            for t in ts {
                if t.isSymbol("(") { depth += 1 }
                if t.isSymbol(")") { depth -= 1 }
            }
            if depth > 0 { return false }
            if let last = ts.last, last.isSymbol("|") || last.isSymbol(",") || last.isSymbol("=") { return false }
            return true
        } catch {
            // Text in quotes may go on over lines; an empty line after it ends the statement (it then
            // fails, with the place of the quote) rather than waiting for a quote forever.
            return error.kind != .unterminatedText || text.hasSuffix("\n\n")
        }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// The scalars, each read as `normalise` reads it, as a String.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for c in scalars { append(normalise(c), to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ c: Unicode.Scalar, to bytes: inout [UInt8]) {
        UTF8.encode(c) { bytes.append($0) }
    }

    static func isWordChar(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || isDigit(c) || c == "_" || isCJK(c)
    }

    static func isCJK(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x2FFFF).contains(v)
    }

    /// Full-width forms typed with a Chinese input method, read as ASCII.
    static func normalise(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c {
        case "，": return ","
        case "（": return "("
        case "）": return ")"
        case "｜": return "|"
        case "；": return ";"
        case "＝": return "="
        case "～": return "~"
        default:
            if (0xFF10...0xFF19).contains(c.value) || (0xFF21...0xFF3A).contains(c.value) || (0xFF41...0xFF5A).contains(c.value) {
                return Unicode.Scalar(c.value - 0xFEE0)!
            }
            return c
        }
    }
}
