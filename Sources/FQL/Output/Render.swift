// Render.swift — a result table as text: `table` (aligned by display width,
// numbers right-aligned, nulls as `–`), `csv`, `tsv`, `json` (an array of
// objects; numbers are numbers, nulls null), `jsonl` (one object a line),
// `line` (one field a line, records apart: sqlite3's .mode line) and `markdown`; plus the bar
// chart `chart` asks for. An amount prints at its own precision — the decimals
// it needs, at least the 2 of the documents' 万元 (`5,536.11` beside
// `5,508.974386`, never `5,536.110000`) — and in a table the decimal points of
// a column line up; CSV and JSON carry the same digits, unpadded. Percentages always
// show 2 (language.md, "Numbers"). Zero prints as `0`. Tables, lines and markdown end
// with the unit of their amounts and the result's notes; CSV, TSV and JSON
// carry data only (the command line prints the notes on stderr).

import FiscalData

public enum OutputFormat: String, Sendable, CaseIterable {
    case table, line, csv, tsv, json, jsonl, markdown

    /// Formats for people, which end with the unit of amounts and the notes; the others carry data only.
    public var isForPeople: Bool { self == .table || self == .line || self == .markdown }
}

extension Table {
    /// The table in `format`, ending with a newline. `width`: the terminal's cells, which a `table` fits by
    /// cutting its widest text columns first (with `…`); numbers are never cut. A table that even cut would
    /// be wider is shown a field a line (`line`), said after it.
    public func render(_ format: OutputFormat, width: Int? = nil) -> String {
        switch format {
        case .table: return chartColumn != nil ? forDisplay.renderChart() : forDisplay.renderAligned(width: width)
        case .csv: return renderSeparated(",")
        case .tsv: return renderSeparated("\t")
        case .json: return renderJSON()
        case .jsonl: return jsonObjects().map { $0 + "\n" }.joined()
        case .line: return forDisplay.renderLines()
        case .markdown: return forDisplay.renderMarkdown()
        }
    }

    /// Decimals per column: for amounts, the most any value in the column prints with (0 where none has
    /// any), so that the decimal points line up.
    private var scales: [Int] {
        columns.indices.map { c in
            rows.reduce(0) { d, r in r[c].money.map { max(d, decimals($0)) } ?? d }
        }
    }

    /// The decimals an amount prints with in a table: what it needs, at least 2; none for zero, nor for a
    /// whole count (vehicles).
    private func decimals(_ m: Money) -> Int { m.isZero ? 0 : countUnit != nil ? m.decimalsNeeded : max(2, m.decimalsNeeded) }

    /// One cell as text; `grouping` adds thousands separators to amounts. With `aligned` set to a column's
    /// decimals, an amount is padded with spaces on the right so that its decimal point lines up;
    /// without it, an amount carries just its own digits (CSV, JSON).
    func cell(_ v: Value, aligned scale: Int? = nil, grouping: Bool, null: String) -> String {
        switch v {
        case .null: return null
        case .money(let m):
            let d = decimals(m)
            let text = m.isZero ? "0" : m.format(grouping: grouping, decimals: d)
            guard let scale else { return text }
            let pad = scale - d + (d == 0 && scale > 0 ? 1 : 0)
            return text + String(repeating: " ", count: pad)
        default: return v.description
        }
    }

    /// The lines after a table: the unit of its amounts, then the result's notes.
    private var footer: [String] {
        let money = chartColumn.map { columns[$0].type == .money } ?? columns.contains { $0.type == .money }
        return (money && !rows.isEmpty ? [countUnit.map { "counts in \($0), not money" } ?? "amounts in 万元"] : []) + notes
    }

    private func isRightAligned(_ c: Int) -> Bool { columns[c].type.isNumeric }

    private func renderAligned(width limit: Int? = nil) -> String {
        let sc = scales
        var cells = rows.map { r in r.indices.map { visible(cell(r[$0], aligned: sc[$0], grouping: true, null: "–"), all: true) } }
        var widths = columns.map { displayWidth($0.name) }
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], displayWidth(c)) } }
        var cut = false
        if let limit {
            // The widest text column loses a cell at a time, down to its name's width (at least 8 cells).
            let floor = columns.indices.map { isRightAligned($0) ? widths[$0] : min(widths[$0], max(8, displayWidth(columns[$0].name))) }
            var total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
            while total > limit, let i = widths.indices.filter({ widths[$0] > floor[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[i] -= 1
                total -= 1
                cut = true
            }
            // Cut as far as it goes and still wider than the terminal (many columns, wide numbers): it would
            // wrap, so a field a line, as .mode line, which fits any width.
            if total > limit {
                return renderLines() + "(wider than \(limit) cells even cut: a field a line, as .mode line)\n"
            }
            if cut {
                for r in cells.indices {
                    for i in cells[r].indices where displayWidth(cells[r][i]) > widths[i] { cells[r][i] = truncated(cells[r][i], to: widths[i]) }
                }
            }
        }
        func line(_ items: [String]) -> String {
            items.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - displayWidth(items[i]))
                return isRightAligned(i) ? pad + items[i] : (i == items.count - 1 ? items[i] : items[i] + pad)
            }.joined(separator: "  ")
        }
        var out = line(columns.map(\.name)) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in cells { out += line(r) + "\n" }
        if rows.isEmpty { out += "(no rows)\n" }
        for f in footer { out += visible(f, all: true) + "\n" }
        if cut { out += "(text cut with … to fit \(limit!) cells; .mode line shows every field whole)\n" }
        return out
    }

    /// `text` cut to `cells` cells, its last one `…`.
    private func truncated(_ text: String, to cells: Int) -> String {
        var out = "", used = 0
        for ch in text {
            let w = displayWidth(String(ch))
            if used + w > cells - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    private func renderSeparated(_ sep: String) -> String {
        func field(_ raw: String) -> String {
            let s = visible(raw, all: false)
            if sep == "\t" {
                return s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            }
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = columns.map { field($0.name) }.joined(separator: sep) + "\n"
        for r in rows {
            out += r.indices.map { field(cell(r[$0], grouping: false, null: "")) }.joined(separator: sep) + "\n"
        }
        return out
    }

    private func renderJSON() -> String {
        let items = jsonObjects().map { "  " + $0 }
        return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    /// One record per row, one field per line, names right-aligned (sqlite3's `.mode line`); a blank line
    /// between records, then the unit of amounts and the notes.
    private func renderLines() -> String {
        let names = columns.map { visible($0.name, all: true) }
        let width = names.map(displayWidth).max() ?? 0
        var records: [String] = []
        for r in rows {
            records.append(r.indices.map { i in
                String(repeating: " ", count: width - displayWidth(names[i])) + names[i] + " = "
                    + visible(cell(r[i], grouping: true, null: "–"), all: true) + "\n"
            }.joined())
        }
        var out = records.joined(separator: "\n")
        if rows.isEmpty { out += "(no rows)\n" }
        let f = footer
        if !f.isEmpty { out += (rows.isEmpty ? "" : "\n") + f.map { visible($0, all: true) + "\n" }.joined() }
        return out
    }

    /// Each row as one JSON object on one line.
    private func jsonObjects() -> [String] {
        var items: [String] = []
        for r in rows {
            let fields = r.indices.map { i -> String in
                let v: String
                switch r[i] {
                case .null: v = "null"
                case .int, .money, .percent: v = cell(r[i], grouping: false, null: "null")
                case .bool(let b): v = b ? "true" : "false"
                default: v = jsonString(r[i].description)
                }
                return "\(jsonString(columns[i].name)): \(v)"
            }
            items.append("{" + fields.joined(separator: ", ") + "}")
        }
        return items
    }

    private func renderMarkdown() -> String {
        func esc(_ s: String) -> String { visible(s, all: true).replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + columns.map { esc($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.indices.map { isRightAligned($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for r in rows {
            out += "| " + r.indices.map { esc(cell(r[$0], grouping: true, null: "–")) }.joined(separator: " | ") + " |\n"
        }
        let f = footer
        if !f.isEmpty { out += "\n" + f.map { esc($0) + "\n" }.joined() }
        return out
    }

    /// One bar per row: the row's key columns as its label, a bar as long as the value allows, the value.
    private func renderChart() -> String {
        let c = chartColumn!
        let sc = scales
        let labelColumns = columns.indices.filter { !columns[$0].type.isNumeric && columns[$0] != noteColumn }
        let labels = rows.map { r in
            labelColumns.map { cell(r[$0], grouping: false, null: "–") }.joined(separator: " ")
        }
        let values = rows.map { cell($0[c], aligned: sc[c], grouping: true, null: "–") }
        let magnitudes = rows.map { r -> Int128 in
            // In millionths, exactly; bar lengths are whole cells of that.
            guard let x = exactNumber(r[c]) else { return 0 }
            let (m, o) = x.num.magnitude.multipliedReportingOverflow(by: 1_000_000)
            return o ? Int128.max : Int128(m / x.den.magnitude)
        }
        let negative = rows.map { r in exactNumber(r[c]).map { $0.num < 0 } ?? false }
        let labelWidth = labels.map(displayWidth).max() ?? 0
        let valueWidth = values.map(displayWidth).max() ?? 0
        let width = 40
        // Bars of negative values go left of an axis, positive ones right of it, each side as wide as its
        // largest magnitude allows (a −442.20 is never drawn like a +442.20).
        let topNegative = zip(magnitudes, negative).filter { $0.1 }.map(\.0).max() ?? 0
        let topPositive = zip(magnitudes, negative).filter { !$0.1 }.map(\.0).max() ?? 0
        let left = topNegative == 0 ? 0 : max(1, Int((Int128(width) * topNegative * 2 + topNegative + topPositive) / ((topNegative + topPositive) * 2)))
        let right = width - left
        func cells(_ m: Int128, _ top: Int128, _ room: Int) -> Int { top > 0 ? Int((m * Int128(room) * 2 + top) / (top * 2)) : 0 }
        var out = "\(columns[c].name)\n"
        for i in rows.indices {
            let bar: String
            if left == 0 {
                let n = cells(magnitudes[i], topPositive, width)
                bar = String(repeating: "█", count: n) + String(repeating: " ", count: width - n)
            } else if negative[i] {
                let n = cells(magnitudes[i], topNegative, left)
                bar = String(repeating: " ", count: left - n) + String(repeating: "█", count: n) + "│" + String(repeating: " ", count: right)
            } else {
                let n = cells(magnitudes[i], topPositive, right)
                bar = String(repeating: " ", count: left) + "│" + String(repeating: "█", count: n) + String(repeating: " ", count: right - n)
            }
            out += labels[i] + String(repeating: " ", count: labelWidth - displayWidth(labels[i])) + "  " + bar + "  "
                + String(repeating: " ", count: valueWidth - displayWidth(values[i])) + values[i] + "\n"
        }
        if rows.isEmpty { out += "(no rows)\n" }
        for f in footer { out += visible(f, all: true) + "\n" }
        return out
    }
}

/// `s` with its control characters shown, never sent to the terminal: ESC (an escape sequence in a
/// document's text), NUL, DEL and the C1 controls as `\x1b`; with `all`, tab, newline and carriage return
/// too (a table cell is one line), else those are left to the format (CSV quotes them, TSV spaces them).
func visible(_ s: String, all: Bool) -> String {
    guard s.unicodeScalars.contains(where: { isControl($0) }) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        if isControl(u) && (all || !["\t", "\n", "\r"].contains(u)) {
            switch u {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out += "\\x" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            }
        } else {
            out.unicodeScalars.append(u)
        }
    }
    return out
}

private func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }

/// `s` as a JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
