// CheckReport.swift — `fql check`: the findings of the `checks` source as an
// auditor reads them. Grouped by document, errors first and the largest
// difference first within a document; each finding a short record that fits
// a 100-column terminal (the figures at their own precision, each place on a
// line of its own); a summary line per document and one for all. Import
// repairs are notes kept out unless asked for (--repairs); --severity keeps
// one severity and up. csv, tsv, json and markdown print the findings as rows
// for machines, in the same order. The exit status is 1 when an error is found.

import FQL
import FiscalData

struct CheckReport {
    let table: Table
    var repairs = false
    var least = "note"

    /// The severities, worst first (also what `--severity` accepts).
    static let order = ["error", "warning", "note"]

    private func column(_ name: String) -> Int { table.columns.firstIndex { $0.name == name }! }

    /// The findings kept, in report order.
    var findings: Table {
        let (sev, diff, place, status) = (column("severity"), column("diff"), column("place"), column("status"))
        let limit = Self.order.firstIndex(of: least) ?? 2
        func rank(_ r: [Value]) -> Int { Self.order.firstIndex(of: r[sev].description) ?? 3 }
        func doc(_ r: [Value]) -> String { String(r[place].description.prefix { $0 != ":" }) }
        func size(_ r: [Value]) -> UInt64 { if case .money(let m) = r[diff] { return m.units.magnitude }; return 0 }
        var t = table
        t.rows = table.rows.filter { r in rank(r) <= limit && (repairs || r[status].description != "repaired") }
            .enumerated().sorted { a, b in
                let (x, y) = (a.element, b.element)
                if doc(x) != doc(y) { return doc(x) < doc(y) }
                if rank(x) != rank(y) { return rank(x) < rank(y) }
                if size(x) != size(y) { return size(x) > size(y) }
                return a.offset < b.offset
            }.map(\.element)
        return t
    }

    /// The report as text, and how many errors it holds.
    func render(width: Int = 100) -> (text: String, errors: Int) {
        let t = findings
        let c = (kind: column("kind"), sev: column("severity"), status: column("status"), unit: column("unit"),
                 year: column("year"), subject: column("subject"), stated: column("stated"),
                 other: column("other"), diff: column("diff"), tol: column("tolerance"),
                 place: column("place"), otherPlace: column("other_place"))
        func amount(_ v: Value) -> String? {
            guard case .money(let m) = v else { return nil }
            return m.format(grouping: true, decimals: max(2, m.decimalsNeeded))
        }
        var out = "", lastDoc: String? = nil
        var counts: [String: Int] = [:], docCounts: [String: Int] = [:]
        func emit(_ indent: Int, _ text: String) { out += wrap(text, indent: indent, width: width) }
        func closeDoc() {
            guard lastDoc != nil else { return }
            emit(2, summary(docCounts))
            out += "\n"
            docCounts = [:]
        }
        for r in t.rows {
            let place = r[c.place].description
            let doc = String(place.prefix { $0 != ":" })
            if doc != lastDoc {
                closeDoc()
                lastDoc = doc
                emit(0, "\(doc)  \(r[c.unit].description) \(r[c.year].description)")
            }
            let sev = r[c.sev].description
            counts[sev, default: 0] += 1
            docCounts[sev, default: 0] += 1
            emit(2, sev.padding(toLength: 8, withPad: " ", startingAt: 0) + "\(r[c.kind].description) \(r[c.status].description): \(r[c.subject].description)")
            // The figures right-aligned on one another, each with its place.
            let lines: [(String, String?, String)] = [
                ("stated", amount(r[c.stated]), "at " + place),
                ("other", amount(r[c.other]), r[c.otherPlace].isNull ? "" : "at " + r[c.otherPlace].description),
                ("diff", amount(r[c.diff]), amount(r[c.tol]).map { "(tolerance \($0))" } ?? ""),
            ].filter { $0.1 != nil }
            let w = lines.map { $0.1!.count }.max() ?? 0
            for (label, figure, rest) in lines {
                emit(10, label.padding(toLength: 7, withPad: " ", startingAt: 0)
                     + String(repeating: " ", count: w - figure!.count) + figure! + "  " + rest)
            }
            if lines.isEmpty { emit(10, "at " + place) }
        }
        closeDoc()
        let hidden = repairs ? 0 : table.rows.filter { $0[c.status].description == "repaired" }.count
        emit(0, "all: " + summary(counts) + (hidden > 0 ? "; \(hidden) import repairs not shown (fql check --repairs)" : ""))
        return (out, counts["error"] ?? 0)
    }

    /// `text` indented by `indent` cells, broken at spaces (or anywhere in a long run of CJK text) so that no
    /// line is wider than `width` display cells; continuation lines are indented two cells more.
    private func wrap(_ text: String, indent: Int, width: Int) -> String {
        var out = "", line = String(repeating: " ", count: indent), used = indent
        let more = String(repeating: " ", count: indent + 2)
        for ch in text {
            let w = displayWidth(String(ch))
            if used + w > width {
                // Break at the last space of the line when there is one in its second half.
                if let space = line.lastIndex(of: " "), line.distance(from: line.startIndex, to: space) > width / 2 {
                    let rest = String(line[line.index(after: space)...])
                    out += line[..<space] + "\n"
                    line = more + rest
                } else {
                    out += line + "\n"
                    line = more
                }
                used = displayWidth(line)
            }
            line.append(ch)
            used += w
        }
        return out + line + "\n"
    }

    private func summary(_ counts: [String: Int]) -> String {
        Self.order.map { s in
            let n = counts[s] ?? 0
            return "\(n) \(s)\(n == 1 ? "" : "s")"
        }.joined(separator: ", ")
    }
}
