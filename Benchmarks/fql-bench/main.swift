// main.swift (fql-bench) — how fast FQL answers over a large store.
//
// The four real documents give about 700 statements, too few to time. This
// benchmark multiplies them into SYNTHETIC units: each copy of a real document
// gets the unit name "合成单位NNNN（SYNTHETIC）", the region "合成区（SYNTHETIC）",
// a doc id "synthetic-NNNN-…" and its amounts scaled by a fixed factor per copy
// (integer arithmetic, exact). The synthetic statements live in memory only:
// they are never written anywhere, least of all into Datasets/.
//
// It prints the store's size, the time to build the store and its indexes and
// to parse the same statements as statements.tsv text, and
// for each query the fastest and the median of several runs, plus the rows
// answered. Run it in release mode:  swift run -c release fql-bench [copies]
//
// With --csv FILE --queries FILE it is the FQL worker of scripts/bench.py
// (the side-by-side benchmark against DuckDB and SQLite): it loads the
// SYNTHETIC statements of ../shared/bench/gen.py's CSV, runs each query
// (warm-up runs, then timed ones) and prints JSON — load time, resident
// memory, and per query the times and the result rows (amounts as integer
// millionths of 万元), which the driver fingerprints like the SQL engines'.

import FiscalData
import FQL
import Foundation

if CommandLine.arguments.contains("--csv") { csvWorker(); exit(0) }

let copies = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 500
let runs = 7
let folder = CommandLine.arguments.dropFirst(2).first ?? "Datasets"

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

let real: Dataset
do { real = try Dataset.load(folder: folder) } catch {
    FileHandle.standardError.write("fql-bench: cannot load \(folder): \(error)\n".data(using: .utf8)!)
    exit(3)
}
let base = real.store.statements

// SYNTHETIC copies of the real statements (see the header).
var synthetic: [Statement] = []
synthetic.reserveCapacity(base.count * copies)
for k in 1...copies {
    let tag = String(format: "%04d", k)
    let factor = Int64(50 + (k * 37) % 100)   // 0.50 … 1.49, in hundredths
    for var s in base {
        s.unit = "合成单位\(tag)（SYNTHETIC）"
        s.region = "合成区（SYNTHETIC）"
        s.doc = "synthetic-\(tag)-" + s.doc
        s.amount = Money(units: s.amount.units * factor / 100)
        synthetic.append(s)
    }
}

var store = Store.empty
let buildMs: Double
do { buildMs = try milliseconds { store = try Store(synthetic) } } catch {
    print("fql-bench: \(error)")
    exit(1)
}
let engine = Engine(dataset: Dataset(folder: "<synthetic, in memory>", catalog: real.catalog, store: store))

// Reading statements.tsv text of that size (written to a string in memory, parsed back).
let text = StatementFile.text(synthetic)
let parseMs: Double
do { parseMs = try milliseconds { _ = try StatementFile.read(text, file: "<synthetic>") } } catch {
    print("fql-bench: \(error)")
    exit(1)
}

print("fql-bench: \(copies) SYNTHETIC copies of \(base.count) real statements = \(store.count) statements")
print(String(format: "store and indexes built in %.1f ms; the same as statements.tsv text (%d MB) parsed in %.1f ms",
             buildMs, text.utf8.count / 1_000_000, parseMs))
print("")
print("  rows  fastest ms   median ms  query")

let queries = [
    "budget | where unit ~ \"合成单位0007\" | sum",
    "final | where unit ~ \"合成单位0007\" | sum by item",
    "final | where func = 212 | sum by unit | top 5",
    "spending | where year = 2024 | sum by phase, class",
    "spending | where unit ~ \"合成单位00\" and year = 2024 | compare budget vs final by class",
    "rows | where amount > 100 | count",
    "facts | where measure = sangong | sum by unit, year, phase | count",
]
for q in queries {
    var times: [Double] = []
    var rows = 0
    do {
        for _ in 0..<runs { times.append(try milliseconds { rows = try engine.query(q).rows.count }) }
    } catch {
        print("fql-bench: \(q): \(error)")
        exit(1)
    }
    times.sort()
    print(String(format: "%6d  %10.2f  %10.2f  ", rows, times[0], times[runs / 2]) + q)
}
