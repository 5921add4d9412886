// Catalog.swift — the classification catalogue: every known code with its
// official name, level, parent, and the trust and basis of the row.
//
// It names codes in output, resolves names and name paths to codes
// (Catalog+Resolve.swift), repairs truncated codes from context, and is
// enriched by the code–name pairs the documents print, reporting where a
// document and the catalogue disagree on a name.

/// How far a catalogue row can be trusted, as the reference data grades it.
public enum Trust: String, Sendable, Hashable, CaseIterable {
    case high, medium, low
    /// Added from a disclosure's own code–name pair.
    case document
}

/// One row of the catalogue.
public struct CatalogEntry: Sendable, Hashable {
    public let code: Code
    public var name: String
    public var trust: Trust
    /// Where the row comes from: "disclosure 002; web:MOF 2023 catalogue excerpt".
    public var basis: String

    public init(code: Code, name: String, trust: Trust, basis: String) {
        self.code = code
        self.name = name
        self.trust = trust
        self.basis = basis
    }
}

/// A document printing a different name for a code than the catalogue has.
public struct NameConflict: Sendable, Hashable, CustomStringConvertible {
    public let code: Code
    public let catalogueName: String
    public let documentName: String
    public let source: String

    public var description: String {
        "\(source): code \(code) is named \"\(documentName)\", the catalogue says \"\(catalogueName)\""
    }
}

/// The classification catalogue.
public struct Catalog: Sendable {
    private(set) var entries: [Code: CatalogEntry] = [:]
    /// Folded name → codes with that name (a name such as 事业运行 recurs under many 款).
    private(set) var byName: [String: [Code]] = [:]
    /// Parent → children, each list sorted.
    private(set) var children: [Code: [Code]] = [:]

    public init() {}

    public init(entries: [CatalogEntry]) {
        for e in entries { insert(e) }
    }

    public var count: Int { entries.count }

    /// Every entry, in scheme and hierarchy order.
    public var allEntries: [CatalogEntry] { entries.values.sorted { $0.code < $1.code } }

    public func entry(_ code: Code) -> CatalogEntry? { entries[code] }

    /// The official name of `code`, or nil if the catalogue does not know it.
    public func name(of code: Code) -> String? { entries[code]?.name }

    /// The known codes directly under `code`, in order.
    public func children(of code: Code) -> [Code] { children[code] ?? [] }

    /// Codes whose folded name equals the folded `name`, in order.
    public func codes(named name: String, scheme: CodeScheme? = nil) -> [Code] {
        let all = byName[foldName(name)] ?? []
        return scheme.map { s in all.filter { $0.scheme == s } } ?? all
    }

    /// Adds or replaces a row.
    public mutating func insert(_ entry: CatalogEntry) {
        if let old = entries[entry.code] {
            byName[foldName(old.name)]?.removeAll { $0 == entry.code }
        } else if let p = entry.code.parent {
            var list = children[p] ?? []
            list.insert(entry.code, at: list.firstIndex { entry.code < $0 } ?? list.count)
            children[p] = list
        }
        entries[entry.code] = entry
        var list = byName[foldName(entry.name), default: []]
        list.insert(entry.code, at: list.firstIndex { entry.code < $0 } ?? list.count)
        byName[foldName(entry.name)] = list
    }

    /// Records that document `source` prints `name` for `code`.
    ///
    /// A code the catalogue lacks is added with trust `document`; a known code
    /// gains the source in its basis. Returns the disagreement when the names differ
    /// (after folding width and spaces); the catalogue's name is kept.
    @discardableResult
    public mutating func enrich(code: Code, name: String, source: String) -> NameConflict? {
        let shown = name.trimmed()
        guard !shown.isEmpty else { return nil }
        guard var e = entries[code] else {
            insert(CatalogEntry(code: code, name: String(shown), trust: .document, basis: source))
            return nil
        }
        if !e.basis.split(separator: ";").contains(where: { $0.trimmed() == source }) {
            e.basis = e.basis.isEmpty ? source : e.basis + "; " + source
            entries[code] = e
        }
        if foldName(e.name) != foldName(String(shown)) {
            return NameConflict(code: code, catalogueName: e.name, documentName: String(shown), source: source)
        }
        return nil
    }
}

/// Folds a name for comparison: full-width ASCII forms to half-width, white space removed,
/// Chinese and ASCII quotation marks unified. Scalar by scalar, from and into UTF-8 bytes (no grapheme
/// breaking: a mark combining with a space or a quotation mark would be kept apart from it).
public func foldName(_ name: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(name.utf8.count)
    for u in name.unicodeScalars {
        let v = u.value
        if v < 0x80 {
            if v == 0x20 || (0x09...0x0D).contains(v) { continue }
            out.append(UInt8(v))
            continue
        }
        switch v {
        case 0xFF01...0xFF5E: out.append(UInt8(v - 0xFEE0))   // full-width ASCII (＂ included: a quote)
        case 0x3000: continue                                  // the ideographic space
        case 0x2212, 0x2013, 0x2014, 0xFE63: out.append(UInt8(ascii: "-"))
        case 0x201C, 0x201D: out.append(UInt8(ascii: "\""))   // “ ”
        case 0x2018, 0x2019: out.append(UInt8(ascii: "'"))     // ‘ ’
        default:
            if u.properties.isWhitespace { continue }
            UTF8.encode(u) { out.append($0) }
        }
    }
    return String(decoding: out, as: UTF8.self)
}
