// Facts.swift — facts without double counting (data-model.md, "Facts" and "Cuts").
//
// A document cuts the same money several ways (func × econ × nature, func ×
// nature, econ for basic spending only, by project, a bare total). For each
// group (unit, year, phase, measure) this file picks one cut — the rows of
// one table at one level — and answers from it alone, so that no figure is
// counted twice:
//
//   1. The group's document: the one whose own phase is the group's phase
//      (a budget over the 年初预算 restated in final accounts), and of those the
//      one of the group's year (a 2025 budget over the 2025 column a 2026 budget
//      restates), else the first.
//   2. The group's total T: that document's first `total` row with no code,
//      nature, cost or project — tables before prose, bare before labelled,
//      stated before derived (nil when it gives none).
//   3. Candidate cuts: each table's leaf rows (a list in prose only where it agrees with the
//      tables' leaves of the same classification), and each table's classified
//      total rows by the fields they carry (the 基本/项目 totals of a 支出表),
//      when those rows split the money (no classification repeated).
//      A cut qualifies when it has every field the query needs, at the code
//      depth needed (`by item` needs 7-digit functional codes), and does not
//      add up to more than T.
//   4. Rank: a cut whose sum equals T exactly first; then among complete cuts
//      the most rows, then the most fields; among incomplete ones tables
//      before prose (a sentence's list is seldom all), then the sum nearest
//      T; tables before prose; then the earlier table.
//   5. If the chosen cut does not add up to T, the difference is one more
//      fact with every classifying field null (money the cut leaves
//      unclassified), marked as derived, so totals still add up.
//
// A group with no qualifying cut contributes its total as such a null-key
// fact; the caller learns which groups had none (`FactSelection.uncut`).

/// A field a cut may classify money by.
public enum CutField: String, Sendable, Hashable, CaseIterable, Comparable {
    case function = "func", econ, econGov = "econ_gov", nature, fund, cost, project, category

    public static func < (a: CutField, b: CutField) -> Bool { a.rawValue < b.rawValue }

    /// Whether `s` is classified by this field.
    func has(_ s: Statement) -> Bool {
        switch self {
        case .function: return s.function != nil
        case .econ: return s.econDept != nil
        case .econGov: return s.econGov != nil
        case .nature: return s.nature != nil
        case .fund: return s.fund != nil
        case .cost: return s.cost != nil
        case .project: return s.project != nil
        case .category: return s.category != nil
        }
    }

    /// The bit of a field in a mask of fields (CutField.allCases order).
    static func bit(_ f: CutField) -> UInt8 { 1 << UInt8(allCases.firstIndex(of: f)!) }

    /// The fields `s` is classified by, as bits.
    static func mask(_ s: Statement) -> UInt8 {
        var m: UInt8 = 0
        if s.function != nil { m |= 1 }
        if s.econDept != nil { m |= 2 }
        if s.econGov != nil { m |= 4 }
        if s.nature != nil { m |= 8 }
        if s.fund != nil { m |= 16 }
        if s.cost != nil { m |= 32 }
        if s.project != nil { m |= 64 }
        if s.category != nil { m |= 128 }
        return m
    }

    /// The fields of a mask.
    static func fields(_ m: UInt8) -> Set<CutField> {
        Set(allCases.enumerated().filter { m & (1 << UInt8($0.offset)) != 0 }.map(\.element))
    }

    func code(_ s: Statement) -> Code? {
        switch self {
        case .function: return s.function
        case .econ: return s.econDept
        case .econGov: return s.econGov
        default: return nil
        }
    }
}

/// What a query needs of a cut: fields, and for code fields the least depth (3, 5, 7; 0 for any).
public struct FactNeeds: Hashable, Sendable, CustomStringConvertible {
    public private(set) var depths: [CutField: Int] = [:]

    public init() {}

    public mutating func need(_ f: CutField, depth: Int = 0) {
        depths[f] = max(depths[f] ?? 0, depth)
    }

    public var fields: [CutField] { depths.keys.sorted() }

    public var description: String {
        fields.map { f in
            let d = depths[f] ?? 0
            return d > 0 ? "\(f.rawValue) (\(d) digits)" : f.rawValue
        }.joined(separator: ", ")
    }
}

/// The identity of a group of facts.
public struct FactGroup: Hashable, Sendable, Comparable {
    public let unit: String
    public let year: Int
    public let phase: Phase
    public let measure: Measure

    public init(_ s: Statement) {
        unit = s.unit; year = s.year; phase = s.phase; measure = s.measure
    }

    public static func < (a: FactGroup, b: FactGroup) -> Bool {
        (a.unit, a.year, Phase.code(a.phase), Measure.code(a.measure))
            < (b.unit, b.year, Phase.code(b.phase), Measure.code(b.measure))
    }
}

/// The facts chosen for some groups: references to the store's rows, each read as a leaf, and the
/// statements the choice made itself (a remainder, a total standing alone), which no row holds.
public struct FactSelection: Sendable {
    /// In group order: a row of the store (≥ 0), or `-1 - i` for `made[i]`.
    public var refs: [Int32] = []
    public var made: [Statement] = []
    /// For each of `made`, the store row it was made from (its group's total): it shares the row's
    /// unit, region, year, phase, measure and document.
    public var madeFrom: [Int32] = []
    /// Groups that had no cut with every needed field (answered by their total alone).
    public var uncut: [FactGroup] = []
    /// What an executor works out once about these facts (their runs of one group), kept with them while
    /// they stay the same: a selection the selector caches is answered again without working it out again.
    public private(set) var memo = Memo()

    public final class Memo: @unchecked Sendable {
        public var runs: [Range<Int>]?
        /// Per run, a bit for each value some column's byte takes in it (an executor's own use: the funds
        /// and natures a comparison aligns), keyed by the executor's name for the column.
        public var runBits: [String: [UInt32]] = [:]
        /// The runs' indexes in the order their statements lie in the store (for sums, whose order is free).
        public var runsInStoreOrder: [Int]?
        /// Per run, whether its statements are one stretch of the store's rows in order (read as they lie).
        public var contiguous: [Bool]?
        /// Per run, its group's number.
        public var runGroups: [Int32]?
        public init() {}
    }

    public init() {}

    /// Appends `other`'s facts (its made statements renumbered after these).
    public mutating func append(_ other: FactSelection, where keep: (Int32) -> Bool = { _ in true }) {
        memo = Memo()
        let shift = Int32(made.count)
        for r in other.refs where keep(r) { refs.append(r >= 0 ? r : r - shift) }
        made += other.made
        madeFrom += other.madeFrom
    }
}

extension FactSelection {
    /// The facts as statements (every one a leaf), in order; for tests and small sets.
    public func statements(in store: Store) -> [Statement] {
        refs.map { r in
            if r < 0 { return made[Int(-1 - r)] }
            var s = store.statement(at: Int(r))
            s.level = .leaf
            return s
        }
    }
}

/// One candidate cut of a group.
struct Cut {
    let table: String
    let isTotalLevel: Bool
    var rows: [Int] = []
    /// The group's total row alone.
    var isGrand = false
    var fields: Set<CutField> = []
    var firstLine = Int.max
    var sum = Money.zero
    var isProse: Bool { table.hasPrefix(Statement.proseTable) }

    /// The least code depth among rows having `f`, or 0 when none has it.
    func depth(_ f: CutField, in statements: [Statement]) -> Int {
        var d = Int.max
        for r in rows { if let c = f.code(statements[r]) { d = min(d, c.digits) } }
        return d == Int.max ? 0 : d
    }
}

/// Chooses facts from a store's rows; keeps per-group work cached. Groups are found from the columns
/// (unit, year, phase, measure as integers) when it is made; a group's statements are materialised only
/// while its cut is chosen, once per group and needs.
public final class FactSelector: @unchecked Sendable {
    public let store: Store
    private let docPhase: [String: Phase]
    /// Each document's own year, by its text id in the store's pool (nil: not listed).
    private let ownYear: [Int?]
    /// The rows of group g are `members[start[g]..<start[g + 1]]`, ascending; kept stepped (a group's rows,
    /// one stretch of the store, are one run).
    private var start: [Int32] = []
    private var members = RunArray<Int32>(stepped: true)
    private var groupIDs: [FactGroup: Int] = [:]
    private var cache: [Pair: Entry] = [:]
    /// Every group, in order; a statement's group is `groupOf[row]`, an index into this, decided once here
    /// so that a query finds its groups by integers, never by hashing unit names per row.
    public private(set) var groupList: [FactGroup] = []
    public private(set) var groupOf = RunArray<Int32>()
    /// Per text id of the store's pool: the rank of that unit's name among the units' names (as `String`
    /// orders them; -1 for texts no statement has as its unit), so that results by unit are ordered by
    /// integers, never by comparing names.
    public private(set) var unitRank: [Int32] = []
    /// Per group: whether it has a stated figure (not only ones derived from a change, or printed by documents
    /// of other years as theirs): a query that names no year counts only these groups.
    public private(set) var groupStated: [Bool] = []
    /// Per group: whether any of its rows is derived (a figure with a mark), so that summing a group
    /// that has none need not look at each row's derivation.
    public private(set) var groupHasDerived: [Bool] = []
    /// Per group: whether any of its rows was printed in 元 (converted), so that summing a group that has
    /// none need not look at each row's unit.
    public private(set) var groupHasYuan: [Bool] = []
    /// Per group: the store's integers of the fields every row of it shares (unit's text id, year, phase and
    /// measure bytes), beside each other and in the caches, where its rows' columns lie far apart.
    public private(set) var groupUnit: [UInt32] = []
    public private(set) var groupYear: [Int16] = []
    public private(set) var groupPhase: [UInt8] = []
    public private(set) var groupMeasure: [UInt8] = []
    /// The facts of recent sets of groups, per needs: asking again takes them without copying.
    private var setCache: [SetKey: FactSelection] = [:]
    private struct SetKey: Hashable { let ids: [Int]; let needs: FactNeeds }
    private struct Pair: Hashable { let group: Int; let needs: FactNeeds }
    /// One group's facts: rows of the store (leaves), then statements made.
    private struct Entry: Equatable { var rows: [Int32] = []; var made: [Statement] = []; var madeFrom: [Int32] = []; var uncut = false }

    /// `documentPhases`: each document's own phase (from documents.tsv); documents not listed
    /// count by the phase most of their statements have. `documentYears`: each document's own year, so that
    /// a group's figures come from the document of its year when another restates them (a 2026 budget's
    /// 2025 column).
    public init(store: Store, documentPhases: [String: Phase] = [:], documentYears: [String: Int] = [:]) {
        self.store = store
        let c = store.columns
        let n = c.count
        // Runs of rows of one group (the store keeps a group's rows together, so there is one run per
        // group; a store built otherwise has more), each with its provisional group, numbered in the
        // order first seen: the key is looked up once per run.
        var provisional: [UInt64: Int32] = [:]
        var firstRow: [Int] = []
        var runStart: [Int] = [], runGroup: [Int32] = []
        // Statements per document (by its text id) and phase, for documents documents.tsv does not list.
        let texts = c.pool.strings.count, phaseCount = Phase.allCases.count
        var listed = [Bool](repeating: false, count: texts)
        for d in documentPhases.keys { if let id = c.pool.id(of: d) { listed[Int(id)] = true } }
        var counts = [Int](repeating: 0, count: texts * phaseCount)
        var lastKey = UInt64.max
        var keyOf = Columns.GroupKeys(c)
        var docOf = RunArray.Cursor(c.doc), phaseOf = RunArray.Cursor(c.phase)
        for i in 0..<n {
            let key = keyOf(i)
            if key != lastKey {
                lastKey = key
                let g: Int32
                if let known = provisional[key] { g = known } else {
                    g = Int32(firstRow.count)
                    provisional[key] = g
                    firstRow.append(i)
                }
                runStart.append(i)
                runGroup.append(g)
            }
            let d = Int(docOf(i))
            if !listed[d] { counts[d * phaseCount + Int(phaseOf(i)) - 1] += 1 }
        }
        runStart.append(n)
        var phases = documentPhases
        for d in 0..<texts where !listed[d] {
            let k = counts[d * phaseCount..<(d + 1) * phaseCount]
            guard k.contains(where: { $0 > 0 }), let name = c.pool[UInt32(d)], phases[name] == nil else { continue }
            // The phase most statements have; a tie goes to the earlier phase.
            let best = k.indices.max { (k[$0], -$0) < (k[$1], -$1) }! - k.startIndex
            phases[name] = Phase.allCases[best]
        }
        docPhase = phases
        // Final numbering: groups sorted by (unit, year, phase, measure).
        let keys = firstRow.map { FactGroup(store.statement(at: $0)) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        var final = [Int32](repeating: 0, count: keys.count)
        for (f, p) in order.enumerated() { final[p] = Int32(f) }
        groupList = order.map { keys[$0] }
        for (g, k) in groupList.enumerated() { groupIDs[k] = g }
        let first = order.map { firstRow[$0] }
        (groupUnit, groupYear) = (first.map { c.unit[$0] }, first.map { c.year[$0] })
        (groupPhase, groupMeasure) = (first.map { c.phase[$0] }, first.map { c.measure[$0] })
        // Groups are in the order of their units' names: the units' ranks follow.
        var unitRank = [Int32](repeating: -1, count: texts)
        var rank: Int32 = -1
        for p in order {
            let u = Int(c.unit[firstRow[p]])
            if unitRank[u] < 0 { rank += 1; unitRank[u] = rank }
        }
        self.unitRank = unitRank
        // Each run's rows take its group's number, and are listed as that group's members: a run at a time.
        // Filled in locals, not in the properties: a class's property written in a loop is checked for
        // exclusive access on every write.
        let runs = runGroup.count
        for r in 0..<runs { runGroup[r] = final[Int(runGroup[r])] }
        var sizes = [Int32](repeating: 0, count: groupList.count + 1)
        for r in 0..<runs { sizes[Int(runGroup[r]) + 1] += Int32(runStart[r + 1] - runStart[r]) }
        for g in 0..<groupList.count { sizes[g + 1] += sizes[g] }
        start = sizes
        var stated = [Bool](repeating: false, count: groupList.count)
        // Each document's own year by its text id (nil: not listed, taken as the year of its figures).
        var ownYear = [Int?](repeating: nil, count: texts)
        for (d, y) in documentYears { if let id = c.pool.id(of: d) { ownYear[Int(id)] = y } }
        self.ownYear = ownYear
        var hasDerived = [Bool](repeating: false, count: groupList.count)
        var hasYuan = [Bool](repeating: false, count: groupList.count)
        // A row's group, a run at a time (no value per row written).
        var of = RunArray<Int32>()
        for r in 0..<runs {
            let (a, b, g) = (runStart[r], runStart[r + 1], Int(runGroup[r]))
            of.append(Int32(g), count: b - a)
            // Stated: a figure not derived, printed by a document as its own year's (a 2025 row
            // a 2026 budget prints is 2025's figure, but 2025 is not that document's year).
            let year = groupList[g].year
            c.derived.forEachRun(in: a..<b) { rows, d in
                if d != 0 { hasDerived[g] = true; return }
                guard !stated[g] else { return }
                c.doc.forEachRun(in: rows) { _, doc in
                    if (ownYear[Int(doc)] ?? year) == year { stated[g] = true }
                }
            }
            if c.printed.anyNonZero(in: a..<b) { hasYuan[g] = true }
        }
        of.finish()
        // Each group's rows, group after group: its runs in the order of their rows (a stable sort of the runs by
        // group), each a stretch of rising rows.
        var members = RunArray<Int32>(stepped: true)
        var byGroup = [Int](repeating: 0, count: groupList.count + 1)
        for r in 0..<runs { byGroup[Int(runGroup[r]) + 1] += 1 }
        for g in 0..<groupList.count { byGroup[g + 1] += byGroup[g] }
        var runOrder = [Int](repeating: 0, count: runs)
        for r in 0..<runs { runOrder[byGroup[Int(runGroup[r])]] = r; byGroup[Int(runGroup[r])] += 1 }
        for r in runOrder { members.appendRising(from: Int32(runStart[r]), count: runStart[r + 1] - runStart[r]) }
        members.finish()
        self.members = members
        groupStated = stated
        groupHasDerived = hasDerived
        groupHasYuan = hasYuan
        groupOf = of   // a group's rows are one stretch of the store: a run each
    }

    /// The number of a group, if the store has it.
    public func groupID(_ g: FactGroup) -> Int? { groupIDs[g] }

    /// The facts of the groups numbered `ids` (ascending, indexes into `groupList`).
    public func facts(groupIDs ids: [Int], needs: FactNeeds) throws(MoneyError) -> FactSelection {
        let key = SetKey(ids: ids, needs: needs)
        if let hit = setCache[key] { return hit }
        let chosen = try facts(ids: ids, needs: needs)
        if setCache.count >= 16 { setCache.removeAll() }
        setCache[key] = chosen
        return chosen
    }

    public var groups: [FactGroup] { groupList }

    /// The facts of `groups` for a query needing `needs`; throws on overflow.
    public func facts(groups: some Sequence<FactGroup>, needs: FactNeeds) throws(MoneyError) -> FactSelection {
        try facts(ids: groups.compactMap { groupIDs[$0] }, needs: needs)
    }

    private func facts(ids: [Int], needs: FactNeeds) throws(MoneyError) -> FactSelection {
        var out = FactSelection()
        for g in ids {
            let key = Pair(group: g, needs: needs)
            let entry: Entry
            if let hit = cache[key] { entry = hit } else {
                entry = try choose(g, needs: needs)
                cache[key] = entry
            }
            out.refs += entry.rows
            for (s, from) in zip(entry.made, entry.madeFrom) {
                out.refs.append(-1 - Int32(out.made.count))
                out.made.append(s)
                out.madeFrom.append(from)
            }
            if entry.uncut { out.uncut.append(groupList[g]) }
        }
        return out
    }

    private func choose(_ id: Int, needs: FactNeeds) throws(MoneyError) -> Entry {
        if let entry = try chooseOneTable(id, needs: needs) {
            #if DEBUG
            let full = try chooseByStatements(id, needs: needs)
            assert(entry == full, "the one-table choice differs for group \(id)")
            #endif
            return entry
        }
        return try chooseByStatements(id, needs: needs)
    }

    /// The choice for a group whose rows are all leaves of one table of one document, not prose (a dataset of
    /// generated statements, a unit with one table of items): that table is its only cut, taken or not
    /// as `chooseByStatements` would, from the columns, without a statement made. Nil for any other group.
    private func chooseOneTable(_ id: Int, needs: FactNeeds) throws(MoneyError) -> Entry? {
        let (a, b) = (Int(start[id]), Int(start[id + 1]))
        guard b > a else { return nil }
        let c = store.columns
        let all = members.array(a..<b)
        let first = Int(all[0])
        let (doc, table, leaf) = (c.doc[first], c.table[first], RowLevel.code(.leaf))
        guard let name = c.pool[table], !name.hasPrefix(Statement.proseTable) else { return nil }
        var mask: UInt8 = 0
        var sum = Money.zero
        // The group's rows as stretches of the store (one, in a store clustered by group), read a run at a time.
        var failed: MoneyError? = nil
        var same = true
        members.forEachRun(in: a..<b) { positions, firstRow in
            let rows = Int(firstRow)..<Int(firstRow) + positions.count
            if !c.doc.allEqual(doc, in: rows) || !c.table.allEqual(table, in: rows) || !c.level.allEqual(leaf, in: rows) {
                same = false
            }
            if c.econGov.anyNonZero(in: rows) { mask |= 4 }
            if c.nature.anyNonZero(in: rows) { mask |= 8 }
            if c.fund.anyNonZero(in: rows) { mask |= 16 }
            if c.cost.anyNonZero(in: rows) { mask |= 32 }
            if c.project.anyNonZero(in: rows) { mask |= 64 }
            if c.category.anyNonZero(in: rows) { mask |= 128 }
            for r in rows {
                if c.function[r] != 0 { mask |= 1 }
                if c.econDept[r] != 0 { mask |= 2 }
                do throws(MoneyError) { sum = try sum.adding(Money(units: c.amount[r])) } catch { failed = failed ?? error }
            }
        }
        guard same else { return nil }
        // As the cut's sum: an overflow is the same error.
        if let failed { throw failed }
        let fields = CutField.fields(mask)
        // The least depth of a code field among the rows having it (Cut.depth).
        func depth(_ f: CutField) -> Int {
            let column: (Int) -> UInt32
            switch f {
            case .function: column = { c.function[$0] }
            case .econ: column = { c.econDept[$0] }
            case .econGov: column = { c.econGov[$0] }
            default: return 0
            }
            var d = Int.max
            for r in all where column(Int(r)) != 0 { d = min(d, Code(packed: column(Int(r)))!.digits) }
            return d == Int.max ? 0 : d
        }
        let qualifies = needs.depths.allSatisfy { f, d in fields.contains(f) && (d == 0 || depth(f) >= d) }
        return qualifies ? Entry(rows: all) : Entry(uncut: true)
    }

    /// The choice made from the group's statements: its document, total, candidate cuts, the best of them
    /// and the remainder.
    private func chooseByStatements(_ id: Int, needs: FactNeeds) throws(MoneyError) -> Entry {
        let g = groupList[id]
        // The group's statements, materialised while its cut is chosen; `statements[i]` is store row `all[i]`.
        let all = members.array(Int(start[id])..<Int(start[id + 1]))
        guard !all.isEmpty else { return Entry() }
        let statements = all.map { store.statement(at: Int($0)) }
        let columns = store.columns
        // 1. The group's document (compared by its id in the store's pool, not by its name).
        let docIDs = orderedUnique(all.map { columns.doc[Int($0)] })
        // Of that phase and, where more than one is, of the group's year (not one restating another year's).
        let ofPhase = docIDs.filter { docPhase[columns.pool[$0]!] == g.phase }
        let doc = ofPhase.first { ownYear[Int($0)] == g.year } ?? ofPhase.first { ownYear[Int($0)] == nil }
            ?? ofPhase.first ?? docIDs.first { ownYear[Int($0)] == g.year } ?? docIDs[0]
        let rows = statements.indices.filter { columns.doc[Int(all[$0])] == doc }
        // 2. The total.
        let totals = rows.filter { statements[$0].level == .total && isTotalOfAll(statements[$0]) }
        let total = totals.min { rank(total: statements[$0]) < rank(total: statements[$1]) }
        // 3. Candidate cuts, keyed by the table's id, the kind of rows and (for totals) the fields they split by.
        struct CutKey: Hashable { let table: UInt32; let kind: UInt8; let split: UInt8 }
        var list: [Cut] = [], keys: [CutKey] = [], masks: [UInt8] = []
        var at: [CutKey: Int] = [:]
        var last: (key: CutKey, index: Int)? = nil
        let categoryBit = CutField.bit(.category)
        for r in rows {
            let s = statements[r]
            let classified = CutField.mask(s)
            // A total row's category is its label (合计, 收入总计), not a classification.
            let splitBy = classified & ~categoryBit
            let table = columns.table[Int(all[r])]
            let key: CutKey
            switch s.level {
            case .leaf: key = CutKey(table: table, kind: 0, split: 0)
            case .total where r == total: key = CutKey(table: table, kind: 1, split: 0)
            case .total where splitBy != 0 && !isTotalOfAll(s): key = CutKey(table: table, kind: 2, split: splitBy)
            default: continue
            }
            // Rows of one cut mostly come together: the last cut is tried before the table of cuts.
            let i: Int
            if let last, last.key == key { i = last.index } else if let known = at[key] { i = known } else {
                i = list.count
                at[key] = i
                list.append(Cut(table: s.table, isTotalLevel: s.level == .total, isGrand: key.kind == 1))
                keys.append(key)
                masks.append(0)
            }
            last = (key, i)
            list[i].rows.append(r)
            masks[i] |= s.level == .total ? splitBy : classified
            list[i].firstLine = min(list[i].firstLine, s.line)
            list[i].sum = try list[i].sum.adding(s.amount)
        }
        var cuts: [CutKey: Cut] = [:]
        for i in list.indices {
            list[i].fields = CutField.fields(masks[i])
            cuts[keys[i]] = list[i]
        }
        let order = keys
        // A cut of total rows must split the money: two rows with the same classification repeat one figure.
        for (key, c) in cuts where c.isTotalLevel && key.kind != 1 {
            let tuples = c.rows.map { classification(statements[$0]) }
            if Set(tuples).count != tuples.count { cuts[key] = nil }
        }
        // A list in prose that contradicts a table of the same document (a figure of the same
        // classification, another amount: 江苏 2019's prose puts 20,179.34 under 住房公积金) splits nothing.
        func codes(_ s: Statement) -> String? {
            guard s.function != nil || s.econDept != nil || s.econGov != nil || s.category != nil else { return nil }
            return [s.function?.text, s.econDept?.text, s.econGov?.text, s.category].map { $0 ?? "" }.joined(separator: "|")
        }
        var tabled: [String: Set<Int64>] = [:]
        let anyProse = cuts.values.contains(where: \.isProse)
        for r in rows where anyProse && !statements[r].isProse {
            if let k = codes(statements[r]) { tabled[k, default: []].insert(statements[r].amount.units) }
        }
        for (key, c) in cuts where c.isProse {
            let contradicts = c.rows.contains { r in
                codes(statements[r]).flatMap { tabled[$0] }.map { !$0.contains(statements[r].amount.units) } ?? false
            }
            if contradicts { cuts[key] = nil }
        }
        let t = total.map { statements[$0].amount }
        // Rows adding up to more than the total do not split it (西城's prose puts 一般公共预算
        // 财政拨款收入 at 14,864.9 under a 收入合计 of 5,474.79): `checks` reports them instead.
        // Items rounded to 0.01 may add up to a little more than their stated total (上海 财政局:
        // 2,940.06 of items under 2,940.05): up to half a cent of 万元 per row is rounding, and the
        // negative remainder below says so.
        let qualifying = order.compactMap { cuts[$0] }.filter { c in
            needs.depths.allSatisfy { f, d in c.fields.contains(f) && (d == 0 || c.depth(f, in: statements) >= d) }
                && t.map { $0.units < 0 || c.sum.units <= $0.units + Self.roundingPerRow * Int64(c.rows.count) } ?? true
        }
        // 4. Rank.
        func complete(_ c: Cut) -> Bool { t == nil || c.sum == t }
        func distance(_ c: Cut) -> UInt64 {
            guard let t else { return 0 }
            return (c.sum.units - t.units).magnitude
        }
        let best = qualifying.min { a, b in
            // An incomplete prose cut ("主要用于基本工资…") is a partial list: a table's goes first.
            func order(_ c: Cut) -> Int { complete(c) ? 0 : c.isProse ? 2 : 1 }
            let ka = (order(a), complete(a) ? 0 : distance(a), -a.rows.count, -a.fields.count, a.isProse ? 1 : 0, a.firstLine)
            let kb = (order(b), complete(b) ? 0 : distance(b), -b.rows.count, -b.fields.count, b.isProse ? 1 : 0, b.firstLine)
            return ka < kb
        }
        guard let best else {
            guard let total else { return Entry(uncut: true) }
            var s = statements[total]
            s.level = .leaf
            s.derived = FigureMark.totalOnlyPrefix + "no table of this document gives \(needs)"
                + (statements[total].derived.map { FigureMark.derivedFrom + $0 } ?? "")
            return Entry(made: [s], madeFrom: [all[total]], uncut: true)
        }
        var entry = Entry(rows: best.rows.map { all[$0] })
        // A table stated empty (注：本部门没有使用政府性基金…: a total of 0 of that fund) answers a query by that
        // field with 0 rather than nothing; a 0 adds nothing, so it never counts money twice.
        for r in rows where statements[r].amount.isZero && statements[r].level == .total && isTotalOfAll(statements[r]) {
            let by = CutField.allCases.filter { $0.has(statements[r]) && $0 != .category }
            guard !by.isEmpty, by.allSatisfy({ needs.depths[$0] != nil }) else { continue }
            entry.rows.append(all[r])
        }
        // 5. The remainder.
        if let total, let t, best.sum != t {
            let base = statements[total]
            var s = base
            s.function = nil; s.econDept = nil; s.econGov = nil; s.nature = nil; s.fund = nil
            s.cost = nil; s.project = nil; s.category = nil
            s.level = .leaf
            s.amount = try t.subtracting(best.sum)
            s.derived = FigureMark.remainderPrefix + "total \(t) (\(base.table), line \(base.line)) less \(best.sum) in \(best.table)"
                + (base.derived.map { FigureMark.derivedFrom + $0 } ?? "")
            entry.made.append(s)
            entry.madeFrom.append(all[total])
        }
        return entry
    }

    /// Half of 0.01 万元, in Money units: the most one row's rounding can add.
    static let roundingPerRow: Int64 = 5_000

    /// A total of all the group's money: no code, nature, cost or project (a fund or a label such as
    /// 收入总计 may be attached to it).
    private func isTotalOfAll(_ s: Statement) -> Bool {
        s.function == nil && s.econDept == nil && s.econGov == nil && s.nature == nil && s.cost == nil && s.project == nil
    }

    private func classification(_ s: Statement) -> String {
        [s.function?.text, s.econDept?.text, s.econGov?.text, s.nature?.rawValue, s.fund?.rawValue, s.cost?.rawValue, s.project]
            .map { $0 ?? "" }.joined(separator: "|")
    }

    /// Orders candidate totals: tables before prose (深圳's prose gives a project total where the tables give
    /// the whole), bare before labelled, stated before derived, then by line.
    private func rank(total s: Statement) -> (Int, Int, Int, Int) {
        (s.isProse ? 1 : 0, (s.fund == nil ? 0 : 1) + (s.category == nil ? 0 : 1),
         s.derived == nil ? 0 : 1, s.line)
    }
}

/// What a reader must know of a figure that is not simply stated (language.md, "Marked figures").
public enum FigureMark: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Stated only through a change (比上年增加…, 比年初预算减少…).
    case derived
    /// The part of a stated total that no row of the chosen cut classifies.
    case remainder
    /// A group's total standing alone: no table of its document breaks it down as asked.
    case totalOnly = "total only"
    /// Printed in 元 by its document and converted exactly to 万元.
    case yuan = "from 元"

    static let remainderPrefix = "unclassified: "
    static let totalOnlyPrefix = "the total alone: "
    /// Joins a total's own derivation to a remainder or total-only figure made from it.
    static let derivedFrom = "; the total derived: "

    public static func < (a: FigureMark, b: FigureMark) -> Bool { a.rawValue < b.rawValue }

    /// What the mark means, for the line after a result.
    public var explanation: String {
        switch self {
        case .derived: return "derived: a figure the document states only through a change (比上年…, 比年初预算…)"
        case .remainder: return "remainder: the part of a stated total that no row of the table answering classifies"
        case .totalOnly: return "total only: the document gives no breakdown by the fields asked; its total stands alone"
        case .yuan: return "from 元: printed in 元 by its document, converted exactly to 万元"
        }
    }
}

extension Statement {
    /// The marks of a figure (none for one stated as it is).
    public var marks: Set<FigureMark> {
        printed == .yuan ? derivationMarks.union([.yuan]) : derivationMarks
    }

    /// The marks `derived` gives.
    private var derivationMarks: Set<FigureMark> {
        guard let d = derived else { return [] }
        if d.hasPrefix(FigureMark.remainderPrefix) { return d.contains(FigureMark.derivedFrom) ? [.remainder, .derived] : [.remainder] }
        if d.hasPrefix(FigureMark.totalOnlyPrefix) { return d.contains(FigureMark.derivedFrom) ? [.totalOnly, .derived] : [.totalOnly] }
        return [.derived]
    }
}

/// The elements of `items` in first-seen order, without repeats.
func orderedUnique<T: Hashable>(_ items: [T]) -> [T] {
    var seen = Set<T>()
    return items.filter { seen.insert($0).inserted }
}
