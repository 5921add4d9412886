// CSVWorker.swift (fql-bench) — the FQL side of scripts/bench.py: statements
// from ../shared/bench/gen.py's CSV (unit,year,phase,func,econ,nature,amount;
// SYNTHETIC), the queries of a TAB file (id, the result columns
// to compare, FQL text), and JSON on stdout for the driver to fingerprint and
// tabulate. The CSV is made once into a dataset folder beside it (in the
// scratch folder), and the timed load is FQL's own load of that folder.
// --load-only: a fresh process's start from the snapshot a full run left (the
// driver's "snapshot s"); --queries-only: the queries alone over that snapshot,
// for profiling (perf record … fql-bench --csv F --queries Q --queries-only).

import FiscalData
import FQL
import Foundation

func csvWorker() {
    var csvPath = "", queriesPath = "", reps = 5, warmup = 1, queriesOnly = false, loadOnly = false
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        switch a {
        case "--csv": csvPath = args.next() ?? ""
        case "--queries": queriesPath = args.next() ?? ""
        case "--reps": reps = args.next().flatMap(Int.init) ?? reps
        case "--warmup": warmup = args.next().flatMap(Int.init) ?? warmup
        // For profiling the queries alone: the store from the snapshot a full run left, nothing timed but them.
        case "--queries-only": queriesOnly = true
        // Start-up as a user meets it: a fresh process loads the dataset from its snapshot, timed, and stops.
        case "--load-only": loadOnly = true
        default: fail("unknown argument \(a)")
        }
    }
    guard let queryText = try? String(contentsOfFile: queriesPath, encoding: .utf8) else { fail("cannot read \(queriesPath)") }
    let queries = queryText.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 2).map(String.init) }
        .filter { $0.count == 3 }
    // The product's own load is timed: the CSV is made once into a dataset folder beside it (SYNTHETIC, in
    // the scratch folder, never under Datasets/), which FQL then loads as it loads any dataset.
    let folder = csvPath + ".dataset"
    prepareDataset(csv: csvPath, folder: folder)
    if loadOnly {
        let t = DispatchTime.now().uptimeNanoseconds
        do {
            let engine = Engine(dataset: try Dataset.load(folder: folder))
            let seconds = seconds(since: t)
            print("{\"rows\": \(engine.dataset.store.count), \"snapshot_load_s\": \(seconds)}")
        } catch { fail("\(folder): \(error)") }
        return
    }
    if queriesOnly {
        do {
            let results = run(Engine(dataset: try Dataset.load(folder: folder)), queries, reps: reps, warmup: warmup)
            print("{\"version\": \"fql\", \"queries\": {\(results.joined(separator: ", "))}}")
        } catch { fail("\(folder): \(error)") }
        return
    }
    let rssBefore = residentBytes()
    let started = DispatchTime.now().uptimeNanoseconds
    let engine: Engine
    do { engine = Engine(dataset: try Dataset.load(folder: folder, snapshot: .never)) } catch { fail("\(folder): \(error)") }
    let store = engine.dataset.store
    let loadSeconds = seconds(since: started)
    let rssAfter = residentBytes()
    // What the store's parts hold, per statement (stderr: the driver reads stdout).
    let held = store.bytesHeld.filter { $0.bytes * 100 >= store.count }
    FileHandle.standardError.write(("store, bytes per statement: " + held.map {
        "\($0.part) \(String(format: "%.2f", Double($0.bytes) / Double(max(store.count, 1))))"
    }.joined(separator: ", ") + "\n").data(using: .utf8)!)
    // The snapshot beside the TSV, made (timed) and then loaded instead of the TSV (timed), as fql does.
    var t = DispatchTime.now().uptimeNanoseconds
    guard Snapshot.write(store, folder: folder) else { fail("\(folder): no snapshot could be written") }
    let snapshotWriteSeconds = seconds(since: t)
    t = DispatchTime.now().uptimeNanoseconds
    do {
        let again = Engine(dataset: try Dataset.load(folder: folder))
        guard again.dataset.store.count == store.count else { fail("the snapshot holds another store") }
    } catch { fail("\(folder): \(error)") }
    let snapshotLoadSeconds = seconds(since: t)

    let results = run(engine, queries, reps: reps, warmup: warmup)
    print("{\"version\": \"fql\", \"threads\": 1, \"rows\": \(store.count), \"load_s\": \(loadSeconds), "
          + "\"snapshot_write_s\": \(snapshotWriteSeconds), \"snapshot_load_s\": \(snapshotLoadSeconds), "
          + "\"rss_before\": \(rssBefore), \"rss_after_load\": \(rssAfter), \"queries\": {\(results.joined(separator: ", "))}}")
}

/// Runs each query `warmup` times, then `reps` times timed; prints each median on stderr and returns each
/// query's result as JSON for the driver.
private func run(_ engine: Engine, _ queries: [[String]], reps: Int, warmup: Int) -> [String] {
    var results: [String] = []
    for q in queries {
        let (id, columns, text) = (q[0], q[1].split(separator: ",").map(String.init), q[2])
        var table: Table?
        var times: [Double] = []
        do {
            for _ in 0..<warmup { table = try engine.query(text) }
            for _ in 0..<reps {
                let t0 = DispatchTime.now().uptimeNanoseconds
                table = try engine.query(text)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
        } catch { fail("\(id): \(text): \(error.render(source: text))") }
        let t = table!
        let index = columns.map { c in t.columns.firstIndex { $0.name == c } ?? { fail("\(id): no column \(c)") }() }
        let rows = t.rows.map { r in "[" + index.map { json(r[$0]) }.joined(separator: ",") + "]" }
        let median = times.sorted()[times.count / 2]
        FileHandle.standardError.write(String(format: "    %@ median %9.2f ms rows=%d\n", id, median * 1000, t.rows.count).data(using: .utf8)!)
        results.append("\"\(id)\": {\"median_s\": \(median), \"times_s\": [\(times.map { "\($0)" }.joined(separator: ","))], "
                       + "\"nrows\": \(t.rows.count), \"rows\": [\(rows.joined(separator: ","))]}")
    }
    return results
}

/// A result cell as JSON: amounts as integer millionths of 万元 (as the SQL engines hold them), codes as text.
private func json(_ v: Value) -> String {
    switch v {
    case .null: return "null"
    case .money(let m): return String(m.units)
    case .int(let i): return String(i)
    default:
        let s = v.description.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(s)\""
    }
}

/// Writes `folder` (statements.tsv from the CSV, the bundled catalogue) unless it is newer than the CSV.
private func prepareDataset(csv: String, folder: String) {
    let fm = FileManager.default
    let statements = folder + "/" + Dataset.statementsFile
    func modified(_ p: String) -> Date? { (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date }
    if let made = modified(statements), let source = modified(csv), made > source { return }
    do {
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalogue = folder + "/" + Dataset.catalogueFile
        if fm.fileExists(atPath: catalogue) { try fm.removeItem(atPath: catalogue) }
        try fm.copyItem(atPath: "Datasets/" + Dataset.catalogueFile, toPath: catalogue)
        try Data(StatementFile.text(GeneratedCSV.statements(path: csv)).utf8).write(to: URL(fileURLWithPath: statements))
    } catch { fail("cannot write \(folder): \(error)") }
}

private func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

/// This process's resident memory (VmRSS), in bytes.
private func residentBytes() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for l in s.split(separator: "\n") where l.hasPrefix("VmRSS:") {
        return (Int(l.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
    return 0
}

private func fail(_ message: String) -> Never {
    FileHandle.standardError.write("fql-bench: \(message)\n".data(using: .utf8)!)
    exit(1)
}
