// Grouping.swift — which group each statement falls in, for `sum … by` and
// `compare … by`, without making a value per row: keys that are fields are
// read as the store's integers (an interned text's id, a packed code, an
// enum's byte) and a row's values are made only when its integers are new.
// Keys that are expressions are read per run of one group's facts where they
// read only the run's shared fields (unit, region, year, phase, measure).
// Slots are numbered in the order their keys are first seen; results are
// sorted by key afterwards. `runs` finds those runs from the columns.

import FiscalData

extension StatementField {
    /// Fields every statement of one run of facts shares.
    var isRunConstant: Bool { [.unit, .region, .year, .phase, .measure].contains(self) }
}

/// Up to four keys' column integers, side by side.
struct RawKey: Hashable {
    var a: UInt64; var b: UInt64
    /// The integer of key `j`.
    @inline(__always) func part(_ j: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: (j < 2 ? a : b) >> (32 * UInt64(j & 1)))
    }

    /// Sets key `j`'s integer (its place holding 0).
    @inline(__always) mutating func set(_ j: Int, _ v: UInt32) {
        if j < 2 { a |= UInt64(v) << (32 * UInt64(j)) } else { b |= UInt64(v) << (32 * UInt64(j - 2)) }
    }
}

extension RawKey: SlotKey {
    static let empty = RawKey(a: 0, b: 0)
    @inline(__always) var hashBits: UInt64 { (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F) }
}

typealias RawKeyTable = SlotTable<RawKey>

/// Each slot's integers (its first statement's), and where each key's value is among the slot's values
/// (a code key is followed by its name): what sorting the slots needs, without comparing text per pair.
/// `rows`: where the values of the slots are left to be made (empty keys: where distinct integers make
/// distinct values, every slot's), the position of each slot's first statement, from which `keyMaker`
/// makes them: a slot's values are made only when it is printed or ranked (10 of 300,000 for
/// `sum by unit, func | top 10`).
/// `fields`: each key's field where the key is the field's value as it is (nil: some other value of it).
struct SlotIntegers { var keys: [RawKey] = []; var columns: [Int] = []; var rows: [Int] = []; var fields: [StatementField?] = [] }

extension SlotIntegers {
    /// A new slot for `key`, whose values are left to be made from the statement at `row` when needed (where
    /// distinct integers make distinct values): numbered after the `slotKeys` made so far, and remembered in
    /// `seen`.
    @inline(__always)
    mutating func newSlot(_ key: RawKey, row: Int, _ slotKeys: inout [[Value]], _ seen: inout RawKeyTable) -> Int32 {
        let s = Int32(slotKeys.count)
        slotKeys.append([])
        keys.append(key)
        rows.append(row)
        seen.insert(key, s)
        return s
    }
}

/// Which slot (group of a result) each statement of a pipeline falls in.
enum Slots {
    /// No keys: every statement in slot 0.
    case one
    /// A slot per statement.
    case perRow([Int32])
    /// Keys every statement of a run shares (year, phase): a slot per run, none per statement.
    case perRun([Range<Int>], [Int32])

    /// A slot per statement (nil: all in slot 0), for the loops that take statements one by one.
    func perStatement(_ count: Int) -> [Int32]? {
        switch self {
        case .one: return nil
        case .perRow(let s): return s
        case .perRun(let runs, let s):
            var out = [Int32](repeating: 0, count: count)
            for (run, slot) in zip(runs, s) { for n in run { out[n] = slot } }
            return out
        }
    }
}

extension Evaluator {
    /// The slot of each statement of `ss` under `keys` (none when there are no keys: every statement is in
    /// slot 0), and the key (values, with names after code keys) of each slot. Keys that are fields (up to four) are read as the columns' integers: a row's integers are
    /// looked up first, and its values made only the first time they are seen; equal integers always give
    /// equal values, and the values, not the integers, decide the slot.
    func groupSlots(_ keys: [KeyPlan], _ ss: StatementRows) throws(QueryError) -> (slots: Slots, keys: [[Value]], integers: SlotIntegers?) {
        let fields = keys.compactMap { k -> StatementField? in
            if case .field(let f) = k.expr, f.field != .amount { return f.field } else { return nil }
        }
        guard fields.count == keys.count, keys.count <= 4 else {
            let (slots, keys) = try groupSlotsByValue(keys, ss)
            return (.perRow(slots.map { Int32($0) }), keys, nil)
        }
        // No keys: one group, and no slot per row (at 10 million rows the array alone costs more than the sum).
        if keys.isEmpty { return (.one, ss.count == 0 ? [] : [[]], nil) }
        var index: [[Value]: Int] = [:]
        var slotKeys: [[Value]] = []
        var integers = SlotIntegers(fields: keys.map { k -> StatementField? in
            if case .field(let f) = k.expr, !f.named { return f.field } else { return nil }
        })
        var at = 0
        for k in keys { integers.columns.append(at); at += k.withName ? 2 : 1 }
        var seen = RawKeyTable()
        // Where distinct integers always make distinct values (a unit's id, a full code, a year; not a code
        // cut to its class, nor a name), a new integer is a new group without looking its values up.
        // The statements the fact selection made have integers too (their group's from the row they were made
        // from, codes packed, texts by their id in the pool); where one cannot (a text no row has), the
        // values decide.
        let madeKeys = ss.made.indices.map { i in madeRawKey(fields, ss.made[i], Int(ss.madeFrom[i])) }
        let injective = integersAreValues(keys) && !madeKeys.contains(nil)
        // A slot found by its values (where integers do not decide it).
        func slot(_ values: [Value], _ raw: RawKey) -> Int {
            if let known = index[values] { return known }
            index[values] = slotKeys.count
            slotKeys.append(values)
            integers.keys.append(raw)
            return slotKeys.count - 1
        }
        // Keys every statement of a run shares (by year, phase): one look-up a run.
        if fields.allSatisfy(\.isRunConstant) {
            let runs = runs(ss)
            // Fields that are the group's own are read from the group (its runs' rows lie far apart: a read of
            // a row's column per run waits on memory); region from the run's first row.
            let fromGroup = !fields.contains(.region), groupOfRun = fromGroup ? runGroups(ss) : []
            var perRun: [Int32] = []
            perRun.reserveCapacity(runs.count)
            for (k, run) in runs.enumerated() {
                try tick(run.lowerBound & ~1023)
                // The run's integers first; its values only when new.
                var key = RawKey(a: 0, b: 0)
                if fromGroup {
                    for j in fields.indices { key.set(j, groupValue(fields[j], Int(groupOfRun[k]))!) }
                } else {
                    let b = base(ss, run.lowerBound)
                    for j in fields.indices { key.set(j, rawValue(fields[j], b)) }
                }
                let s: Int
                if let known = seen[key] { s = Int(known) } else if injective {
                    s = Int(integers.newSlot(key, row: run.lowerBound, &slotKeys, &seen))
                } else {
                    let values = try keyValues(keys, row(ss, run.lowerBound))
                    if let known = index[values] { s = known } else {
                        s = slotKeys.count
                        index[values] = s
                        slotKeys.append(values)
                        integers.keys.append(key)
                    }
                    seen.insert(key, Int32(s))
                }
                perRun.append(Int32(s))
            }
            return (.perRun(runs, perRun), slotKeys, integers)
        }
        var slots = [Int32](repeating: 0, count: ss.count)
        // Keys partly shared by a run (`by unit, func`): a small table of keys per value of the shared part
        // (per unit), taken up for the run, so that the look-up per statement stays in the caches; one table
        // of every key (300,000 at 10 million statements) would miss them at each look-up.
        let shared = fields.indices.filter { fields[$0].isRunConstant }
        let perRun = !shared.isEmpty
        var tables: [RawKey: Int] = [:]
        var small: [RawKeyTable] = []
        // Neighbouring facts mostly share their key (one unit's, one year's): the last key is tried first.
        var last = RawKey(a: .max, b: .max), lastSlot = -1
        // One key not shared by the run, a column of texts or codes (`by unit, func`), every statement a store
        // row: the run's statements read that column alone, through pointers.
        let varying = fields.indices.filter { !fields[$0].isRunConstant }
        let column = perRun && injective && ss.made.isEmpty && varying.count == 1 ? integerColumn(fields[varying[0]]) : nil
        for run in perRun ? runs(ss) : [0..<ss.count] {
            var t = -1
            var part = RawKey(a: 0, b: 0)
            if perRun {
                let b = base(ss, run.lowerBound)
                for j in shared { part.set(j, rawValue(fields[j], b)) }
                if let known = tables[part] { t = known } else {
                    t = small.count
                    tables[part] = t
                    small.append(RawKeyTable(capacity: 64))
                }
                swap(&seen, &small[t])
            }
            if let column {
                try tick(run.lowerBound & ~1023)
                let j = varying[0]
                column.withUnsafeBufferPointer { col in
                    ss.refs.withUnsafeBufferPointer { refs in
                        slots.withUnsafeMutableBufferPointer { out in
                            var lastValue: UInt32 = 0, lastS: Int32 = -1
                            for n in run {
                                let v = col[Int(refs[n])]
                                if lastS >= 0 && v == lastValue { out[n] = lastS; continue }
                                var key = part
                                key.set(j, v)
                                let s: Int32
                                if let known = seen[key] { s = known } else {
                                    s = integers.newSlot(key, row: n, &slotKeys, &seen)
                                }
                                out[n] = s
                                (lastValue, lastS) = (v, s)
                            }
                        }
                    }
                }
                swap(&seen, &small[t])
                continue
            }
            for n in run {
                try tick(n)
                let r = Int(ss.refs[n])
                var key = RawKey(a: 0, b: 0)
                if r < 0 {
                    guard let known = madeKeys[-1 - r] else {
                        // No integers for this one: the slots are sorted by their values.
                        (slots[n], integers.keys) = (Int32(slot(try keyValues(keys, row(ss, n)), key)), [])
                        continue
                    }
                    key = known
                } else {
                    for j in fields.indices { key.set(j, rawValue(fields[j], r)) }
                }
                if key == last { slots[n] = Int32(lastSlot); continue }
                let s: Int
                if let known = seen[key] { s = Int(known) } else if injective {
                    s = Int(integers.newSlot(key, row: n, &slotKeys, &seen))
                } else {
                    s = slot(try keyValues(keys, row(ss, n)), key)
                    seen.insert(key, Int32(s))
                }
                (last, lastSlot) = (key, s)
                slots[n] = Int32(s)
            }
            if perRun { swap(&seen, &small[t]) }
        }
        // Values are left to be made only where integers decide the slots (injective), and then for every
        // slot; slots are found by values (a made statement's text the pool lacks) only where they do not.
        return (.perRow(slots), slotKeys, integers.keys.count == slotKeys.count ? integers : nil)
    }

    /// What makes the values of a slot `groupSlots` left to be made (nil when it left none): read from the
    /// slot's first statement, as `keyValues` reads them; a field's value is read, never computed, so
    /// nothing can fail.
    func keyMaker(_ keys: [KeyPlan], _ ss: StatementRows, _ integers: SlotIntegers?) -> ((Int) -> [Value])? {
        guard let rows = integers?.rows, !rows.isEmpty else { return nil }
        return { s in
            let row = self.row(ss, rows[s])
            return keys.flatMap { k -> [Value] in
                guard case .field(let f) = k.expr else { return [] }
                return self.keyValue(self.fieldValue(f, row), k)
            }
        }
    }

    /// The integers a statement the fact selection made would have in the columns, made from store row
    /// `base` (its group's fields are the row's); nil where a text is in no row (the pool has no id for it)
    /// or the field is not one a key reads as an integer of its own.
    func madeRawKey(_ fields: [StatementField], _ s: FiscalData.Statement, _ base: Int) -> RawKey? {
        var key = RawKey(a: 0, b: 0)
        let pool = columns.pool
        func text(_ t: String?) -> UInt32? { t.map { pool.id(of: $0) } ?? 0 }
        for (j, f) in fields.enumerated() {
            let v: UInt32?
            switch f {
            case .unit, .region, .year, .phase, .measure, .doc: v = rawValue(f, base)
            case .function, .class, .section, .item: v = s.function?.packed ?? 0
            case .econ: v = s.econDept?.packed ?? 0
            case .econGov: v = s.econGov?.packed ?? 0
            case .nature: v = UInt32(Nature.code(s.nature))
            case .fund: v = UInt32(Fund.code(s.fund))
            case .cost: v = UInt32(Cost.code(s.cost))
            case .project: v = text(s.project)
            case .category: v = text(s.category)
            case .table, .line, .level, .derived, .printed, .amount: v = nil
            }
            guard let v else { return nil }
            key.set(j, v)
        }
        return key
    }

    /// The integer a field has in the columns for store row `r` (code fields: the full code).
    @inline(__always)
    func rawValue(_ f: StatementField, _ r: Int) -> UInt32 {
        // Each case reads its column of `columns` in place (a copy of the whole struct would retain every column).
        switch f {
        case .unit: return columns.unit[r]
        case .region: return columns.region[r]
        case .year: return UInt32(UInt16(bitPattern: columns.year[r]))
        case .phase: return UInt32(columns.phase[r])
        case .measure: return UInt32(columns.measure[r])
        case .function, .class, .section, .item: return columns.function[r]
        case .econ: return columns.econDept[r]
        case .econGov: return columns.econGov[r]
        case .nature: return UInt32(columns.nature[r])
        case .fund: return UInt32(columns.fund[r])
        case .cost: return UInt32(columns.cost[r])
        case .project: return columns.project[r]
        case .category: return columns.category[r]
        case .doc: return columns.doc[r]
        case .table: return columns.table[r]
        case .line: return UInt32(bitPattern: columns.line[r])
        case .level: return UInt32(columns.level[r])
        case .derived: return columns.derived[r]
        case .printed: return UInt32(columns.printed[r])
        case .amount: return 0
        }
    }

    /// `groupSlots` for keys that are not plain fields (expressions): values read once per run for keys
    /// every statement of a run shares, per statement for the others.
    private func groupSlotsByValue(_ keys: [KeyPlan], _ ss: StatementRows) throws(QueryError) -> (slots: [Int], keys: [[Value]]) {
        let constant = keys.map { k -> Bool in
            if case .field(let f) = k.expr { return f.field.isRunConstant } else { return false }
        }
        var index: [[Value]: Int] = [:]
        var slotKeys: [[Value]] = []
        var slots: [Int] = []
        slots.reserveCapacity(ss.count)
        for run in runs(ss) {
            let (lo, hi) = (run.lowerBound, run.upperBound)
            var parts: [[Value]] = Array(repeating: [], count: keys.count)
            for i in keys.indices where constant[i] { parts[i] = try keyValues([keys[i]], row(ss, lo)) }
            var local: [[Value]: Int] = [:]
            for r in lo..<hi {
                try tick(r)
                var varying: [Value] = []
                for i in keys.indices where !constant[i] { varying += try keyValues([keys[i]], row(ss, r)) }
                if let slot = local[varying] { slots.append(slot); continue }
                var full: [Value] = []
                var v = 0
                for i in keys.indices {
                    if constant[i] { full += parts[i] } else {
                        let n = keys[i].withName ? 2 : 1
                        full += varying[v..<v + n]
                        v += n
                    }
                }
                let slot: Int
                if let known = index[full] { slot = known } else {
                    slot = slotKeys.count
                    index[full] = slot
                    slotKeys.append(full)
                }
                local[varying] = slot
                slots.append(slot)
            }
        }
        return (slots, slotKeys)
    }

    /// The indexes of `runs(ss)` in the order their statements lie in the store: a sum, whose order is free,
    /// reads the columns front to back rather than in the order of the groups (unit first).
    func runsInStoreOrder(_ ss: StatementRows) -> [Int] {
        let all = runs(ss)
        if let known = ss.runsFound.runsInStoreOrder, known.count == all.count { return known }
        let starts = all.map { base(ss, $0.lowerBound) }
        let order = all.indices.sorted { starts[$0] < starts[$1] }
        if ss.runsFound.runs?.count == all.count { ss.runsFound.runsInStoreOrder = order }
        return order
    }

    /// Per run of `runs(ss)`, whether its statements are one stretch of the store's rows in order (then summed
    /// as they lie, without reading the rows again): found once per set of facts, kept in its memo.
    func contiguousRuns(_ ss: StatementRows) -> [Bool] {
        let all = runs(ss)
        if let known = ss.runsFound.contiguous, known.count == all.count { return known }
        let out = ss.refs.withUnsafeBufferPointer { refs in
            all.map { run -> Bool in
                var expected = refs[run.lowerBound]
                guard expected >= 0 else { return false }
                for n in run {
                    if refs[n] != expected { return false }
                    expected &+= 1
                }
                return true
            }
        }
        if ss.runsFound.runs?.count == all.count { ss.runsFound.contiguous = out }
        return out
    }

    /// Per run of `runs(ss)`, its group's number (found with the runs, kept in the memo).
    func runGroups(_ ss: StatementRows) -> [Int32] {
        let all = runs(ss)
        if let known = ss.runsFound.runGroups, known.count == all.count { return known }
        return all.map { selector.groupOf[base(ss, $0.lowerBound)] }
    }

    /// The integer of a field every row of group `g` shares, as `rawValue` reads it from a row; nil for a field
    /// that is not the group's own (region, which runs share but groups need not).
    @inline(__always)
    func groupValue(_ f: StatementField, _ g: Int) -> UInt32? {
        switch f {
        case .unit: return selector.groupUnit[g]
        case .year: return UInt32(UInt16(bitPattern: selector.groupYear[g]))
        case .phase: return UInt32(selector.groupPhase[g])
        case .measure: return UInt32(selector.groupMeasure[g])
        default: return nil
        }
    }

    /// The runs of `ss`: ranges of consecutive statements that share every run-constant field.
    func runs(_ ss: StatementRows) -> [Range<Int>] {
        if let known = ss.runsFound.runs { return known }
        var out: [Range<Int>] = []
        var groups: [Int32] = []
        defer { (ss.runsFound.runs, ss.runsFound.runGroups) = (out, groups) }
        // The statements' rows rise within a group: read through cursors, a run at a time.
        var groupOf = RunArray.Cursor(selector.groupOf), region = RunArray.Cursor(columns.region)
        var lo = 0
        while lo < ss.count {
            let b = base(ss, lo)
            let (g, r) = (groupOf(b), region(b))
            var hi = lo + 1
            while hi < ss.count {
                let x = base(ss, hi)
                guard groupOf(x) == g && region(x) == r else { break }
                hi += 1
            }
            out.append(lo..<hi)
            groups.append(g)
            lo = hi
        }
        return out
    }
}
