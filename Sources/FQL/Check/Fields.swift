// Fields.swift — the fields of a statement as the language names them
// (language.md, "Fields"): their types, how each is read from a statement,
// what each needs of a cut (data-model.md, "Cuts"), and the `.name` forms
// that give a code's catalogue name.

import FiscalData

enum StatementField: String, CaseIterable, Hashable {
    case unit, region, year, phase, measure
    case function = "func", `class`, section, item, econ, econGov = "econ_gov"
    case nature, fund, cost, project, category, amount, doc, table, line, level, derived
    /// The money unit the document printed the figure in, when not 万元 (元: converted exactly).
    case printed

    /// For roll-up fields, the level they cut `func` to.
    var codeLevel: CodeLevel? {
        switch self {
        case .class: return .class
        case .section: return .section
        case .item: return .item
        default: return nil
        }
    }

    var isCode: Bool { [.function, .class, .section, .item, .econ, .econGov].contains(self) }

    var type: ValueType {
        switch self {
        case .unit, .region, .project, .category, .doc, .table, .derived, .printed: return .text
        case .year, .line: return .int
        case .amount: return .money
        case .phase: return .enumerated(.phase)
        case .measure: return .enumerated(.measure)
        case .nature: return .enumerated(.nature)
        case .fund: return .enumerated(.fund)
        case .cost: return .enumerated(.cost)
        case .level: return .enumerated(.level)
        case .function, .class, .section, .item: return .code(.function)
        case .econ: return .code(.econDept)
        case .econGov: return .code(.econGov)
        }
    }

    /// What a query using this field needs of a cut.
    func need(into needs: inout FactNeeds) {
        switch self {
        case .function: needs.need(.function)
        case .class: needs.need(.function, depth: 3)
        case .section: needs.need(.function, depth: 5)
        case .item: needs.need(.function, depth: 7)
        case .econ: needs.need(.econ)
        case .econGov: needs.need(.econGov)
        case .nature: needs.need(.nature)
        case .fund: needs.need(.fund)
        case .cost: needs.need(.cost)
        case .project: needs.need(.project)
        case .category: needs.need(.category)
        default: break
        }
    }

    var cutField: CutField? {
        switch self {
        case .function, .class, .section, .item: return .function
        case .econ: return .econ
        case .econGov: return .econGov
        default: return nil
        }
    }

    /// The field's value in `s`.
    func value(_ s: FiscalData.Statement) -> Value {
        switch self {
        case .unit: return .text(s.unit)
        case .region: return s.region.isEmpty ? .null : .text(s.region)
        case .year: return .int(s.year)
        case .phase: return .text(s.phase.rawValue)
        case .measure: return .text(s.measure.rawValue)
        case .function: return s.function.map(Value.code) ?? .null
        case .class, .section, .item:
            return s.function.flatMap { $0.truncated(to: codeLevel!) }.map(Value.code) ?? .null
        case .econ: return s.econDept.map(Value.code) ?? .null
        case .econGov: return s.econGov.map(Value.code) ?? .null
        case .nature: return s.nature.map { .text($0.rawValue) } ?? .null
        case .fund: return s.fund.map { .text($0.rawValue) } ?? .null
        case .cost: return s.cost.map { .text($0.rawValue) } ?? .null
        case .project: return s.project.map(Value.text) ?? .null
        case .category: return s.category.map(Value.text) ?? .null
        case .amount: return .money(s.amount)
        case .doc: return .text(s.doc)
        case .table: return .text(s.table)
        case .line: return .int(s.line)
        case .level: return .text(s.level.rawValue)
        case .derived: return s.derived.map(Value.text) ?? .null
        case .printed: return s.printed == .wan ? .null : .text(s.printed.rawValue)
        }
    }
}

/// A resolved reference to a statement field, or to its code's catalogue name.
struct FieldRef: Hashable {
    let field: StatementField
    let named: Bool

    var name: String { field.rawValue + (named ? ".name" : "") }
    var type: ValueType { named ? .text : field.type }

    func value(_ s: FiscalData.Statement, _ catalog: Catalog) -> Value {
        let v = field.value(s)
        guard named else { return v }
        if case .code(let c) = v { return catalog.name(of: c).map(Value.text) ?? .null }
        return .null
    }

    /// Resolves `func`, `class.name`, …; nil if no such field.
    static func resolve(_ parts: [String]) -> FieldRef? {
        let head = parts[0].lowercased()
        guard let f = StatementField(rawValue: head) ?? aliases[head] else { return nil }
        if parts.count == 1 { return FieldRef(field: f, named: false) }
        if parts.count == 2 && parts[1].lowercased() == "name" && f.isCode { return FieldRef(field: f, named: true) }
        return nil
    }

    static let aliases: [String: StatementField] = ["function": .function, "econ_dept": .econ]

    /// Every name a statement field answers to, for near-miss suggestions and completion.
    static var allNames: [String] {
        StatementField.allCases.map(\.rawValue) + StatementField.allCases.filter(\.isCode).map { $0.rawValue + ".name" }
    }

    /// The columns a statement listing shows when no `select` says otherwise.
    static func defaults(rows: Bool) -> [FieldRef] {
        var fs: [FieldRef] = [.init(field: .unit, named: false), .init(field: .year, named: false),
                              .init(field: .phase, named: false), .init(field: .measure, named: false),
                              .init(field: .function, named: false), .init(field: .function, named: true),
                              .init(field: .econ, named: false), .init(field: .econ, named: true),
                              .init(field: .nature, named: false), .init(field: .fund, named: false),
                              .init(field: .cost, named: false), .init(field: .project, named: false),
                              .init(field: .category, named: false), .init(field: .amount, named: false),
                              .init(field: .doc, named: false), .init(field: .table, named: false),
                              .init(field: .line, named: false)]
        if rows { fs.append(.init(field: .level, named: false)) }
        fs.append(.init(field: .derived, named: false))
        fs.append(.init(field: .printed, named: false))
        return fs
    }
}
