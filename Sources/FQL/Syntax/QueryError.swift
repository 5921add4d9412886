// QueryError.swift — every error a query can meet, as a value with its kind,
// its byte span and its message; rendered to text in one place (`render`),
// with the line and column, the source line and a caret under the span.
// Line and column are computed only here, when the error is shown.

import FiscalData

/// What went wrong, as a kind tests and embedders can match on.
public enum QueryErrorKind: String, Sendable, Hashable {
    case unexpected          // a token the grammar does not allow here
    case unterminatedText
    case unknownSource
    case unknownField
    case unknownValue        // a name the catalogue, the units or an enum does not know
    case typeMismatch
    case unsetParameter
    case mixedAggregate      // summing across measures or phases
    case noCut               // no document gives these fields together
    case overflow
    case tooDeep             // nesting beyond the parser's limit
    case interrupted         // stopped by the embedder's `shouldStop` (Ctrl-C in the REPL)
    case unsupported         // no SQL translation yet (FQL → SQL, for another engine)
    case engine              // another engine failed to run the SQL
}

/// A query error: kind, place and message, plus an optional suggestion.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public let kind: QueryErrorKind
    public let span: Span
    public let message: String

    init(_ kind: QueryErrorKind, _ span: Span, _ message: String) {
        self.kind = kind
        self.span = span
        self.message = message
    }

    public var description: String { message }

    /// Line and column (1-based, in characters) of the span's start in `source`.
    public func location(in source: String) -> (line: Int, column: Int) {
        let bytes = Array(source.utf8)
        let start = min(span.start, bytes.count)
        var line = 1, lineStart = 0
        for k in 0..<start where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
        let prefix = String(decoding: bytes[lineStart..<start], as: UTF8.self)
        return (line, prefix.count + 1)
    }

    /// The error as shown to a person:
    ///
    ///     error: line 1, column 15: unknown field "untt"; did you mean "unit"?
    ///       final | where untt ~ "蔡甸"
    ///                     ^^^^
    public func render(source: String) -> String {
        let bytes = Array(source.utf8)
        let start = min(span.start, bytes.count)
        let (line, column) = location(in: source)
        var lineStart = start
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let text = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let before = String(decoding: bytes[lineStart..<start], as: UTF8.self)
        let end = max(start, min(span.end, lineEnd))
        let marked = String(decoding: bytes[start..<end], as: UTF8.self)
        let pad = String(repeating: " ", count: displayWidth(before.shown()))
        let carets = String(repeating: "^", count: max(1, displayWidth(marked.shown())))
        return "error: line \(line), column \(column): \(visible(message, all: false))\n  \(text.shown())\n  \(pad)\(carets)"
    }
}

extension String {
    /// A line of the query as an error shows it: tabs as spaces, control characters made visible (a NUL
    /// would end the message where C prints it).
    fileprivate func shown() -> String {
        visible(String(map { $0 == "\t" ? " " : $0 }), all: false)
    }
}

/// The candidate nearest to `word` by edit distance, if near enough to be a likely slip
/// (also the CLI's suggestion for a misspelt meta command).
public func nearMiss(_ word: String, among candidates: [String]) -> String? {
    // A near miss is at most 3 edits away, so a word much longer than every candidate has none: a
    // megabyte of text is not compared letter by letter with each name (linear time on any input).
    guard word.count <= 64 else { return nil }
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates where abs(c.count - w.count) <= 3 {
        let d = editDistance(w, Array(c.lowercased()))
        let limit = max(1, min(3, (max(w.count, c.count) + 1) / 3))
        if d <= limit && (best == nil || d < best!.1) { best = (c, d) }
    }
    return best?.0
}

/// Levenshtein distance with adjacent transpositions counted as one edit (`fianl` → `final`).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            }
        }
        prev2 = prev
        prev = cur
    }
    return prev[b.count]
}

/// "; did you mean "x"?" or "".
func suggestion(_ word: String, among candidates: [String]) -> String {
    nearMiss(word, among: candidates).map { "; did you mean \"\($0)\"?" } ?? ""
}
