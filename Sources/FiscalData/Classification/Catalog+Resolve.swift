// Catalog+Resolve.swift — from what a document prints to a code: name paths
// such as 社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项），
// and codes that lost a digit in extraction (201035 under 20103 → 2010350,
// 3010 beside 基本工资 → 30101). Each answer says how it was reached.

/// Why a name or a damaged code could not be resolved.
public enum ResolveError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyPath(String)
    case unknownName(name: String, level: CodeLevel, under: Code?)
    case ambiguous(name: String, candidates: [Code])
    case noCandidate(digits: String, name: String, under: Code?)

    public var description: String {
        switch self {
        case let .emptyPath(text): return "no （类）/（款）/（项） name path in \"\(text)\""
        case let .unknownName(name, level, under):
            return "no \(level.chinese) named \"\(name)\"" + (under.map { " under \($0)" } ?? "") + " in the catalogue"
        case let .ambiguous(name, candidates):
            return "\"\(name)\" could be any of \(candidates.map(\.text).joined(separator: ", "))"
        case let .noCandidate(digits, name, under):
            return "no catalogue code fits the damaged code \(digits) named \"\(name)\""
                + (under.map { " under \($0)" } ?? "")
        }
    }
}

/// A code resolved from document text, with notes on any leniency used.
public struct Resolution: Sendable, Equatable {
    public let code: Code
    /// Empty when the match was exact; otherwise what was assumed ("read 一般公共服务 as 一般公共服务支出").
    public let notes: [String]
}

extension Catalog {
    /// Resolves a functional name path (类 name, then 款, then 项, each marked （类）（款）（项）,
    /// full- or half-width) to the deepest code it names.
    public func resolve(namePath text: String) -> Result<Resolution, ResolveError> {
        let segments = splitNamePath(foldName(text))
        guard !segments.isEmpty else { return .failure(.emptyPath(text)) }
        var current: Code? = nil
        var notes: [String] = []
        for (name, level) in segments {
            let pool = current.map { children(of: $0) }
                ?? allEntries.filter { $0.code.scheme == .function && $0.code.level == .class }.map(\.code)
            let atLevel = pool.filter { $0.level == level }
            var hits = atLevel.filter { foldName(self.name(of: $0) ?? "") == name }
            if hits.isEmpty, level == .class {
                // Prose often drops the 支出 of a class name: 一般公共服务（类）.
                hits = atLevel.filter { foldName(self.name(of: $0) ?? "") == name + "支出" }
                if hits.count == 1 { notes.append("read \(name)（类） as \(self.name(of: hits[0])!)") }
            }
            guard hits.count == 1 else {
                return .failure(hits.isEmpty ? .unknownName(name: name, level: level, under: current)
                                             : .ambiguous(name: name, candidates: hits))
            }
            current = hits[0]
        }
        return .success(Resolution(code: current!, notes: notes))
    }

    /// Repairs a code that lost a digit, from the name printed beside it and, where known, its parent.
    ///
    /// A candidate is a catalogue code one level below what the damaged digits could be,
    /// of the same scheme, under `parent` when given, whose name matches `name` (or begins
    /// with it, when the document cut the name short), and from which deleting one digit
    /// gives `digits`. Exactly one candidate is a repair; none or several is an error.
    public func repair(digits: String, name: String, scheme: CodeScheme, under parent: Code?) -> Result<Resolution, ResolveError> {
        guard let target = scheme.levelDigits.first(where: { $0 > digits.count }) else {
            return .failure(.noCandidate(digits: digits, name: name, under: parent))
        }
        let folded = foldName(name)
        let pool = parent.map { children(of: $0) } ?? allEntries.map(\.code).filter { $0.scheme == scheme }
        let fits = pool.filter { c in
            guard c.scheme == scheme, c.digits == target, isOneDigitShort(digits, of: c.text) else { return false }
            return parent.map { $0.contains(c) } ?? true
        }
        var named = fits.filter { foldName(self.name(of: $0) ?? "") == folded }
        var note = "repaired code \(digits) \(name) to "
        if named.isEmpty, folded.count >= 4 {
            named = fits.filter { foldName(self.name(of: $0) ?? "").hasPrefix(folded) }
            note = "repaired code \(digits) with the cut-off name \(name) to "
        }
        guard named.count == 1 else {
            return .failure(named.isEmpty ? .noCandidate(digits: digits, name: name, under: parent)
                                          : .ambiguous(name: name, candidates: named))
        }
        return .success(Resolution(code: named[0], notes: [note + "\(named[0]) \(self.name(of: named[0])!)"]))
    }
}

/// Splits a folded name path into (name, level) pairs at the markers (类), (款), (项).
func splitNamePath(_ folded: String) -> [(String, CodeLevel)] {
    var out: [(String, CodeLevel)] = []
    var rest = Substring(folded)
    while true {
        var best: (Range<Substring.Index>, CodeLevel)? = nil
        for level in [CodeLevel.class, .section, .item] {
            if let r = rest.range(of: "(\(level.chinese))"), best == nil || r.lowerBound < best!.0.lowerBound {
                best = (r, level)
            }
        }
        guard let (range, level) = best else { break }
        var name = String(rest[..<range.lowerBound])
        // A 类 name is all Han characters; what comes before it (list numbering, prose) is not the name.
        if out.isEmpty { name = trailingHan(name) }
        out.append((name, level))
        rest = rest[range.upperBound...]
    }
    return out
}

/// The trailing run of Han characters of `s`: a 类 name without the prose or list marker before it.
func trailingHan(_ s: String) -> String {
    String(s.reversed().prefix { ch in
        ch.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }.reversed())
}

/// True when deleting exactly one digit from `full` gives `short`.
func isOneDigitShort(_ short: String, of full: String) -> Bool {
    let s = Array(short), f = Array(full)
    guard f.count == s.count + 1 else { return false }
    for skip in 0..<f.count {
        var k = 0, ok = true
        for (i, ch) in f.enumerated() where i != skip {
            if s[k] != ch { ok = false; break }
            k += 1
        }
        if ok { return true }
    }
    return false
}
