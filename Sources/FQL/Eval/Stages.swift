// Stages.swift — each step of a plan on the rows it receives: filter,
// aggregate (sum/count/avg/min/max by keys, with code roll-up and the guard
// against adding measures or phases together), compare (two phases or two
// years, outer-joined on the keys, nulls kept), share, sort, limit, select,
// tabulate and chart. Groups come out ordered by their keys.

import FiscalData
import Foundation

extension Evaluator {
    func apply(_ step: Step, _ rows: Rows) throws(QueryError) -> Rows {
        switch (step, rows) {
        case (.filter(let e), .statements(let ss)):
            // A condition on what a run of one group's facts shares (year, unit, phase) is decided once a run;
            // it cannot ask for money a remainder holds, so it has no note to leave.
            if e.columns.isEmpty && e.fields.allSatisfy(\.isRunConstant) {
                let all = runs(ss)
                var keep: [Range<Int>] = []
                for run in all where try eval(e, row(ss, run.lowerBound)) == .bool(true) {
                    try tick(run.lowerBound & ~1023)
                    keep.append(run)
                }
                // Nothing left out: the same statements, with what is known of them (their runs).
                if keep.count == all.count { return .statements(ss) }
                return .statements(ss.keeping(keep.joined()))
            }
            let out = try Predicate(e, self).passing(ss)
            // Money no row classifies (a remainder, a total alone) left out, by group: the rows not kept that
            // are derived (a column read a row, never a value made), walked beside the rows kept.
            var dropped: [Int32: Money] = [:]
            // Only where some group has a derived row (or the selection made statements) is there any to find.
            let anyDerived = !ss.made.isEmpty || runs(ss).contains { selector.groupHasDerived[group(ss, $0.lowerBound)] }
            if anyDerived {
                try out.withUnsafeBufferPointer { (kept: UnsafeBufferPointer<Int>) throws(QueryError) in
                    try ss.refs.withUnsafeBufferPointer { (refs: UnsafeBufferPointer<Int32>) throws(QueryError) in
                        let derived = columns.derived
                        var k = 0
                        for n in 0..<refs.count {
                            if k < kept.count && kept[k] == n { k += 1; continue }
                            let r = Int(refs[n])
                            if r >= 0 && derived[r] == 0 { continue }
                            guard isDerived(ss, n), !marks(ss, n).isDisjoint(with: [.remainder, .totalOnly]) else { continue }
                            let g = selector.groupOf[base(ss, n)]
                            do throws(MoneyError) { dropped[g] = try (dropped[g] ?? .zero).adding(amount(ss, n)) } catch {
                                throw QueryError(.overflow, Span(0, 0), error.description)
                            }
                        }
                    }
                }
            }
            // The groups kept (some row of theirs passed): found only when some remainder was dropped.
            let kept = dropped.isEmpty ? [] : Set(out.map { selector.groupOf[base(ss, $0)] })
            // Money no row classifies may hold some of what the filter asks for (蔡甸's project spending
            // has no econ breakdown: `econ = 302` finds 4.07 of basic spending, and cannot see the rest).
            // Only a filter on a classifying field (func, econ, nature, project …) can ask for such money, and
            // a remainder within the checks' rounding tolerance (0.01) is rounding.
            let asksClassified = e.fields.contains { $0.cutField != nil }
            for (id, m) in dropped.sorted(by: { selector.groupList[Int($0.key)] < selector.groupList[Int($1.key)] })
            where asksClassified && kept.contains(id) && m.units.magnitude > UInt64(Money.roundingTolerance.units) {
                let g = selector.groupList[Int(id)]
                note("\(g.unit) \(g.year) \(g.phase.rawValue) \(g.measure.rawValue): \(m.format(grouping: true, decimals: 2)) "
                     + "that no row of the answering table classifies is not in this answer; part of it may be what was asked")
            }
            return .statements(out.count == ss.count ? ss : ss.keeping(out))
        case (.filter(let e), .table(let t)):
            var kept: [Int] = []
            // Only a filter on keys can ask for money the remainder may hold (not `amount > 500`).
            let marks = t.columns.firstIndex(of: noteColumn).flatMap { m in
                e.columns.contains { $0 != m && $0 != t.valueColumn } ? m : nil
            }
            for (n, r) in t.rows.enumerated() {
                try tick(n)
                if try eval(e, .values(r)) == .bool(true) {
                    kept.append(n)
                } else if let m = marks, case .text(let x) = r[m], x.contains(FigureMark.remainder.rawValue)
                            || x.contains(FigureMark.totalOnly.rawValue), let v = t.valueColumn, let amount = r[v].money,
                          amount.units.magnitude > UInt64(Money.roundingTolerance.units) {
                    note("a row of money no table classifies (\(amount.format(grouping: true, decimals: 2))) is not in this answer; part of it may be what was asked")
                }
            }
            return .table(t.keeping(kept))
        case (.aggregate(let a), _):
            return .table(try aggregate(a, rows))
        case (.compare(let c), .statements(let ss)):
            return .table(try compare(c, ss))
        case (.tabulate(let refs, let prune), .statements(let ss)):
            var t = Table(columns: refs.map { Column(name: $0.name, type: $0.type) },
                          rows: (0..<ss.count).map { n in let r = row(ss, n); return refs.map { fieldValue($0, r) } },
                          valueColumn: refs.firstIndex { $0.field == .amount && !$0.named })
            t.prunable = prune
            t.origins = (0..<ss.count).map { origin(ss, $0, fromRows: readsRows) }
            for o in t.origins! { resultMeasures |= 1 << Measure.code(o.measure) }
            return .table(t)
        case (.select(let idx), .table(let t)):
            return .table(project(t, idx))
        case (.share(let v, let within), .table(var t)):
            var totals: [[Value]: Money] = [:]
            for r in t.rows {
                guard let m = r[v].money else { continue }
                let k = within.map { r[$0] }
                do { totals[k] = try (totals[k] ?? .zero).adding(m) } catch {
                    throw QueryError(.overflow, Span(0, 0), error.description)
                }
            }
            t.rows = t.rows.map { r in
                let total = totals[within.map { r[$0] }]
                guard let m = r[v].money, let total, let p = Money.percent(m, of: total) else { return r + [.null] }
                return r + [.percent(p)]
            }
            t.columns.append(Column(name: "share", type: .percent))
            return .table(t)
        case (.sortStatements(let keys), .statements(let ss)):
            let sorted = (0..<ss.count).sorted { x, y in
                for (ref, desc) in keys {
                    let a = fieldValue(ref, row(ss, x)), b = fieldValue(ref, row(ss, y))
                    let c = ordered(a, b, desc)
                    if c != 0 { return c < 0 }
                }
                return x < y
            }
            return .statements(ss.keeping(sorted))
        case (.sortTable(let keys), .table(let t)):
            return .table(t.keeping(sortedRows(t, keys, first: nil)))
        case (.limit(let n), .statements(let ss)):
            return .statements(ss.keeping(0..<min(n, ss.count)))
        case (.limit(let n), .table(let t)):
            return .table(t.keeping(Array(t.rows.indices.prefix(n))))
        case (.why(let labels), .table(let t)):
            return .table(why(labels, t))
        case (.chart(let c), .table(var t)):
            t.chartColumn = c
            return .table(t)
        default:
            fatalError("the checker let through a step for the wrong rows: \(step)")
        }
    }

    /// The rows of `t` in the order of `keys` (ties in their order): all of them, or only the `first` n
    /// (`top`: a sort followed by a limit keeps the n best while scanning, never sorting everything).
    func sortedRows(_ t: Table, _ keys: [(Int, Bool)], first: Int?) -> [Int] {
        sortedIndices(t.rows.count, keys, first: first) { t.rows[$0][$1] }
    }

    /// The same over `count` rows whose cells `cell(row, column)` gives (an aggregate's values, without a
    /// table of one-cell rows made for them).
    func sortedIndices(_ count: Int, _ keys: [(Int, Bool)], first: Int?, cell: (Int, Int) -> Value) -> [Int] {
        func before(_ x: Int, _ y: Int) -> Bool {
            for (i, desc) in keys {
                let c = ordered(cell(x, i), cell(y, i), desc)
                if c != 0 { return c < 0 }
            }
            return x < y
        }
        if first == 0 { return [] }
        guard let n = first, n < count / 8 else {
            let all = (0..<count).sorted(by: before)
            return first.map { Array(all.prefix($0)) } ?? all
        }
        var best: [Int] = []
        for r in 0..<count {
            if best.count == n, !before(r, best[n - 1]) { continue }
            let at = best.firstIndex { before(r, $0) } ?? best.count
            best.insert(r, at: at)
            if best.count > n { best.removeLast() }
        }
        return best
    }

    /// Order of two values for sorting; nulls last in either direction.
    private func ordered(_ a: Value, _ b: Value, _ descending: Bool) -> Int {
        if a.isNull != b.isNull { return a.isNull ? 1 : -1 }
        let c = compareValues(a, b)
        return descending ? -c : c
    }

    /// The key values of a row, with catalogue names after code keys.
    func keyValues(_ keys: [KeyPlan], _ row: RowRef) throws(QueryError) -> [Value] {
        var out: [Value] = []
        for k in keys { out += keyValue(try eval(k.expr, row), k) }
        return out
    }

    /// Key `k`'s value `v` as a result shows it: with the catalogue's name after a code key that asks for it.
    func keyValue(_ v: Value, _ k: KeyPlan) -> [Value] {
        guard k.withName else { return [v] }
        if case .code(let c) = v { return [v, catalog.name(of: c).map(Value.text) ?? .null] }
        return [v, .null]
    }

    struct Accumulator {
        var sum: Value = .null
        var count = 0
        var valued = 0
        var best: Value = .null
        /// The phases and measures held, as bits (1 << ByteCoded code): set per row without hashing.
        var phaseBits: UInt16 = 0
        var measureBits: UInt16 = 0
        var phases: Set<Phase> { Set(Phase.allCases.filter { phaseBits & 1 << Phase.code($0) != 0 }) }
        var measures: Set<Measure> { Set(Measure.allCases.filter { measureBits & 1 << Measure.code($0) != 0 }) }
        var marks = Set<FigureMark>()
        /// Over statements of `rows`: their tables, and whether any is a total or subtotal.
        var tables = Set<String>()
        var totals = false
        /// With `why` to come: the statements added.
        var sources: [FiscalData.Statement] = []
        /// Amounts summed as they are (`sum`, `compare`): Money added to Money, settled into `sum` at the end.
        var amount: Money? = nil

        /// The marks as a `note` cell: null when none.
        var note: Value { marks.isEmpty ? .null : .text(marks.sorted().map(\.rawValue).joined(separator: ", ")) }

        /// Takes in what a row came from.
        mutating func add(_ o: RowOrigin) {
            phaseBits |= 1 << Phase.code(o.phase)
            measureBits |= 1 << Measure.code(o.measure)
            if let t = o.table { tables.insert(t); totals = totals || o.level != .leaf }
        }


        /// Adds `m` to `amount`; overflow is an error at `span`.
        mutating func add(amount m: Money, _ span: Span) throws(QueryError) {
            guard let total = amount else { amount = m; return }
            do { amount = try total.adding(m) } catch { throw QueryError(.overflow, span, error.description) }
        }

        /// `sum` from the amounts added, where any were.
        mutating func settle() { if let m = amount { sum = .money(m) } }

        /// The error for a group that would add measures or phases together; `phaseHint` says how to pick a phase.
        func checkNotMixed(_ what: String, _ span: Span, phaseHint: String) throws(QueryError) {
            if measureBits.nonzeroBitCount > 1 {
                let names = measures.map(\.rawValue).sorted().joined(separator: " and ")
                throw QueryError(.mixedAggregate, span,
                                 "\(what) would add \(names) together; pick one with \"where measure = spending\" or add \"by measure\"")
            }
            if phaseBits.nonzeroBitCount > 1 {
                let names = Phase.allCases.filter(phases.contains).map(\.rawValue).joined(separator: " and ")
                throw QueryError(.mixedAggregate, span, "\(what) would add \(names) figures together\(phaseHint)")
            }
            // `rows` holds every figure as printed: a sum over several of its tables, or over its totals,
            // counts money more than once (蔡甸's 174.25 would come to 6,215.62).
            if totals || tables.count > 1 {
                let why = totals ? "totals and subtotals with their rows" : "the same money in \(tables.count) tables"
                throw QueryError(.mixedAggregate, span, "\(what) over rows would count money more than once (\(why)); "
                                 + "use facts (final, budget, spending …), or one table's leaves: where table ~ \"…\" and level = leaf")
            }
        }
    }

    /// What a range of facts holds: the sum of the store's amounts (overflow said, not thrown), how many, the
    /// phases and measures as bits, and the positions to take one by one (made statements, figures with marks).
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// A value handed to the threads of `DispatchQueue.concurrentPerform`, which the caller makes safe to share
    /// (each thread writes only its own part).
    struct UncheckedSendable<T>: @unchecked Sendable { let value: T; init(_ value: T) { self.value = value } }

    /// One thread's share of a sum by runs: per slot, what `sumFacts` keeps.
    struct RunSums {
        var sums: [Int64], counts: [Int], phaseBits: [UInt16], measureBits: [UInt16], yuan: [Bool]
        var derived: [Int] = []
        var overflow = false, stopped = false
        init(groups: Int) {
            sums = Array(repeating: 0, count: groups)
            counts = Array(repeating: 0, count: groups)
            phaseBits = Array(repeating: 0, count: groups)
            measureBits = Array(repeating: 0, count: groups)
            yuan = Array(repeating: false, count: groups)
        }
        init(sums: [Int64], counts: [Int], phaseBits: [UInt16], measureBits: [UInt16], yuan: [Bool], derived: [Int], overflow: Bool) {
            (self.sums, self.counts, self.phaseBits, self.measureBits, self.yuan) = (sums, counts, phaseBits, measureBits, yuan)
            (self.derived, self.overflow) = (derived, overflow)
        }
        /// Another share's sums added to these (exactly: an overflow is kept, not wrapped).
        mutating func join(_ p: RunSums) {
            overflow = overflow || p.overflow
            derived += p.derived
            for i in sums.indices where p.counts[i] > 0 {
                let (sum, o) = sums[i].addingReportingOverflow(p.sums[i])
                overflow = overflow || o
                (sums[i], counts[i]) = (sum, counts[i] + p.counts[i])
                (phaseBits[i], measureBits[i]) = (phaseBits[i] | p.phaseBits[i], measureBits[i] | p.measureBits[i])
                if p.yuan[i] { yuan[i] = true }
            }
        }
        /// Each run into its slot, `sum` of a block of 65,536 statements at a time, Ctrl-C (`stop`) asked between
        /// blocks; false when it said to stop.
        /// A run's third part says it is known to be one stretch of the store in order (`contiguousRuns`).
        mutating func add(_ runs: some Sequence<(Range<Int>, Int, Bool)>, _ sum: (Range<Int>, Bool) -> RangeSum, stop: (() -> Bool)?) -> Bool {
            for (run, i, contiguous) in runs {
                var lo = run.lowerBound
                while lo < run.upperBound {
                    if let stop, stop() { return false }
                    let hi = min(run.upperBound, lo + 65_536)
                    take(sum(lo..<hi, contiguous), i)
                    lo = hi
                }
            }
            return true
        }
        mutating func take(_ t: RangeSum, _ i: Int) {
            let (sum, o) = sums[i].addingReportingOverflow(t.sum)
            overflow = overflow || o || t.overflow
            derived += t.oneByOne
            (sums[i], phaseBits[i], measureBits[i]) = (sum, phaseBits[i] | t.phases, measureBits[i] | t.measures)
            counts[i] += t.count
            if t.yuan { yuan[i] = true }
        }
    }

    struct RangeSum { var sum: Int64 = 0; var count = 0; var phases: UInt16 = 0; var measures: UInt16 = 0
                      var overflow = false; var oneByOne: [Int] = []
                      /// Whether a statement of the range was printed in 元 (the mark `from 元`).
                      var yuan = false }

    /// The columns a sum reads, opened once for many ranges (a range costs no retain, copy or look-up of
    /// the arrays: at 10 million statements a query sums tens of thousands of runs).
    struct SumColumns {
        let amount: UnsafeBufferPointer<Int64>, derived: RunArray<UInt32>
        let groupPhase: UnsafeBufferPointer<UInt8>, groupMeasure: UnsafeBufferPointer<UInt8>
        let groupOf: RunArray<Int32>, hasDerived: UnsafeBufferPointer<Bool>
        let printed: RunArray<UInt8>, hasYuan: UnsafeBufferPointer<Bool>
        let refs: UnsafeBufferPointer<Int32>, madeFrom: UnsafeBufferPointer<Int32>
    }

    func withSumColumns<R>(_ ss: StatementRows, _ body: (SumColumns) -> R) -> R {
        let c = columns
        return c.amount.withUnsafeBufferPointer { amount in
        selector.groupPhase.withUnsafeBufferPointer { phase in
        selector.groupMeasure.withUnsafeBufferPointer { measure in
        selector.groupHasDerived.withUnsafeBufferPointer { hasDerived in
        selector.groupHasYuan.withUnsafeBufferPointer { hasYuan in
        ss.refs.withUnsafeBufferPointer { refs in
        ss.madeFrom.withUnsafeBufferPointer { madeFrom in
            body(SumColumns(amount: amount, derived: c.derived, groupPhase: phase, groupMeasure: measure, groupOf: selector.groupOf,
                            hasDerived: hasDerived, printed: c.printed, hasYuan: hasYuan, refs: refs, madeFrom: madeFrom))
        } } } } } } }
    }

    /// The statements at `range`, summed exactly in one loop over the columns. The range lies within one
    /// run (one group's statements): its phase and measure are read once, and each statement's derivation
    /// only when its group has derived figures.
    /// `known`: the range is known to be one stretch of the store in order (its statements' rows are not
    /// read to find out).
    func rangeSum(_ c: SumColumns, _ range: Range<Int>, contiguous known: Bool = false) -> RangeSum {
        var t = RangeSum()
        guard !range.isEmpty else { return t }
        let refs = c.refs, amount = c.amount
        let first = Int(refs[range.lowerBound])
        let b = first >= 0 ? first : Int(c.madeFrom[-1 - first])
        let g = Int(c.groupOf[b])
        let marked = c.hasDerived[g]
        if c.hasYuan[g] {
            for n in range where refs[n] >= 0 && c.printed[Int(refs[n])] != 0 { t.yuan = true; break }
        }
        // A group's facts are mostly every row of one stretch of the store (its rows are kept together):
        // then the amounts are added as they lie, in two 64-bit halves (exact for 2^31 rows; vectorised).
        var contiguous = !marked && first >= 0 && range.count < 1 << 31
        if contiguous && !known {
            var expected = Int32(first)
            for n in range {
                if refs[n] != expected { contiguous = false; break }
                expected &+= 1
            }
        }
        if contiguous {
            var high: Int64 = 0, low: Int64 = 0
            for a in amount[first..<first + range.count] {
                high &+= a >> 32
                low &+= a & 0xFFFF_FFFF
            }
            let sum = Int128(high) << 32 + Int128(low)
            if let fits = Int64(exactly: sum) { t.sum = fits } else { t.overflow = true }
            t.count = range.count
        } else {
            // Added exactly in 128 bits (no check per statement); the sum overflows when it does not fit 64.
            var sum: Int128 = 0, count = 0
            for n in range {
                let r = Int(refs[n])
                guard r >= 0 else { t.oneByOne.append(n); continue }
                sum &+= Int128(amount[r])
                count += 1
                if marked && c.derived[r] != 0 { t.oneByOne.append(n) }
            }
            if let fits = Int64(exactly: sum) { t.sum = fits } else { t.overflow = true }
            t.count = count
        }
        if t.count > 0 { (t.phases, t.measures) = (1 << c.groupPhase[g], 1 << c.groupMeasure[g]) }
        return t
    }

    /// The two sides of a comparison whose keys every statement of a run shares: each run's amounts summed
    /// in one loop into its slot and side. False, with `accs` untouched, when a run's sum overflows (the
    /// statement-by-statement loop then says where).
    private func compareByRun(_ c: ComparePlan, _ ss: StatementRows, _ runs: [Range<Int>], _ slotOf: [Int32],
                              _ accs: inout [Accumulator]) throws(QueryError) -> Bool {
        var sums = [RangeSum](repeating: RangeSum(), count: runs.count)
        var oneByOne: [(n: Int, run: Int)] = []
        var overflow = false
        let known = runs == self.runs(ss)
        let order = known ? runsInStoreOrder(ss) : Array(runs.indices)
        let contiguous = known ? contiguousRuns(ss) : nil
        withSumColumns(ss) { columns in
            for k in order {
                let t = rangeSum(columns, runs[k], contiguous: contiguous?[k] ?? false)
                overflow = overflow || t.overflow
                oneByOne += t.oneByOne.map { ($0, k) }
                sums[k] = t
            }
        }
        if overflow { return false }
        try tick(0)
        var out = accs
        let sideOf = sideReader(c)
        for (k, run) in runs.enumerated() where sums[k].count > 0 {
            let (i, side) = (Int(slotOf[k]), sideOf(base(ss, run.lowerBound))!)
            try out[2 * i + side].add(amount: Money(units: sums[k].sum), c.span)
            out[2 * i + side].phaseBits |= sums[k].phases
            out[2 * i + side].measureBits |= sums[k].measures
            if sums[k].yuan { out[2 * i + side].marks.insert(.yuan) }
        }
        // Statements the fact selection made, and figures with marks: few, one by one.
        for (n, k) in oneByOne {
            let (i, side) = (Int(slotOf[k]), sideOf(base(ss, runs[k].lowerBound))!)
            do {
                if ss.refs[n] < 0 {
                    try out[2 * i + side].add(amount: amount(ss, n), c.span)
                    absorb(&out[2 * i + side], ss, n)
                }
                out[2 * i + side].marks.formUnion(marks(ss, n))
            }
        }
        accs = out
        return true
    }

    /// The two sides of a comparison keyed per statement (`by unit, func`): summed as `sum` sums, into a
    /// slot per key and side; nil when a sum overflows (the statement-by-statement loop then says where).
    private func compareBySlot(_ c: ComparePlan, _ ss: StatementRows, _ grouped: Slots, groups: Int) throws(QueryError) -> [Accumulator]? {
        guard let slots = grouped.perStatement(ss.count) else { return nil }
        var twice = [Int32](repeating: 0, count: ss.count)
        for run in runs(ss) {
            let side = Int32(side(c, factGroup(ss, run.lowerBound))!)
            for n in run { twice[n] = slots[n] &* 2 &+ side }
        }
        var flat = [Accumulator](repeating: Accumulator(), count: groups * 2)
        guard try sumFacts(ss, .perRow(twice), &flat, c.span) else { return nil }
        return flat
    }

    /// The usual `sum` (or `avg`) of amounts into `accs` by `slots`, a column at a time: sums, counts,
    /// phases and measures in flat arrays (no accumulator touched per row). False, with `accs` untouched, when
    /// a sum overflows.
    private func sumFacts(_ ss: StatementRows, _ slots: Slots, _ accs: inout [Accumulator], _ span: Span) throws(QueryError) -> Bool {
        let groups = accs.count
        var total = RunSums(groups: groups)
        var stopped = false
        let runs = runs(ss), inStoreOrder = runsInStoreOrder(ss), contiguous = contiguousRuns(ss)
        withSumColumns(ss) { columns in
            let (amount, phase, measure, isDerived, refs) = (columns.amount, columns.groupPhase, columns.groupMeasure, columns.derived, columns.refs)
            let (printed, groupOf, hasDerived, hasYuan) = (columns.printed, columns.groupOf, columns.hasDerived, columns.hasYuan)
            let sum = { (range: Range<Int>, known: Bool) in self.rangeSum(columns, range, contiguous: known) }
            // Runs of a slot each (every statement of a run in one group): a large sum is split in two halves
            // of the store, added on two threads, then joined (exact integers: the order does not matter).
            func byRuns(_ slot: @escaping (Int) -> Int) {
                let count = runs.reduce(0) { $0 + $1.count }
                guard count >= parallelRows, Self.cores > 1, inStoreOrder.count > 1 else {
                    if !total.add(inStoreOrder.lazy.map { (runs[$0], slot($0), contiguous[$0]) }, sum, stop: shouldStop) { stopped = true }
                    return
                }
                var half = 0, seen = 0
                while half < inStoreOrder.count && seen * 2 < count { seen += runs[inStoreOrder[half]].count; half += 1 }
                let parts = [inStoreOrder[..<half], inStoreOrder[half...]]
                reads.splitSums += 1
                let partial = UnsafeMutableBufferPointer<RunSums>.allocate(capacity: 2)
                partial.initialize(repeating: RunSums(groups: groups))
                defer { _ = partial.deinitialize(); partial.deallocate() }
                let stop = shouldStop
                // Each thread writes its own element of `partial` and only reads the rest.
                let work = UncheckedSendable { (p: Int) in
                    if !partial[p].add(parts[p].lazy.map { (runs[$0], slot($0), contiguous[$0]) }, sum, stop: stop) { partial[p].stopped = true }
                }
                DispatchQueue.concurrentPerform(iterations: 2) { work.value($0) }
                for p in partial {
                    stopped = stopped || p.stopped
                    total.join(p)
                }
            }
            switch slots {
            case .one:
                byRuns { _ in 0 }
            case .perRun(let slotRuns, let s):
                if slotRuns.count == runs.count {
                    byRuns { Int(s[$0]) }
                } else {
                    if !total.add(zip(slotRuns, s).lazy.map { ($0, Int($1), false) }, sum, stop: shouldStop) { stopped = true }
                }
            case .perRow(let s):
                var (sums, counts, phaseBits, measureBits, yuan) = (total.sums, total.counts, total.phaseBits, total.measureBits, total.yuan)
                var derived: [Int] = [], overflow = false
                s.withUnsafeBufferPointer { slot in
                sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                phaseBits.withUnsafeMutableBufferPointer { phaseBits in
                measureBits.withUnsafeMutableBufferPointer { measureBits in
                    for n in 0..<refs.count {
                        if n & 0xFFFF == 0, let stop = shouldStop, stop() { stopped = true; break }
                        let r = Int(refs[n]), i = Int(slot[n])
                        guard r >= 0 else { derived.append(n); continue }
                        let (sum, o) = sums[i].addingReportingOverflow(amount[r])
                        overflow = overflow || o
                        sums[i] = sum
                        counts[i] += 1
                        let g = Int(groupOf[r])
                        phaseBits[i] |= 1 << phase[g]
                        measureBits[i] |= 1 << measure[g]
                        if hasDerived[g] && isDerived[r] != 0 { derived.append(n) }
                        if hasYuan[g] && printed[r] != 0 { yuan[i] = true }
                    }
                } } } } }
                total.join(RunSums(sums: sums, counts: counts, phaseBits: phaseBits, measureBits: measureBits, yuan: yuan,
                                   derived: derived, overflow: overflow))
            }
        }
        if stopped { throw QueryError(.interrupted, Span(0, 0), "interrupted") }
        if total.overflow { return false }
        for i in 0..<groups where total.counts[i] > 0 {
            accs[i].amount = Money(units: total.sums[i])
            accs[i].count = total.counts[i]
            accs[i].valued = total.counts[i]
            accs[i].phaseBits = total.phaseBits[i]
            accs[i].measureBits = total.measureBits[i]
            if total.yuan[i] { accs[i].marks.insert(.yuan) }
        }
        let derived = total.derived
        // Statements the fact selection made, and figures with marks: few, taken one by one.
        let each = derived.isEmpty ? nil : slots.perStatement(ss.count)
        for n in derived {
            let i = each.map { Int($0[n]) } ?? 0
            if ss.refs[n] < 0 {
                absorb(&accs[i], ss, n)
                accs[i].count += 1
                accs[i].valued += 1
                try accs[i].add(amount: amount(ss, n), span)
            }
            accs[i].marks.formUnion(marks(ss, n))
        }
        return true
    }

    /// Takes in the phase and measure of row `n` of facts, from the columns.
    @inline(__always)
    private func absorb(_ acc: inout Accumulator, _ ss: StatementRows, _ n: Int) {
        let g = Int(selector.groupOf[base(ss, n)])
        acc.phaseBits |= 1 << selector.groupPhase[g]
        acc.measureBits |= 1 << selector.groupMeasure[g]
    }

    /// What a comparison's side that adds phases together says to do.
    static let comparePhaseHint = "; pick one with \"where phase = final\""

    /// How an aggregate that would add a budget to its final accounts says to pick a phase.
    static let aggregatePhaseHint = " (a budget with its own final accounts); "
        + "pick one with \"where phase = final\", add \"by phase\", or use \"compare budget vs final\""

    /// `top`: only the first n groups by the value (ties in key order), as `sort` then `limit` would keep.
    func aggregate(_ a: AggregatePlan, _ rows: Rows, top: (descending: Bool, n: Int)? = nil) throws(QueryError) -> Table {
        var accs: [Accumulator] = []
        var order: [[Value]] = []
        var index: [[Value]: Int] = [:]
        var slotIntegers: SlotIntegers? = nil
        // The values of a slot whose values were left to be made (SlotIntegers.rows).
        var makeKey: ((Int) -> [Value])? = nil
        // An amount summed as it is (the usual `sum`) adds Money to Money, with no value in between.
        var plainAmount = false
        if case .field(let f)? = a.value, f.field == .amount, !f.named, a.kind == .sum || a.kind == .avg { plainAmount = true }
        func fold(_ i: Int, _ row: RowRef) throws(QueryError) {
            accs[i].count += 1
            guard let value = a.value else { return }
            let v = try eval(value, row)
            if v.isNull { return }
            accs[i].valued += 1
            switch a.kind {
            case .sum, .avg: accs[i].sum = accs[i].sum.isNull ? v : try arithmetic("+", accs[i].sum, v, a.span)
            case .min: if accs[i].best.isNull || compareValues(v, accs[i].best) < 0 { accs[i].best = v }
            case .max: if accs[i].best.isNull || compareValues(v, accs[i].best) > 0 { accs[i].best = v }
            case .count: break
            }
        }
        let fromRows = readsRows && a.guardsMixing
        if case .statements(let ss) = rows, a.kind == .sum, plainAmount, !fromRows, !a.keepSources,
           let t = try aggregateInOnePass(a, ss, top: top) {
            return t
        }
        switch rows {
        case .statements(let ss):
            let (slots, keys, integers) = try groupSlots(a.keys, ss)
            order = keys
            slotIntegers = integers
            makeKey = keyMaker(a.keys, ss, integers)
            accs = Array(repeating: Accumulator(), count: keys.count)
            // The usual sum a column at a time; on an overflow, the one-by-one loop finds it and says where.
            if plainAmount && !fromRows && !a.keepSources, try sumFacts(ss, slots, &accs, a.span) {
            } else {
            let each = slots.perStatement(ss.count)
            for n in 0..<ss.count {
                let i = each.map { Int($0[n]) } ?? 0
                if fromRows { accs[i].add(origin(ss, n, fromRows: true)) } else { absorb(&accs[i], ss, n) }
                if hasMarks(ss, n) { accs[i].marks.formUnion(marks(ss, n)) }
                if a.keepSources { accs[i].sources.append(statement(ss, n)) }
                if plainAmount {
                    accs[i].count += 1
                    accs[i].valued += 1
                    try accs[i].add(amount: amount(ss, n), a.span)
                } else {
                    try fold(i, row(ss, n))
                }
            }
            }
            for i in accs.indices { accs[i].settle() }
        case .table(let t):
            for (n, r) in t.rows.enumerated() {
                try tick(n)
                let k = try keyValues(a.keys, .values(r))
                let i: Int
                if let known = index[k] { i = known } else {
                    i = accs.count
                    index[k] = i
                    accs.append(Accumulator())
                    order.append(k)
                }
                try fold(i, .values(r))
                if let o = t.origins?[n] { accs[i].add(o) }
            }
        }
        if a.keys.isEmpty && order.isEmpty { accs.append(Accumulator()); order.append([]) }
        if a.guardsMixing {
            for g in accs {
                try g.checkNotMixed(a.kind.rawValue, a.span, phaseHint: Evaluator.aggregatePhaseHint)
            }
        }
        let singleOrigin = accs.allSatisfy { $0.phaseBits.nonzeroBitCount == 1 && $0.measureBits.nonzeroBitCount == 1 }
        func value(_ g: Accumulator) throws(QueryError) -> Value { try aggregateValue(a, g) }
        var sorted: [Int]
        // The groups' values in slot order, for `top`; nil where one fails (an average that overflows), so that
        // the values are then made in key order and the error is the first group's in that order, as without top.
        var values: [Value]? = nil
        if top != nil {
            var all: [Value] = []
            all.reserveCapacity(accs.count)
            do { for g in accs { all.append(try value(g)) } } catch { all = [] }
            if all.count == accs.count { values = all }
        }
        if let top, let values {
            // The n best values, ties in key order: only the groups as good as the n-th best by value (n, and
            // any tied with the last) are put in key order, not all of them (300,000 for `by unit, func`).
            let best = sortedIndices(values.count, [(0, top.descending)], first: top.n) { r, _ in values[r] }
            var candidates = Array(0..<values.count)
            if let last = best.last, best.count == top.n {
                candidates = candidates.filter { ordered(values[$0], values[last], top.descending) <= 0 }
            }
            let keys = candidates.map { i in order[i].isEmpty ? makeKey?(i) ?? [] : order[i] }
            let byKey = sortedByKey(keys).map { candidates[$0] }
            sorted = sortedIndices(byKey.count, [(0, top.descending)], first: top.n) { r, _ in values[byKey[r]] }.map { byKey[$0] }
        } else {
            sorted = sortedByKey(order, slotIntegers, value: makeKey)
            if let top {
                var values: [Value] = []
                for i in sorted { values.append(try value(accs[i])) }
                sorted = sortedIndices(values.count, [(0, top.descending)], first: top.n) { r, _ in values[r] }.map { sorted[$0] }
            }
        }
        if let makeKey { for i in sorted where order[i].isEmpty { order[i] = makeKey(i) } }
        return try aggregateTable(a, sorted, key: { order[$0] }, singleOrigin: singleOrigin) { accs[$0] }
    }

    /// A group's aggregate value, as the result shows it.
    func aggregateValue(_ a: AggregatePlan, _ g: Accumulator) throws(QueryError) -> Value {
        switch a.kind {
        case .count: return .int(g.count)
        case .sum: return g.sum
        case .min, .max: return g.best
        case .avg: return g.valued == 0 ? .null : try arithmetic("/", g.sum, .int(g.valued), a.span)
        }
    }

    /// An aggregate's result: a row per group of `sorted`, in that order, its key values (`key`), its value
    /// and marks from its accumulator (`acc`); `singleOrigin`: every group holds one phase and one measure.
    func aggregateTable(_ a: AggregatePlan, _ sorted: [Int], key: (Int) -> [Value], singleOrigin: Bool,
                        _ acc: (Int) -> Accumulator) throws(QueryError) -> Table {
        var out: [[Value]] = [], sources: [[FiscalData.Statement]] = [], origins: [RowOrigin] = []
        // A sum of sums is guarded like a sum: each row keeps the one phase and measure it holds.
        let keepOrigins = (a.kind == .sum || a.kind == .avg) && singleOrigin
        for i in sorted {
            let g = acc(i)
            if a.keepSources { sources.append(g.sources) }
            out.append(key(i) + [try aggregateValue(a, g)] + (a.marks ? [g.note] : []))
            noteMarks(g.marks)
            resultMeasures |= g.measureBits
            if keepOrigins {
                origins.append(RowOrigin(phase: Phase.decode(UInt8(g.phaseBits.trailingZeroBitCount))!,
                                         measure: Measure.decode(UInt8(g.measureBits.trailingZeroBitCount))!))
            }
        }
        var t = Table(columns: a.columns, rows: out, valueColumn: a.valueIndex)
        if a.keepSources { t.sources = sources }
        if keepOrigins { t.origins = origins }
        return t
    }

    /// The indexes of `keys` in the order their groups are printed.
    /// Each column's values are ranked once (a handful of distinct units, codes, years), so the groups are
    /// sorted by integers, not by comparing text per comparison.
    /// `value`: the values of a slot whose values were left to be made.
    func sortedByKey(_ keys: [[Value]], _ integers: SlotIntegers? = nil, value: ((Int) -> [Value])? = nil) -> [Int] {
        guard keys.count > 64, let width = keys.first.map({ $0.isEmpty ? value?(0).count ?? 0 : $0.count }), width > 0 else {
            let made = value.map { v in keys.indices.map { keys[$0].isEmpty ? v($0) : keys[$0] } } ?? keys
            return made.indices.sorted { keyOrder(made[$0], made[$1]) }
        }
        if let integers { return sortedByKey(keys, integers, value: value) }
        var ranks = [[Int32]](repeating: [], count: width)
        for j in 0..<width {
            var rank: [Value: Int32] = [:]
            for k in keys { rank[k[j]] = 0 }
            for (n, v) in rank.keys.sorted(by: { compareValues($0, $1) < 0 }).enumerated() { rank[v] = Int32(n) }
            ranks[j] = keys.map { rank[$0[j]]! }
        }
        return keys.indices.sorted { x, y in
            for j in 0..<width where ranks[j][x] != ranks[j][y] { return ranks[j][x] < ranks[j][y] }
            return false
        }
    }

    /// `sortedByKey` from the slots' integers: per key, its distinct integers (few: units, codes, years) are
    /// ranked by their values (equal values, equal ranks: a code's class), and the slots sorted by their
    /// ranks packed into one integer. A code key's name follows from its code, so it never decides.
    private func sortedByKey(_ keys: [[Value]], _ integers: SlotIntegers, value: ((Int) -> [Value])?) -> [Int] {
        let n = keys.count
        var made: [Int: [Value]] = [:]
        func key(_ s: Int) -> [Value] {
            if !keys[s].isEmpty { return keys[s] }
            if let known = made[s] { return known }
            let v = value?(s) ?? []
            made[s] = v
            return v
        }
        var packed = [UInt64](repeating: 0, count: n)
        var bits = 0
        for (j, column) in integers.columns.enumerated() {
            var distinct: [UInt32: Int32] = [:]
            var firstSlot: [Int] = []
            var of = [Int32](repeating: 0, count: n)
            var last: (raw: UInt32, d: Int32)? = nil
            for s in 0..<n {
                let raw = integers.keys[s].part(j)
                if let l = last, l.raw == raw { of[s] = l.d; continue }
                let d: Int32
                if let known = distinct[raw] { d = known } else {
                    d = Int32(firstSlot.count)
                    distinct[raw] = d
                    firstSlot.append(s)
                }
                of[s] = d
                last = (raw, d)
            }
            var rank = [UInt64](repeating: 0, count: firstSlot.count)
            var r: UInt64 = 0
            if integers.fields[j] == .unit {
                // Units ranked once, by the fact selector (no names compared).
                for (d, s) in firstSlot.enumerated() {
                    rank[d] = UInt64(selector.unitRank[Int(integers.keys[s].part(j))])
                    r = max(r, rank[d])
                }
            } else {
                let representative = firstSlot.map { key($0)[column] }
                let byValue = firstSlot.indices.sorted { compareValues(representative[$0], representative[$1]) < 0 }
                for (i, d) in byValue.enumerated() {
                    if i > 0, compareValues(representative[byValue[i - 1]], representative[d]) != 0 { r += 1 }
                    rank[d] = r
                }
            }
            let width = max(1, 64 - r.leadingZeroBitCount)
            bits += width
            guard bits <= 64 - (64 - UInt64(n).leadingZeroBitCount) else {
                let all = keys.indices.map(key)
                return all.indices.sorted { keyOrder(all[$0], all[$1]) }
            }
            for s in 0..<n { packed[s] = packed[s] << UInt64(width) | rank[Int(of[s])] }
        }
        // The slot's number in the low bits: no two slots have the same ranks, and it is read back.
        let slotBits = UInt64(64 - UInt64(n).leadingZeroBitCount)
        for s in 0..<n { packed[s] = packed[s] << slotBits | UInt64(s) }
        packed.sort()
        return packed.map { Int($0 & (1 << slotBits - 1)) }
    }

    private func keyOrder(_ x: [Value], _ y: [Value]) -> Bool {
        for (a, b) in zip(x, y) {
            let c = compareValues(a, b)
            if c != 0 { return c < 0 }
        }
        return false
    }

    /// A comparison of phases sets a unit's budget against the final accounts of the same year, and one of
    /// years the same unit and phase: where the sides hold other years (units, phases) that the keys do not
    /// separate, the comparison is refused with what is mixed and how to ask instead — never a silent
    /// cross-year ratio (西城's 2026 budget against its 2024 final accounts).
    private func checkAligned(_ c: ComparePlan, _ ss: StatementRows) throws(QueryError) {
        let keyed = Set(c.keys.map(\.name))
        var years: [Set<Int>] = [[], []], units: [Set<String>] = [[], []], phases: [Set<Phase>] = [[], []]
        // The groups of the runs, each once (by number, without hashing).
        var seen = [Bool](repeating: false, count: selector.groupList.count)
        var groups: [(g: Int, row: Int)] = []
        for run in runs(ss) {
            let r = base(ss, run.lowerBound), g = Int(selector.groupOf[r])
            if !seen[g] { seen[g] = true; groups.append((g, r)) }
        }
        // Units are gathered (their names hashed) only when they are to be the same on both sides.
        var unitsAsked = !keyed.contains("unit")
        if case .units = c.sides { unitsAsked = false }
        let sideOf = sideReader(c)
        for (g, r) in groups {
            guard let k = sideOf(r) else { continue }
            let (year, phase) = (Int(selector.groupYear[g]), Phase.decode(selector.groupPhase[g])!)
            years[k].insert(year)
            phases[k].insert(phase)
            if unitsAsked { units[k].insert(selector.groupList[g].unit) }
        }
        if let e = Self.alignmentError(c, years: years, units: units, phases: phases) { throw e }
    }

    /// The error of a comparison whose sides are of several years, units or phases where its keys do not
    /// separate them, from each side's years, units (when asked) and phases; nil when the sides align.
    /// The SQL backends check their engine's answers with it too.
    static func alignmentError(_ c: ComparePlan, years: [Set<Int>], units: [Set<String>], phases: [Set<Phase>]) -> QueryError? {
        let keyed = Set(c.keys.map(\.name))
        guard !years[0].isEmpty, !years[1].isEmpty else { return nil }
        let n = sideNames(c), names = (n[0], n[1])
        func list<T: Comparable>(_ x: Set<T>) -> String { x.sorted().map { "\($0)" }.joined(separator: ", ") }
        var sameYear = true, samePhase = true, sameUnit = true
        switch c.sides {
        case .phases: samePhase = false
        case .years: sameYear = false
        case .units: sameUnit = false
        }
        if sameYear, !keyed.contains("year"), years[0] != years[1] || years[0].count > 1 {
            return QueryError(.mixedAggregate, c.span, "\(names.0) rows are \(list(years[0])), \(names.1) rows are \(list(years[1])): "
                + "compare one year with \"where year = …\", or add \"by year\"")
        }
        if sameUnit, !keyed.contains("unit"), units[0] != units[1] {
            return QueryError(.mixedAggregate, c.span, "\(names.0) rows are of \(list(units[0])), \(names.1) rows of \(list(units[1])): "
                + "compare one unit with \"where unit ~ …\", or add \"by unit\"")
        }
        if samePhase, !keyed.contains("phase"), phases[0] != phases[1] || phases[0].count > 1 {
            return QueryError(.mixedAggregate, c.span, "\(names.0) rows are \(list(Set(phases[0].map(\.rawValue)))), \(names.1) rows are \(list(Set(phases[1].map(\.rawValue)))): "
                + "compare one phase with \"where phase = …\", or add \"by phase\"")
        }
        return nil
    }

    /// The names of the two sides of `c`: `budget`, `final`; `2023`, `2024`.
    func sideNames(_ c: ComparePlan) -> [String] { Self.sideNames(c) }

    static func sideNames(_ c: ComparePlan) -> [String] {
        switch c.sides {
        case let .phases(a, b): return [a.rawValue, b.rawValue]
        case let .years(a, b): return [String(a), String(b)]
        case let .units(a, _, b, _): return [a, b]
        }
    }

    /// What the two sides of a pair share, which the comparison sets side by side: a unit's year (for
    /// phases), a unit's phase (for years), a year's phase (for units).
    func pairKey(_ c: ComparePlan, _ s: FactGroup) -> String {
        switch c.sides {
        case .phases: return "\(s.unit) \(s.year)"
        case .years: return "\(s.unit) \(s.phase.rawValue)"
        case .units: return "\(s.year) \(s.phase.rawValue)"
        }
    }

    /// A pair of `c` by integers: the unit's id, the year, the phase's byte, whichever the pair shares.
    struct PairID: Hashable { let unit: UInt32; let year: Int16; let phase: UInt8 }

    func pairID(_ c: ComparePlan, _ ss: StatementRows, _ i: Int) -> PairID {
        let b = base(ss, i), col = columns
        switch c.sides {
        case .phases: return PairID(unit: col.unit[b], year: col.year[b], phase: 0)
        case .years: return PairID(unit: col.unit[b], year: 0, phase: col.phase[b])
        case .units: return PairID(unit: 0, year: col.year[b], phase: col.phase[b])
        }
    }

    /// One pair's two sides: the groups (by number) and the values of a scope dimension each holds, as bits of
    /// the column's byte (bit 0: figures of no such value), named only where a note needs them.
    struct PairScopes {
        /// A group of the pair, to name it (pairKey).
        let first: FactGroup
        var groups: [[Int]] = [[], []]
        var bits: [UInt32] = [0, 0]
        /// The runs of the pair's statements.
        var runs: [Range<Int>] = []

        mutating func add(run: Range<Int>, group g: Int, side k: Int, bits b: UInt32) {
            if !groups[k].contains(g) { groups[k].append(g) }
            runs.append(run)
            bits[k] |= b
        }

        /// The values side `k` holds (nil: figures of no value).
        func values(_ k: Int, _ d: ScopeDimension) -> Set<String?> {
            Set((0..<32).filter { bits[k] & 1 << $0 != 0 }.map { d.name(byte: UInt8($0)) })
        }
    }

    /// Per pair of `c`, each side's groups and the values of `d` it holds.
    /// Side and pair are the same for a run of one group's facts: read once per run, with the run's bits
    /// (`scopeBits`).
    /// Only the pairs whose two sides' bits `matter` are gathered (few: most pairs hold the same scopes on both
    /// sides); every pair's bits are found first by integers, the pair packed in one.
    func scopes(_ c: ComparePlan, _ ss: StatementRows, _ d: ScopeDimension, runs: [Range<Int>],
                where matters: (UInt32, UInt32) -> Bool) -> [PairID: PairScopes] {
        let runBits = scopeBits(ss, d, runs: runs)
        let sideOf = sideReader(c)
        var table = RawKeyTable(capacity: 1024)
        var bits: [UInt32] = []
        var pairOf = [Int32](repeating: -1, count: runs.count), sides = [Int](repeating: 0, count: runs.count)
        for (k, run) in runs.enumerated() {
            let b = base(ss, run.lowerBound)
            guard let side = sideOf(b) else { continue }
            let id = pairID(c, ss, run.lowerBound)
            let key = RawKey(a: UInt64(id.unit) << 32 | UInt64(UInt16(bitPattern: id.year)) << 8 | UInt64(id.phase), b: 0)
            let p: Int
            if let known = table[key] { p = Int(known) } else {
                p = bits.count / 2
                table.insert(key, Int32(p))
                bits += [0, 0]
            }
            bits[2 * p + side] |= runBits[k]
            (pairOf[k], sides[k]) = (Int32(p), side)
        }
        var out: [PairID: PairScopes] = [:]
        for (k, run) in runs.enumerated() where pairOf[k] >= 0 {
            let p = Int(pairOf[k])
            guard matters(bits[2 * p], bits[2 * p + 1]) else { continue }
            let g = group(ss, run.lowerBound)
            out[pairID(c, ss, run.lowerBound), default: PairScopes(first: selector.groupList[g])]
                .add(run: run, group: g, side: sides[k], bits: runBits[k])
        }
        return out
    }

    /// `side` of the group of a store row, read from its group (a group's phase and year are its rows'): made
    /// once per comparison, asked per run.
    struct SideReader {
        let sides: CompareSides, codes: (UInt8, UInt8)
        let groupOf: RunArray<Int32>, groupPhase: [UInt8], groupYear: [Int16]
        let evaluator: Evaluator

        @inline(__always) func callAsFunction(_ r: Int) -> Int? {
            let g = Int(groupOf[r])
            switch sides {
            case .phases:
                let p = groupPhase[g]
                return p == codes.0 ? 0 : (p == codes.1 ? 1 : nil)
            case let .years(x, y):
                let v = Int(groupYear[g])
                return v == x ? 0 : (v == y ? 1 : nil)
            case .units:
                return evaluator.side(sides, evaluator.selector.groupList[g])
            }
        }
    }

    func sideReader(_ c: ComparePlan) -> SideReader {
        var codes: (UInt8, UInt8) = (0, 0)
        if case let .phases(x, y) = c.sides { codes = (Phase.code(x), Phase.code(y)) }
        let s = selector
        return SideReader(sides: c.sides, codes: codes, groupOf: s.groupOf, groupPhase: s.groupPhase,
                          groupYear: s.groupYear, evaluator: self)
    }

    /// Per run, a bit for each byte of `d`'s column its statements have (0: none), made statements included.
    /// Found once per set of facts (kept in its memo, like its runs): a comparison asks four times.
    func scopeBits(_ ss: StatementRows, _ d: ScopeDimension, runs: [Range<Int>]) -> [UInt32] {
        if let known = ss.runsFound.runBits[d.rawValue], known.count == runs.count { return known }
        let column = d == .fund ? columns.fund : columns.nature
        var out: [UInt32] = []
        out.reserveCapacity(runs.count)
        var byte = RunArray.Cursor(column)
        ss.refs.withUnsafeBufferPointer { refs in
            for run in runs {
                var b: UInt32 = 0
                for n in run {
                    let r = Int(refs[n])
                    if r >= 0 { b |= 1 << byte(r); continue }
                    let s = ss.made[-1 - r]
                    b |= 1 << (d == .fund ? Fund.code(s.fund) : Nature.code(s.nature))
                }
                out.append(b)
            }
        }
        if ss.runsFound.runs?.count == runs.count { ss.runsFound.runBits[d.rawValue] = out }
        return out
    }

    /// The fund (nature) of `i`, as a scope names it.
    func scopeValue(_ d: ScopeDimension, _ ss: StatementRows, _ i: Int) -> String? {
        let r = ss.refs[i]
        if r < 0 { return d.value(ss.made[Int(-1 - r)]) }
        return d == .fund ? Fund.decode(columns.fund[Int(r)])?.rawValue : Nature.decode(columns.nature[Int(r)])?.rawValue
    }

    /// Explains each mark a result shows, once, after it.
    func noteMarks(_ marks: Set<FigureMark>) {
        for m in marks.sorted() { note(m.explanation) }
    }

    /// Which side of `c` a statement is on: 0 (A), 1 (B), or nil (neither).
    func side(_ c: ComparePlan, _ s: FactGroup) -> Int? { side(c.sides, s) }

    func side(_ sides: CompareSides, _ s: FactGroup) -> Int? {
        switch sides {
        case let .phases(a, b): return s.phase == a ? 0 : (s.phase == b ? 1 : nil)
        case let .years(a, b): return s.year == a ? 0 : (s.year == b ? 1 : nil)
        case let .units(_, a, _, b): return s.unit == a ? 0 : (s.unit == b ? 1 : nil)
        }
    }

    /// Both sides of a comparison in one scope (language.md, "compare"): per unit, where one side's figures
    /// all name a fund (or a nature: basic or project) and the other's reach beyond them, the other side is
    /// cut to the same funds (natures), and a note says what was left out. 西城 2024 gives its 年初预算 only
    /// for 一般公共预算 items: its final accounts are compared on those items, not on all funds (a rate of
    /// 94.36, not 98.89). Where the two sides share no scope, nothing is cut and the note says the scopes
    /// differ. A dimension the keys separate (`by fund`) is left alone.
    private func alignScopes(_ c: ComparePlan, _ ss: StatementRows) throws(QueryError) -> StatementRows {
        let keyed = Set(c.keys.map(\.name))
        let sideNames = sideNames(c)
        var rows = ss
        for d in ScopeDimension.allCases where !keyed.contains(d.rawValue) {
            var keep: [PairID: Set<String?>] = [:]
            // Pairs whose sides' scopes differ, in the order of their names.
            let differing = scopes(c, rows, d, runs: runs(rows)) { a, b in
                a != 0 && b != 0 && a != b && (d.limits(a) || d.limits(b))
            }.map { (id: $0.key, name: pairKey(c, $0.value.first), scopes: $0.value) }.sorted { $0.name < $1.name }
            for (id, unit, both) in differing {
                let sc = [both.values(0, d), both.values(1, d)]
                let common = sc[0].intersection(sc[1])
                let names = { (bits: UInt32) in d.names(bits: bits) }
                guard !common.isEmpty else {
                    note("\(unit): \(sideNames[0]) is \(names(both.bits[0])), \(sideNames[1]) is \(names(both.bits[1])): different scopes, compared as they are")
                    continue
                }
                keep[id] = common
                for k in 0..<2 where sc[k] != common {
                    var left = Money.zero
                    for run in both.runs where side(c, factGroup(rows, run.lowerBound)) == k {
                        for n in run where !common.contains(scopeValue(d, rows, n)) {
                            do { left = try left.adding(amount(rows, n)) } catch { throw QueryError(.overflow, c.span, error.description) }
                        }
                    }
                    if left.isZero { continue }   // only zeros of another fund (a table stated empty)
                    note("\(unit): both sides limited to \(d.rawValue) \(names(both.bits[0] & both.bits[1])), as \(sideNames[1 - k]) gives no other; "
                        + "left out of \(sideNames[k]): \(left.format(grouping: true, decimals: 2)) (add \"by \(d.rawValue)\" to see every \(d.rawValue))")
                }
            }
            if !keep.isEmpty {
                var kept: [Int] = []
                for run in runs(rows) {
                    let limit = keep[pairID(c, rows, run.lowerBound)]
                    kept += run.filter { n in limit.map { $0.contains(scopeValue(d, rows, n)) } ?? true }
                }
                rows = rows.keeping(kept)
            }
        }
        return rows
    }

    private func compare(_ c: ComparePlan, _ all: StatementRows) throws(QueryError) -> Table {
        try checkAligned(c, all)
        let ss = try alignScopes(c, all)
        // The statements on a side (mostly all of them: the filter has already kept the two years or phases).
        let sideOf = sideReader(c)
        let runSides = runs(ss).map { sideOf(base(ss, $0.lowerBound)) }
        let sided = runSides.allSatisfy({ $0 != nil }) ? ss
            : ss.keeping(zip(runs(ss), runSides).filter { $0.1 != nil }.flatMap { Array($0.0) })
        if !c.keepSources, let t = try compareInOnePass(c, sided, sides: sided.count == ss.count ? runSides.map { $0! } : nil) { return t }
        var sides: [Int] = []
        let (grouped, keys, integers) = try groupSlots(c.keys, sided)
        var order = keys
        let makeKey = keyMaker(c.keys, sided, integers)
        // Slot i's side k is accs[2 * i + k].
        var accs = Array(repeating: Accumulator(), count: order.count * 2)
        // Keys a run shares (by unit): each run summed at once, as `sum` does; else statement by statement.
        if case .perRun(let runs, let slotOf) = grouped, !c.keepSources,
           try compareByRun(c, sided, runs, slotOf, &accs) {
        } else if !c.keepSources, let both = try compareBySlot(c, sided, grouped, groups: order.count) {
            accs = both
        } else {
        for run in runs(sided) { sides += repeatElement(side(c, factGroup(sided, run.lowerBound))!, count: run.count) }
        let slots = grouped.perStatement(sided.count)
        for n in 0..<sided.count {
            let (i, side) = (slots.map { Int($0[n]) } ?? 0, sides[n])
            try accs[2 * i + side].add(amount: amount(sided, n), c.span)
            absorb(&accs[2 * i + side], sided, n)
            if hasMarks(sided, n) { accs[2 * i + side].marks.formUnion(marks(sided, n)) }
            if c.keepSources { accs[2 * i + side].sources.append(statement(sided, n)) }
        }
        }
        for j in accs.indices {
            resultMeasures |= accs[j].measureBits
            accs[j].settle()
            try accs[j].checkNotMixed("compare", c.span, phaseHint: Self.comparePhaseHint)
        }
        var finalFirst = false
        if case let .phases(a, _) = c.sides { finalFirst = a == .final }
        var rows: [[Value]] = [], sources: [[FiscalData.Statement]] = []
        let names = sideNames(c)
        let sorted = sortedByKey(order, integers, value: makeKey)
        if let makeKey { for i in sorted where order[i].isEmpty { order[i] = makeKey(i) } }
        for i in sorted {
            let (k, g) = (order[i], [accs[2 * i], accs[2 * i + 1]])
            if c.keepSources { sources.append(g[0].sources + g[1].sources) }
            for side in 0..<2 { noteMarks(g[side].marks) }
            rows.append(k + (try Self.compared(c, g[0].sum, g[1].sum, marks: [g[0].marks.sorted(), g[1].marks.sorted()],
                                               names: names, finalFirst: finalFirst)))
        }
        var t = Table(columns: c.columns, rows: rows, valueColumn: c.valueIndex)
        if c.keepSources { t.sources = sources }
        return t
    }

    /// A comparison's row after its keys, from each side's sum and marks (sorted): A, B, diff, pct, the rate
    /// when asked, and the note. The in-memory engine's and the SQL backends' (SQLCompare.swift).
    static func compared(_ c: ComparePlan, _ a: Value, _ b: Value, marks: [[FigureMark]], names: [String],
                         finalFirst: Bool) throws(QueryError) -> [Value] {
        var diff: Value = .null, pct: Value = .null, rate: Value = .null
        // A total standing alone set against the other side's remainder (or items) is no change: no diff.
        let comparable = marks[0].contains(.totalOnly) == marks[1].contains(.totalOnly) || a.isNull || b.isNull
        if comparable, let x = a.money, let y = b.money {
            diff = try exactArithmetic("-", b, a, c.span)
            if let d = diff.money, let p = Money.percent(d, of: x) { pct = .percent(p) }
            let (fin, base) = finalFirst ? (x, y) : (y, x)
            if let r = Money.percent(fin, of: base) { rate = .percent(r) }
        }
        var note: [String] = []
        for (side, name) in names.enumerated() where !marks[side].isEmpty {
            note.append("\(name) " + marks[side].map(\.rawValue).joined(separator: ", "))
        }
        if !comparable { note.append("no diff: a total alone against a breakdown") }
        return [a, b, diff, pct] + (c.withRate ? [rate] : []) + [note.isEmpty ? .null : .text(note.joined(separator: "; "))]
    }

    /// `why`: for each row, its labels, then one line per statement behind it (document, table, line, amount,
    /// level, and how it was derived); a note gives how many statements made how many rows.
    private func why(_ labels: [Int], _ t: Table) -> Table {
        guard let sources = t.sources else { fatalError("the checker lets why follow only an aggregate that keeps its sources") }
        var rows: [[Value]] = [], origins: [RowOrigin] = []
        for (r, ss) in zip(t.rows, sources) {
            for s in ss {
                rows.append(labels.map { r[$0] } + [.int(s.year), .text(s.phase.rawValue), .text(s.doc), .text(s.table), .int(s.line), .money(s.amount),
                                                    .text(s.level.rawValue), whyDerivation(s)])
                origins.append(RowOrigin(s, fromRows: readsRows))
            }
        }
        note(whyNote(statements: rows.count, rows: t.rows.count))
        var out = Table(columns: labels.map { t.columns[$0] } + Checker.whyColumns, rows: rows, valueColumn: labels.count + 5)
        out.origins = origins
        return out
    }
}

/// How `why` says a figure was made: what it was derived from, and that its document printed it in 元 (the
/// amount converted exactly to 万元); null for a figure stated in 万元 as it is.
private func whyDerivation(_ s: FiscalData.Statement) -> Value {
    whyDerivation(derived: s.derived, printed: s.printed == .wan ? nil : s.printed.rawValue)
}

/// How a statement `why` lists was derived, and the money unit it was printed in when not 万元 (null: neither):
/// the in-memory engine's and the SQL backends' (SQLBackend.explain).
func whyDerivation(derived: String?, printed: String?) -> Value {
    let parts = [derived, printed.map { "printed in \($0)" }].compactMap { $0 }
    return parts.isEmpty ? .null : .text(parts.joined(separator: "; "))
}

/// What `why` says of how many statements made how many rows, in every engine.
func whyNote(statements: some BinaryInteger, rows: some BinaryInteger) -> String {
    "\(statements) statement\(statements == 1 ? "" : "s") made the \(rows) row\(rows == 1 ? "" : "s") explained"
}

/// The Chinese name of a fund source, for notes.
func fundName(_ f: Fund) -> String {
    switch f {
    case .general: return "general (一般公共预算)"
    case .govfund: return "govfund (政府性基金)"
    case .soe: return "soe (国有资本经营)"
    case .carryover: return "carryover (上年结转)"
    case .other: return "other"
    case .appropriation: return "appropriation (财政拨款, not split by fund)"
    }
}

/// A dimension of a comparison's scope: the fund of the money, and its nature (basic or project).
enum ScopeDimension: String, CaseIterable {
    case fund, nature

    var field: CutField { self == .fund ? .fund : .nature }

    func value(_ s: FiscalData.Statement) -> String? {
        self == .fund ? s.fund?.rawValue : s.nature?.rawValue
    }

    /// The value the column's byte `b` stands for (nil for 0: none).
    func name(byte b: UInt8) -> String? {
        self == .fund ? Fund.decode(b)?.rawValue : Nature.decode(b)?.rawValue
    }

    /// Whether figures with these values cover only part of the money: none is unclassified, and for nature
    /// not both basic and project. Values as bits of their bytes (bit 0: figures of no value).
    func limits(_ bits: UInt32) -> Bool {
        guard bits != 0, bits & 1 == 0 else { return false }
        return self == .fund || bits & Self.everyNature != Self.everyNature
    }

    /// The bits of every nature (basic and project), found once.
    private static let everyNature = Nature.allCases.reduce(UInt32(0)) { $0 | 1 << Nature.code($1) }

    /// The values of `bits` as a note names them, sorted (bit 0: figures of no value).
    func names(bits: UInt32) -> String {
        (0..<32).filter { bits & 1 << $0 != 0 }.map { name(byte: UInt8($0)).map(label) ?? "figures of no \(rawValue)" }
            .sorted().joined(separator: ", ")
    }

    /// A value as a note names it: `general (一般公共预算)`, `基本支出`.
    func label(_ value: String) -> String {
        self == .fund ? Fund(rawValue: value).map(fundName) ?? value : Nature(rawValue: value)?.chinese ?? value
    }
}

extension CExpr {
    /// The statement fields the expression reads.
    var fields: Set<StatementField> {
        switch self {
        case .literal, .column: return []
        case .field(let f): return [f.field]
        case .under(let x, _), .contains(let x, _), .codeMatches(let x, _), .not(let x), .negate(let x, _): return x.fields
        case .compare(_, let a, let b, _), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b, _):
            return a.fields.union(b.fields)
        }
    }

    /// The table columns the expression reads.
    var columns: Set<Int> {
        switch self {
        case .literal, .field: return []
        case .column(let i): return [i]
        case .under(let x, _), .contains(let x, _), .codeMatches(let x, _), .not(let x), .negate(let x, _): return x.columns
        case .compare(_, let a, let b, _), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b, _):
            return a.columns.union(b.columns)
        }
    }
}
