// ProseCounts.swift — the counts the 情况说明 gives of what a unit holds, which are no money: its vehicles
// in the 国有资产占有使用情况 paragraph ("截至2025年8月31日，上海市普陀区司法局共有车辆3辆，其中：部级领导
// 干部用车0辆、…、其他用车0辆；", "本部门共有车辆55辆。其中，一般公务用车13辆、执法执勤用车40辆、其他用车2辆。")
// and those it buys ("2026年部门预算安排购置车辆1辆，其中，一般公务用车0辆、…", "本年度购置(更新)公务用车0辆").
// Each count is a statement of measure `vehicles` or `vehicles_bought` (its amount the count), the whole as
// a total and each kind of vehicle after 其中 as a leaf with the kind as its category, in the document's
// year and phase. The words are read with white space taken out (a PDF breaks 离退休干部服务用 | 车 over lines).

import FiscalData

struct ProseCounts {
    let ctx: DocumentImport

    /// The words before a count of all vehicles, and what that count is of.
    private static let keys: [(words: String, measure: Measure)] = [
        ("共有车辆", .vehicles), ("购置车辆", .vehiclesBought), ("购置(更新)公务用车", .vehiclesBought),
    ]

    /// Reads every paragraph; returns the number of statements made.
    func read(sectionOf: (Int) -> String) -> Int {
        var made = 0
        for para in ProseParagraph.split(ctx.doc.lines, skip: []) {
            // The paragraph without white space, each character with its line.
            var chars: [Character] = [], lines: [Int] = []
            for (c, l) in zip(para.chars, para.lines) where !c.isWhitespace { chars.append(c); lines.append(l) }
            var i = 0
            while i < chars.count {
                guard let key = Self.keys.first(where: { chars[i...].starts(with: $0.words) }) else { i += 1; continue }
                var k = i + key.words.count
                if k < chars.count && (chars[k] == "为" || chars[k] == "共") { k += 1 }
                guard let (total, afterTotal) = count(chars, at: k) else { i = k; continue }
                let line = lines[i], section = sectionOf(line)
                // Counts are never printed in 元 (the unit of the last amount read must not stick to them).
                ctx.printedUnit = .wan
                ctx.emit(key.measure, total, table: section, line: line, level: .total)
                made += 1
                i = afterTotal
                // 其中 and the kinds: "，其中：" "。其中，" "，其中，".
                var j = i
                if j < chars.count && ",。:;".contains(chars[j]) { j += 1 }
                guard chars[j...].starts(with: "其中") else { continue }
                j += 2
                if j < chars.count && ",:".contains(chars[j]) { j += 1 }
                while let (name, n, end) = kind(chars, at: j) {
                    ctx.emit(key.measure, n, table: section, line: lines[j], category: name)
                    made += 1
                    j = end
                    // The next kind after 、 (or a comma, where one follows).
                    guard j < chars.count, chars[j] == "、" || chars[j] == "," else { break }
                    j += 1
                }
                i = max(i, j)
            }
        }
        return made
    }

    /// A whole number followed by 辆 at `at`: the count, and where the text after 辆 begins.
    private func count(_ chars: [Character], at: Int) -> (Money, Int)? {
        var k = at
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
        guard k > at, k - at <= 6, k < chars.count, chars[k] == "辆",
              let parsed = try? Money.parse(String(chars[at..<k])) else { return nil }
        return (parsed.money, k + 1)
    }

    /// A kind of vehicle and its count at `at` (一般公务用车13辆): a name of 2 to 14 characters ending in 车,
    /// then the count; nil where the list has ended.
    private func kind(_ chars: [Character], at: Int) -> (String, Money, Int)? {
        var k = at
        while k < chars.count, k - at <= 14, !(chars[k].isASCII && chars[k].isNumber) {
            if ",。;:、".contains(chars[k]) { return nil }
            k += 1
        }
        guard k - at >= 2, chars[k - 1] == "车", let (n, end) = count(chars, at: k) else { return nil }
        return (String(chars[at..<k]), n, end)
    }
}
