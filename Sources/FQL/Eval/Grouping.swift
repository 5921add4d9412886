// Grouping.swift — which group each statement falls in, for `sum … by` and
// `compare … by`, without hashing a unit's name per row. Facts come group by
// group (unit, region, year, phase, measure), so a key that only reads those
// fields is the same for a whole run of statements: it is read once per run,
// and only the keys that vary within a run (func, econ, nature …) are read
// per statement and looked up in a small per-run table. Slots are numbered in
// the order their keys are first seen, as the evaluator has always ordered
// groups before sorting them.

import FiscalData

extension StatementField {
    /// Fields every statement of one run of facts shares.
    var isRunConstant: Bool { [.unit, .region, .year, .phase, .measure].contains(self) }
}

extension Evaluator {
    /// The slot of each statement of `ss` under `keys`, and the key (values, with names after code keys) of
    /// each slot.
    func groupSlots(_ keys: [KeyPlan], _ ss: StatementRows) throws(QueryError) -> (slots: [Int], keys: [[Value]]) {
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

    /// The runs of `ss`: ranges of consecutive statements that share every run-constant field.
    func runs(_ ss: StatementRows) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let groupOf = selector.groupOf, region = columns.region
        var lo = 0
        while lo < ss.count {
            let b = base(ss, lo)
            let (g, r) = (groupOf[b], region[b])
            var hi = lo + 1
            while hi < ss.count {
                let x = base(ss, hi)
                guard groupOf[x] == g && region[x] == r else { break }
                hi += 1
            }
            out.append(lo..<hi)
            lo = hi
        }
        return out
    }
}
