// GeneratedCSV.swift — reads the SYNTHETIC statements of ../shared/bench/gen.py's
// CSV (unit,year,phase,func,econ,nature,amount), for the benchmark
// (Benchmarks/fql-bench) and the differential test at scale only: never for
// Datasets/. Each line is one leaf of spending in one document ("synthetic",
// table "SYNTHETIC (gen.py)"), its line number its place.

import Foundation

public enum GeneratedCSV {
    /// The statements of the CSV at `path`; `.unreadable` names the file and the first line that is not one.
    public static func statements(path: String) throws(DatasetError) -> [Statement] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missing(path: path) }
        var out: [Statement] = []
        out.reserveCapacity(data.count / 70)
        // One String per distinct unit, not one per line.
        var interned: [Substring: String] = [:]
        func intern(_ s: Substring) -> String {
            if let hit = interned[s] { return hit }
            let v = String(s)
            interned[s] = v
            return v
        }
        let text = String(decoding: data, as: UTF8.self)
        var line = 0
        for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            if line == 1 || row.isEmpty { continue }
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 7, let year = Int(f[1]), let phase = Phase(rawValue: String(f[2])),
                  let amount = Money(String(f[6])) else {
                throw .unreadable(path: path, reason: "line \(line) is not unit,year,phase,func,econ,nature,amount: \(row)")
            }
            out.append(Statement(unit: intern(f[0]), region: "", year: year, phase: phase, measure: .spending,
                                 function: Code(f[3], scheme: .function), econDept: Code(f[4], scheme: .econDept),
                                 nature: Nature(rawValue: String(f[5])), amount: amount,
                                 doc: "synthetic", table: "SYNTHETIC (gen.py)", line: line))
        }
        return out
    }
}
