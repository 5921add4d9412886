// TableHeader.swift — splits a table into header rows and data rows and
// gives each column its header text: the header cells above it joined top
// down, a group label (本年拨款, 基本支出) carried right over the columns it
// spans. Page-break repeats of the header are dropped from the data rows.

import FiscalData

struct TableLayout {
    let headerRows: [RawRow]
    let dataRows: [RawRow]
    /// Folded header text of each column, top row first.
    let columnText: [String]
    /// Folded text of the lowest non-empty header cell of each column.
    let leafText: [String]
    let width: Int

    init(_ table: RawTable) {
        var headers: [RawRow] = []
        var data: [RawRow] = []
        for row in table.rows {
            if data.isEmpty && !TableLayout.isData(row) { headers.append(row); continue }
            let key = row.cells.map(foldName)
            if headers.contains(where: { $0.cells.map(foldName) == key }) || TableLayout.isSerial(row) { continue }
            data.append(row)
        }
        let width = table.rows.map(\.cells.count).max() ?? 0
        data = TableLayout.joiningSplitCodes(data, headers: headers)
        var text = Array(repeating: "", count: width)
        var leaf = Array(repeating: "", count: width)
        for (r, row) in headers.enumerated() {
            var carried = ""
            for j in 0..<width {
                var cell = foldName(row[j])
                if cell == "栏次" || Int(cell) != nil { cell = "" }
                let lowerHasText = headers[(r + 1)...].contains { !foldName($0[j]).isEmpty }
                // A merged cell's label is carried right over the empty cells it spans; a header rebuilt
                // from positions already has each word in its own column.
                if cell.isEmpty && lowerHasText && r < headers.count - 1 && !table.positioned { cell = carried } else { carried = cell }
                text[j] += cell
                if !foldName(row[j]).isEmpty && cell == foldName(row[j]) { leaf[j] = cell }
            }
        }
        self.headerRows = headers
        self.dataRows = data
        self.columnText = text
        self.leafText = leaf
        self.width = width
    }

    /// Codes printed in columns headed 类 | 款 | 项 (201 | 01 | 01), or 类 | 款 for economic codes (301 | 01), in a
    /// table of TAB-separated cells: one code in the 类 column (2010101, 30101; CODE-NAME with the name after
    /// them), the others left empty. Read as
    /// figures, 01 was an amount of 1 and 301 one of 301. (A PDF's table rebuilder joins them itself.)
    static func joiningSplitCodes(_ data: [RawRow], headers: [RawRow]) -> [RawRow] {
        guard let (k, parts) = headers.lazy.compactMap({ h -> (Int, Int)? in
            let cells = h.cells.map(foldName)
            guard let j = cells.indices.first(where: { j in j + 1 < cells.count && cells[j] == "类" && cells[j + 1] == "款" }) else { return nil }
            return (j, j + 2 < cells.count && cells[j + 2] == "项" ? 3 : 2)
        }).first else { return data }
        func digits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy { $0.isASCII && $0.isNumber } }
        return data.map { row in
            let split = (0..<parts).map { row[k + $0].trimmed() }
            // 类 always; each part after it two digits, or empty with nothing after it.
            guard digits(split[0], 3), split.indices.dropFirst().allSatisfy({ n in
                digits(split[n], 2) && !split[n - 1].isEmpty || split[n...].allSatisfy(\.isEmpty)
            }) else { return row }
            var cells = row.cells
            for j in k..<(k + parts) where j < cells.count { cells[j] = "" }
            // With the name after them, as CODE-NAME (the form a PDF's codes take): the code's scheme is its own.
            let name = k + parts < cells.count ? cells[k + parts].trimmed() : ""
            if !name.isEmpty && (try? Money.parse(name)) == nil {
                cells[k] = split.joined() + "-" + name
                cells[k + parts] = ""
            } else {
                cells[k] = split.joined()
            }
            return RawRow(line: row.line, cells: cells, indents: row.indents)
        }
    }

    /// The first column whose header contains any of `keys`.
    func column(containing keys: String...) -> Int? {
        columnText.firstIndex { t in keys.contains { t.contains($0) } }
    }

    /// A data row has an amount in some cell and is not a 栏次 (column numbering) row.
    static func isData(_ row: RawRow) -> Bool {
        if row.cells.contains(where: { foldName($0) == "栏次" }) || isSerial(row) { return false }
        return row.cells.contains { !$0.isEmpty && (try? Money.parse($0)) != nil }
    }

    /// A row of column numbers 1, 2, 3 … (Wuhan tables number their columns), or 1 … after a marker (**, 栏次,
    /// 行次: a table of one amount column numbers it alone).
    static func isSerial(_ row: RawRow) -> Bool {
        var nums = row.cells.filter { !$0.isEmpty }
        let marked = nums.first.map { serialMarkers.contains(foldName($0)) } ?? false
        if marked { nums.removeFirst() }
        guard nums.count >= 3 || marked && !nums.isEmpty else { return false }
        return nums.enumerated().allSatisfy { Int($1) == $0 + 1 }
    }

    /// What a row of column numbers may print beside them.
    static let serialMarkers: Set<String> = ["**", "*", "栏次", "行次"]
}
