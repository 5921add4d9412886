// OnePassSum.swift — the usual `sum … by` whose keys are fields that a run of
// facts shares (unit, year …) and one column that varies within the run
// (func, econ, project …): each statement is found its group and added to it
// in one pass over the columns, into one flat array of 16-byte cells (sum,
// count, phases, measures), with no slot written per statement and no
// Accumulator per group. A large pass is split over two threads by the
// runs' shared part (a unit's groups are all one thread's). Only the groups
// printed become Accumulators (10 of 300,000 for `… | top 10`). Anything
// else (a derived figure, a made statement, an overflow, a group that mixes
// phases) goes the general way, which says what it says.

import FiscalData
import Foundation

/// A group's running sum: what the usual `sum` needs of it.
struct SumCell {
    var sum: Int64 = 0
    var count: UInt32 = 0
    /// The measures and phases added (1 << code).
    var measures: UInt16 = 0
    var phases: UInt8 = 0
    /// Whether a statement added was printed in 元 (the mark `from 元`).
    var yuan = false
}

/// The groups of a one-pass sum: per slot, its cell (for a comparison, one per side), its key's integers and
/// the position of a statement of it (from which its values are made, as `SlotIntegers.rows`).
struct OnePassGroups {
    var cells: [SumCell] = []
    var keys: [RawKey] = []
    var rows: [Int] = []
    var overflow = false
    var stopped = false

    /// What a stretch of statements added up to (`c`), taken into cell `i`; an overflow is kept, not wrapped.
    @inline(__always)
    mutating func add(_ c: SumCell, into i: Int) {
        let (sum, o) = cells[i].sum.addingReportingOverflow(c.sum)
        overflow = overflow || o
        cells[i].sum = sum
        cells[i].count += c.count
        cells[i].phases |= c.phases
        cells[i].measures |= c.measures
        if c.yuan { cells[i].yuan = true }
    }

    /// Another thread's groups after these (its slots numbered after ours).
    mutating func append(_ o: OnePassGroups) {
        cells += o.cells
        keys += o.keys
        rows += o.rows
        overflow = overflow || o.overflow
        stopped = stopped || o.stopped
    }
}

extension Evaluator {
    /// What one run contributes to a one-pass sum: its shared part's table, its key's shared integers, and its
    /// phase and measure as bits.
    private struct RunPart { var table: Int; var key: RawKey; var phase: UInt8; var measure: UInt16; var yuan: Bool; var side: Int }

    /// The column of integers a key on `f` reads as it is (a text's id, a packed full code), for the loops
    /// that read one varying column through pointers; nil for other fields.
    func integerColumn(_ f: StatementField) -> [UInt32]? {
        switch f {
        case .function: return columns.function
        case .econ: return columns.econDept
        // Columns kept as runs go the general way (which reads them a run at a time).
        case .econGov: return columns.econGov.denseValues
        case .project: return columns.project.denseValues
        case .category: return columns.category.denseValues
        case .doc: return columns.doc.denseValues
        default: return nil
        }
    }

    /// Whether distinct integers of `keys`' fields always make distinct values (a unit's id, a full code, a
    /// year; not a code cut to its class, nor a name): a new integer is then a new group.
    func integersAreValues(_ keys: [KeyPlan]) -> Bool {
        keys.allSatisfy { k in
            guard case .field(let f) = k.expr, !f.named else { return false }
            return ![.region, .table, .class, .section, .item, .level].contains(f.field)
        }
    }

    /// The groups and sums of the usual `sum` of amounts by `keys` over `ss` in one pass, where the keys are
    /// fields a run shares and one integer column, and every statement is a store row whose group has no
    /// derived figure; nil where that does not hold or a sum overflows (the general way then says where).
    /// `sides`: for a comparison, the side (0 or 1) of each run of `runs(ss)`; slot i's side k is then cell
    /// 2i + k (a side no statement reached has a count of 0).
    func onePassSum(_ keys: [KeyPlan], _ ss: StatementRows, sides: [Int]? = nil) throws(QueryError) -> (groups: OnePassGroups, integers: SlotIntegers)? {
        guard onePass, ss.made.isEmpty, ss.count > 0, keys.count <= 4, integersAreValues(keys) else { return nil }
        let fields = keys.compactMap { k -> StatementField? in
            if case .field(let f) = k.expr, f.field != .amount { return f.field } else { return nil }
        }
        let varying = fields.indices.filter { !fields[$0].isRunConstant }
        guard fields.count == keys.count, varying.count == 1, varying.count < fields.count,
              let column = integerColumn(fields[varying[0]]) else { return nil }
        let j = varying[0], shared = fields.indices.filter { $0 != j }
        let runs = runs(ss), order = runsInStoreOrder(ss)
        // Each run's part: which shared part's table it takes up (numbered as first met), its phase and measure.
        var parts: [RunPart] = []
        parts.reserveCapacity(runs.count)
        var tableOf = RawKeyTable(capacity: 256)
        var tableCount = 0
        let width = sides == nil ? 1 : 2
        // A run's group, and the fields that are its group's own read from the group (a run's first row lies
        // far from the last run's: its columns would be a cache miss per run); region from the row.
        let groupOfRun = runGroups(ss)
        for (k, run) in runs.enumerated() {
            let g = Int(groupOfRun[k])
            if selector.groupHasDerived[g] { return nil }
            var key = RawKey(a: 0, b: 0)
            for i in shared { key.set(i, groupValue(fields[i], g) ?? rawValue(fields[i], base(ss, run.lowerBound))) }
            let t: Int
            if let known = tableOf[key] { t = Int(known) } else {
                t = tableCount
                tableOf.insert(key, Int32(t))
                tableCount += 1
            }
            parts.append(RunPart(table: t, key: key, phase: 1 << selector.groupPhase[g], measure: 1 << selector.groupMeasure[g],
                                 yuan: selector.groupHasYuan[g], side: sides?[k] ?? 0))
        }
        // Two threads when the pass is large: each takes the shared parts of one parity, so that a part's
        // groups are one thread's.
        let split = ss.count >= parallelRows && Self.cores > 1 && tableCount > 1
        let stop = shouldStop
        func pass(_ parity: Int?) -> OnePassGroups {
            var out = OnePassGroups()
            var tables = [SlotTable<UInt32>?](repeating: nil, count: tableCount)
            column.withUnsafeBufferPointer { col in
            columns.amount.withUnsafeBufferPointer { amount in
            ss.refs.withUnsafeBufferPointer { refs in
                for k in order {
                    let part = parts[k]
                    if let parity, part.table & 1 != parity { continue }
                    if let stop, stop() { out.stopped = true; return }
                    // A unit's table, small enough to stay in the caches while its runs are read.
                    var table = tables[part.table] ?? SlotTable<UInt32>(capacity: 32)
                    // The cell of the last value met (its slot's, on the run's side), and what the statements
                    // since have added up to: neighbouring statements mostly share their value (a code's
                    // items), and the cell is written once for them.
                    var lastValue: UInt32 = 0, last = -1
                    var run = SumCell(measures: part.measure, phases: part.phase)
                    for n in runs[k] {
                        let r = Int(refs[n]), v = col[r]
                        if last < 0 || v != lastValue {
                            if last >= 0 { out.add(run, into: last); (run.sum, run.count, run.yuan) = (0, 0, false) }
                            if let known = table[v] { last = Int(known) * width + part.side } else {
                                table.insert(v, Int32(out.keys.count))
                                last = out.cells.count + part.side
                                var key = part.key
                                key.set(j, v)
                                out.cells.append(SumCell())
                                if width == 2 { out.cells.append(SumCell()) }
                                out.keys.append(key)
                                out.rows.append(n)
                            }
                            lastValue = v
                        }
                        let (added, o) = run.sum.addingReportingOverflow(amount[r])
                        out.overflow = out.overflow || o
                        run.sum = added
                        run.count += 1
                        if part.yuan && columns.printed[r] != 0 { run.yuan = true }
                    }
                    if last >= 0 { out.add(run, into: last) }
                    tables[part.table] = table
                }
            } } }
            return out
        }
        var groups: OnePassGroups
        if split {
            reads.splitSums += 1
            let shares = UnsafeMutableBufferPointer<OnePassGroups>.allocate(capacity: 2)
            shares.initialize(repeating: OnePassGroups())
            defer { _ = shares.deinitialize(); shares.deallocate() }
            // Each thread writes its own element of `shares` and only reads the rest.
            let work = UncheckedSendable { (p: Int) in shares[p] = pass(p) }
            DispatchQueue.concurrentPerform(iterations: 2) { work.value($0) }
            groups = shares[0]
            groups.append(shares[1])
        } else {
            groups = pass(nil)
        }
        if groups.stopped { throw QueryError(.interrupted, Span(0, 0), "interrupted") }
        if groups.overflow { return nil }
        var integers = SlotIntegers(keys: groups.keys, rows: groups.rows, fields: fields.map { Optional($0) })
        integers.columns = KeyPlan.positions(keys)
        return (groups, integers)
    }

    /// `aggregate` for the usual sum taken in one pass (`onePassSum`); nil where it cannot be, or where a
    /// group adds phases or measures together that must not be (the general way then says which).
    func aggregateInOnePass(_ a: AggregatePlan, _ ss: StatementRows, top: (descending: Bool, n: Int)?) throws(QueryError) -> Table? {
        guard let (groups, integers) = try onePassSum(a.keys, ss), let makeKey = keyMaker(a.keys, ss, integers) else { return nil }
        let cells = groups.cells
        let single = !cells.contains { $0.phases.nonzeroBitCount != 1 || $0.measures.nonzeroBitCount != 1 }
        if a.guardsMixing && !single { return nil }
        reads.onePassSums += 1
        let sorted: [Int]
        if let top {
            sorted = topSlots(cells, top) { slots in sortedByKey(slots.map(makeKey)).map { slots[$0] } }
        } else {
            sorted = sortedByKey([[Value]](repeating: [], count: cells.count), integers, value: makeKey)
        }
        return try aggregateTable(a, sorted, key: makeKey, singleOrigin: single) { i in
            let c = cells[i]
            var g = Accumulator()
            (g.count, g.valued) = (Int(c.count), Int(c.count))
            (g.phaseBits, g.measureBits) = (UInt16(c.phases), c.measures)
            g.amount = Money(units: c.sum)
            if c.yuan { g.marks.insert(.yuan) }
            g.settle()
            return g
        }
    }

    /// The `top.n` slots by their sums, ties in key order (`byKey` puts slots in key order), as `sort` then
    /// `limit` keep them: only the slots as good as the n-th best are put in key order.
    func topSlots(_ cells: [SumCell], _ top: (descending: Bool, n: Int), byKey: ([Int]) -> [Int]) -> [Int] {
        guard top.n > 0, !cells.isEmpty else { return [] }
        let descending = top.descending
        @inline(__always) func better(_ x: Int64, _ y: Int64) -> Bool { descending ? x > y : x < y }
        // The n best sums, in order: kept while scanning when n is small (a `top`), else sorted.
        var best: [Int64] = []
        if top.n < cells.count / 8 {
            for c in cells {
                if best.count == top.n {
                    if !better(c.sum, best[top.n - 1]) { continue }
                    best.removeLast()
                }
                best.insert(c.sum, at: best.firstIndex { better(c.sum, $0) } ?? best.count)
            }
        } else {
            best = Array(cells.map(\.sum).sorted(by: better).prefix(top.n))
        }
        let nth = best[best.count - 1]
        let candidates = best.count < top.n ? Array(cells.indices) : cells.indices.filter { !better(nth, cells[$0].sum) }
        // In key order, then by sum (stable: equal sums keep their key order).
        let keyed = byKey(candidates)
        let ranked = keyed.indices.sorted { x, y in
            let (a, b) = (cells[keyed[x]].sum, cells[keyed[y]].sum)
            return a != b ? better(a, b) : x < y
        }
        return ranked.prefix(top.n).map { keyed[$0] }
    }

    /// `compare` taken in one pass (`onePassSum`, a cell per slot and side); nil where it cannot be, or where
    /// a side of a group adds phases or measures together (the general way then says which).
    /// `sides`: each run's side, when known.
    func compareInOnePass(_ c: ComparePlan, _ ss: StatementRows, sides known: [Int]?) throws(QueryError) -> Table? {
        let sideOf = sideReader(c)
        let sides = known ?? runs(ss).map { sideOf(base(ss, $0.lowerBound)) ?? 0 }
        guard let (groups, integers) = try onePassSum(c.keys, ss, sides: sides),
              let makeKey = keyMaker(c.keys, ss, integers) else { return nil }
        let cells = groups.cells
        if cells.contains(where: { $0.phases.nonzeroBitCount > 1 || $0.measures.nonzeroBitCount > 1 }) { return nil }
        reads.onePassSums += 1
        for cell in cells { resultMeasures |= cell.measures }
        var finalFirst = false
        if case let .phases(a, _) = c.sides { finalFirst = a == .final }
        let names = sideNames(c)
        var rows: [[Value]] = []
        rows.reserveCapacity(groups.keys.count)
        for i in sortedByKey([[Value]](repeating: [], count: groups.keys.count), integers, value: makeKey) {
            let (a, b) = (cells[2 * i], cells[2 * i + 1])
            let marks: [[FigureMark]] = [a.yuan ? [.yuan] : [], b.yuan ? [.yuan] : []]
            for m in marks where !m.isEmpty { noteMarks(Set(m)) }
            rows.append(makeKey(i) + (try Self.compared(c, a.count > 0 ? .money(Money(units: a.sum)) : .null,
                                                         b.count > 0 ? .money(Money(units: b.sum)) : .null,
                                                         marks: marks, names: names, finalFirst: finalFirst)))
        }
        return Table(columns: c.columns, rows: rows, valueColumn: c.valueIndex)
    }
}
