// ProseReader.swift — figures stated in the 情况说明 prose: per-item 决算 with
// its 年初预算 (stated, or derived from a stated 增加/减少), Beijing per-item
// 预算数, and the totals with their change against last year (which give last
// year's total as a derived statement). Each figure names the prose section
// it was read from; a figure that cannot be read is reported.

import FiscalData

struct ProseReader {
    let ctx: DocumentImport
    let ledger = ProseLedger()

    func read() {
        var section = Statement.proseTable
        var made = 0
        let lines = ctx.doc.lines
        var sections = [String](repeating: section, count: lines.count + 1)
        var i = 0
        while i < lines.count {
            sections[i + 1] = section
            let line = stripMarkup(lines[i]).trimmed()
            if line.hasTab || line.isEmpty { i += 1; continue }
            if let heading = heading(line) { section = Statement.proseTable + " " + heading.prefix(40); sections[i + 1] = section }
            let folded = foldName(line)
            if let (code, rest) = ProseReader.codedPath(folded) {
                // 公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元 (上海 budgets): the codes are printed.
                ledger.itemLines.insert(i + 1)
                made += item(code, text: rest, line: i + 1, section: section)
            } else if let (path, rest) = ProseReader.dashedPath(folded) {
                // “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元 (上海 budgets).
                ledger.itemLines.insert(i + 1)
                made += item(path: path, text: rest, line: i + 1, section: section)
            } else if let end = folded.byteRange(of: "(项)") {
                // The figures may follow on the next lines.
                var path = String(folded[..<end.upperBound])
                var text = String(folded[end.upperBound...])
                // The path may begin on the line before, broken where the PDF broke its line: …（款）行政单位离退休 | （项）。
                // (An empty line may stand between the two parts.)
                if !path.contains("(类)"), let k = (max(0, i - 2)..<i).last(where: { !lines[$0].trimmed().isEmpty }) {
                    let before = foldName(stripMarkup(lines[k]).trimmed())
                    if before.contains("(类)") && !before.contains("(项)") && !before.hasTab { path = before + path }
                }
                var j = i + 1
                while j < lines.count && j <= i + 3 && !foldName(lines[j]).contains("(项)") { text += foldName(lines[j]); j += 1 }
                // Read or not, an item's lines are not read again as class totals or other figures.
                ledger.itemLines.formUnion((i + 1)...j)
                made += item(path: path, text: text, line: i + 1, section: section)
            } else {
                made += totals(folded, line: i + 1, section: section)
            }
            i += 1
        }
        let figures = ProseFigures(ctx: ctx, ledger: ledger)
        made += figures.read { sections[$0] }
        made += ProseCounts(ctx: ctx).read { sections[$0] }
        if made > 0 || ctx.info.layout == .proseFinal || ctx.info.layout == .proseBudget {
            ctx.cover(1, Statement.proseTable + " (prose)", rows: lines.count, made: made)
        }
        figures.unread()
    }

    /// The section heading a line is or begins with: 一、…, （一）… (short), or a （四）…说明（详见表 4） run into
    /// the paragraph after it on one line (a PDF that prints them so); nil for other lines.
    private func heading(_ line: String) -> String? {
        let ordinals = "一二三四五六七八九十"
        guard let f = line.first else { return nil }
        if ordinals.contains(f), line.dropFirst().prefix(2).contains("、") { return line.count < 40 ? line : nil }
        guard f == "（" || f == "(", line.dropFirst().first.map({ ordinals.contains($0) }) == true else { return nil }
        if line.count < 40 { return line }
        let head = line.prefix(40)
        guard let end = head.range(of: "说明") ?? head.range(of: "情况") else { return nil }
        var name = line[..<end.upperBound]
        // …（详见表 4）
        let rest = line[end.upperBound...]
        if rest.hasPrefix("（详见") || rest.hasPrefix("(详见"), let close = rest.firstIndex(where: { $0 == "）" || $0 == ")" }) {
            name = line[..<rest.index(after: close)]
        }
        return String(name)
    }

    /// One functional item's figures: 决算, 年初预算 (stated or derived), or Beijing 预算数.
    private func item(path: String, text: String, line: Int, section: String) -> Int {
        guard case .success(let r) = ctx.catalog.resolve(namePath: path) else {
            if let amount = firstAmount(after: ["决算", "预算数为", "科目"], in: text) ?? leadingAmount(text) {
                ctx.note(line, .unreadable, "prose item \(path) (\(amount)): the name path is not in the catalogue")
            }
            return 0
        }
        if !r.notes.isEmpty { ctx.note(line, .repaired, r.notes.joined(separator: "; ")) }
        return item(r.code, text: text, line: line, section: section)
    }

    /// One item's figures, its code known.
    private func item(_ code: Code, text: String, line: Int, section: String) -> Int {
        let table = section
        var made = 0
        if ctx.info.phase == .budget {
            // 预算数为…; …”科目1,202.95万元; or the figure right after the path: …行政运行（01项）1672.67万元.
            if let a = amountAfter("预算数为", text, line: line) ?? amountAfter("科目", text, line: line)
                ?? leadingAmount(text).flatMap({ take($0, line: line, what: "prose item \(code)") }) {
                ctx.emit(.spending, a, table: table, line: line, function: code, fund: .general); made += 1
            }
            return made
        }
        // Each figure that can be read is kept: a 决算 the PDF printed out of its sentence leaves the 年初预算.
        let final = amountAfter("决算为", text, line: line) ?? amountAfter("决算", text, line: line)
        if let final { ctx.emit(.spending, final, table: table, line: line, function: code, fund: .general); made += 1 }
        if let budget = amountAfter("年初预算为", text, line: line) ?? amountAfter("年初预算数为", text, line: line) {
            ctx.emit(.spending, budget, table: table, line: line, function: code, fund: .general, phase: .budget); made += 1
        } else if let final, let (dir, change) = changeAgainst("年初预算", text, line: line) {
            do {
                let budget = dir == "增加" ? try final.subtracting(change) : try final.adding(change)
                ctx.emit(.spending, budget, table: table, line: line, function: code, fund: .general, phase: .budget,
                         derived: "决算 \(final) 比年初预算\(dir) \(change)")
                made += 1
            } catch {
                ctx.note(line, .unreadable, "cannot derive the 年初预算: \(error)")
            }
        }
        // 全年预算 (the budget as adjusted during the year) is a phase of its own, never the 年初预算.
        if let adjusted = amountAfter("全年预算为", text, line: line) ?? amountAfter("全年预算数为", text, line: line) {
            ctx.emit(.spending, adjusted, table: table, line: line, function: code, fund: .general, phase: .adjusted); made += 1
        }
        return made
    }

    /// A name path with its codes in the brackets, (204类)(06款)(01项), as the item's code, and the text after it.
    static func codedPath(_ folded: String) -> (code: Code, rest: String)? {
        var digits = ""
        var rest = Substring(folded)
        for (level, width) in [("类", 3), ("款", 2), ("项", 2)] {
            guard let mark = rest.byteRange(of: level + ")"), let open = rest[..<mark.lowerBound].range(of: "(", options: .backwards) else { return nil }
            let d = rest[open.upperBound..<mark.lowerBound]
            guard d.count == width, d.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            digits += d
            rest = rest[mark.upperBound...]
        }
        return Code(digits, scheme: .function).map { ($0, String(rest)) }
    }

    /// A quoted 类-款-项 name path before 科目 (“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目…), as a
    /// (类)(款)(项) path, and the text from 科目 on; nil for any other line.
    static func dashedPath(_ folded: String) -> (path: String, rest: String)? {
        guard let close = folded.byteRange(of: "\"科目"),
              let open = folded[..<close.lowerBound].range(of: "\"", options: .backwards) else { return nil }
        let parts = folded[open.upperBound..<close.lowerBound].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return (parts[0] + "(类)" + parts[1] + "(款)" + parts[2] + "(项)", "科目" + folded[close.upperBound...])
    }

    /// Totals and their change against last year: 本年支出合计5474.79万元，比上年增加250.86万元.
    private func totals(_ text: String, line: Int, section: String) -> Int {
        var made = 0
        let keys: [(String, Measure, Nature?)] = [("本年支出合计", .spending, nil), ("本年收入合计", .income, nil),
                                                  ("支出合计", .spending, nil), ("收入合计", .income, nil),
                                                  ("基本支出", .spending, .basic), ("项目支出", .spending, .project)]
        var used = Set<String.Index>()
        for (key, measure, nature) in keys {
            guard let r = text.byteRange(of: key), !used.contains(r.lowerBound) else { continue }
            let after = text[r.upperBound...]
            // Only a figure right after the key: "基本支出3117.81万元", "收入合计 174.25万元".
            guard let amountText = leadingAmount(String(after)) else { continue }
            guard let a = take(amountText, line: line, what: "prose \(key)") else { continue }
            used.insert(r.lowerBound)
            if let longer = keys.first(where: { $0.0 != key && $0.0.hasSuffix(key) }), text.byteRange(of: longer.0).map({ $0.upperBound == r.upperBound }) == true { continue }
            ctx.emit(measure, a, table: section, line: line, level: nature == nil ? .total : .leaf, nature: nature)
            made += 1
            if nature == nil, let (dir, change) = changeAgainst("上年", String(after), line: line) {
                if let prior = try? (dir == "增加" ? a.subtracting(change) : a.adding(change)) {
                    ctx.emit(measure, prior, table: section, line: line, level: .total, year: ctx.info.year - 1,
                             derived: "\(key) \(a) 比上年\(dir) \(change)")
                    made += 1
                }
            }
        }
        return made
    }

    private func amountAfter(_ key: String, _ text: String, line: Int) -> Money? {
        guard let r = text.byteRange(of: key), let t = leadingAmount(String(text[r.upperBound...])) else { return nil }
        return take(t, line: line, what: "prose \(key)")
    }

    /// Reads an amount in 万元 and records it as taken, so the last sweep does not report it.
    private func take(_ text: String, line: Int, what: String) -> Money? {
        guard let m = ctx.amount(text, line: line, unit: .wan, what: what) else { return nil }
        ledger.record(line, m)
        return m
    }

    private func firstAmount(after keys: [String], in text: String) -> String? {
        for k in keys { if let r = text.byteRange(of: k), let t = leadingAmount(String(text[r.upperBound...])) { return t } }
        return nil
    }

    /// 比…年初预算减少62.74万元 → ("减少", 62.74).
    private func changeAgainst(_ base: String, _ text: String, line: Int) -> (String, Money)? {
        guard let r = text.byteRange(of: base) else { return nil }
        let after = text[r.upperBound...]
        for dir in ["增加", "减少"] where after.hasPrefix(dir) {
            guard let t = leadingAmount(String(after.dropFirst(dir.count))),
                  let m = take(t, line: line, what: "prose change \(dir)") else { return nil }
            return (dir, m)
        }
        return nil
    }
}

/// The amount text at the start of `s` when it is followed by 万元: "-0-万元", "239.51万元", "为 174.25 万元".
func leadingAmount(_ s: String) -> String? {
    var t = Substring(s)
    while let f = t.first, f == "为" || f == "：" || f == ":" || f.isWhitespace { t = t.dropFirst() }
    let body = t.prefix { ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "," || $0 == "-" || $0.isWhitespace }
    guard !body.isEmpty, t.dropFirst(body.count).hasPrefix("万元") else { return nil }
    return String(body)
}
