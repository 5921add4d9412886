// ProseFigures.swift — the figures of the 情况说明 prose that are not per-item
// lines: “三公”经费 by item, 政府采购 by kind, 机关运行经费, 人员经费 and
// 公用经费, class (类) totals, the budget's 收入/支出 totals and its 一般公共预算
// 当年拨款, and each project's 全年预算数 and 执行数 in its 绩效自评综述. Each amount is read with the subject its sentence names (or the
// last one named, or a short heading just before), the phase its clause names
// (决算, 年初预算, 全年预算), and a change that follows it (比上年增加…,
// 与2023年相同, 比年初预算数持平) becomes a derived statement of last year or of
// the budget. Then `unread` lists every amount in the prose that became no
// statement, so nothing numeric is skipped silently.

import FiscalData

/// What the prose readers have taken: the (line, amount) pairs read into statements, and the lines
/// of per-item paragraphs (whose figures are recorded on the item's first line).
final class ProseLedger {
    private var taken: [Int: [Money]] = [:]
    var itemLines = Set<Int>()

    func record(_ line: Int, _ amount: Money) { taken[line, default: []].append(amount) }

    func copy() -> ProseLedger {
        let c = ProseLedger()
        c.taken = taken
        c.itemLines = itemLines
        return c
    }

    /// Whether `amount` printed on `line` was taken, using up the record that says so: one record
    /// answers for one printed amount.
    func consume(_ line: Int, _ amount: Money) -> Bool {
        let lowest = itemLines.contains(line) ? max(1, line - 3) : line
        for l in stride(from: line, through: lowest, by: -1) {
            if let k = taken[l]?.firstIndex(of: amount) { taken[l]!.remove(at: k); return true }
        }
        return false
    }
}

/// One amount printed in the prose: its place in the paragraph, its text and unit, its line.
struct ProseAmount {
    let start: Int
    let end: Int
    let text: String
    let unit: AmountUnit
    let line: Int
}

/// Consecutive prose lines read as one text (a sentence may break across lines and a blank line).
struct ProseParagraph {
    var chars: [Character] = []
    var lines: [Int] = []

    func text(_ from: Int, _ to: Int) -> String { from < to ? String(chars[from..<to]) : "" }

    /// The paragraphs of `lines`, leaving out table lines and `skip`.
    static func split(_ lines: [String], skip: Set<Int>) -> [ProseParagraph] {
        var out: [ProseParagraph] = []
        var current = ProseParagraph()
        func flush() { if !current.chars.isEmpty { out.append(current) }; current = ProseParagraph() }
        for (i, raw) in lines.enumerated() {
            let n = i + 1
            if raw.hasTab || skip.contains(n) { flush(); continue }
            let line = stripMarkup(cleanCell(raw)).trimmed()
            if line.isEmpty {
                // A sentence broken by a blank line goes on; a finished one ends the paragraph.
                if let last = current.chars.last, "。;:：；!！?？)）".contains(last) || current.chars.count < 4 { flush() }
                continue
            }
            if !current.chars.isEmpty, isListStart(line) { flush() }
            for ch in line {
                let f = foldFullWidth(ch)
                current.chars.append(isDoubleQuote(f) ? "\"" : f)
                current.lines.append(n)
            }
        }
        flush()
        return out
    }

    /// “, ” or ＂ (by the scalar: comparing Characters goes through normalisation).
    private static func isDoubleQuote(_ c: Character) -> Bool {
        let s = c.unicodeScalars
        guard let v = s.first?.value, s.index(after: s.startIndex) == s.endIndex else { return false }
        return v == 0x201C || v == 0x201D || v == 0xFF02
    }

    /// "1.", "(2)", "3、", "- 2." start a new paragraph even without a blank line.
    private static func isListStart(_ line: String) -> Bool {
        var t = Substring(line)
        while let f = t.first, f == "-" || f == " " { t = t.dropFirst() }
        guard let f = t.first else { return false }
        if f == "(" || f == "（" { return true }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if "一二三四五六七八九十".contains(f), t.dropFirst().prefix(2).contains("、") { return true }
        return !digits.isEmpty && digits.count <= 2 && t.dropFirst(digits.count).first.map { ".、．".contains($0) } == true
            && !(t.dropFirst(digits.count + 1).first.map { $0.isASCII && $0.isNumber } ?? false)
    }

    /// Every "123.45万元", "13000 元", "-0-万元", "2. 76 万元" in the paragraph.
    func amounts() -> [ProseAmount] {
        var out: [ProseAmount] = []
        var i = 0
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            guard isDigit(i), !isDigit(i - 1), !(i > 0 && (chars[i - 1] == "." || chars[i - 1].isLetter && chars[i - 1].isASCII)) else { i += 1; continue }
            var j = i
            var sawDot = false
            while j < chars.count {
                if isDigit(j) || chars[j] == "," { j += 1; continue }
                if chars[j] == "." && !sawDot && (isDigit(j + 1) || (j + 1 < chars.count && chars[j + 1] == " " && isDigit(j + 2))) {
                    sawDot = true; j += 1; continue
                }
                if chars[j] == " " && j > i && (chars[j - 1] == "." || chars[j - 1] == ",") && isDigit(j + 1) { j += 1; continue }
                break
            }
            var start = i, end = j
            // "-0-万元" is how these documents print a zero.
            if i > 0 && chars[i - 1] == "-" && j < chars.count && chars[j] == "-" { start = i - 1; end = j + 1 }
            var k = end
            while k < chars.count && chars[k] == " " { k += 1 }
            var unit: AmountUnit? = nil
            if k + 1 < chars.count && chars[k] == "万" && chars[k + 1] == "元" { unit = .wan; k += 2 }
            else if k < chars.count && chars[k] == "元" { unit = .yuan; k += 1 }
            if let unit {
                let text = String(chars[i..<j])
                out.append(ProseAmount(start: start, end: k, text: start < i ? "0" : text, unit: unit, line: lines[i]))
            }
            i = max(j, i + 1)
        }
        return out
    }
}

/// What a phrase in the prose is a figure of.
struct ProseSubject {
    let key: String
    var measure: Measure? = nil
    var level: RowLevel = .leaf
    var category: String? = nil
    var function: Code? = nil
    var econDept: Code? = nil
    var nature: Nature? = nil
    var cost: Cost? = nil
    var fund: Fund? = nil
    /// Why a figure of this subject is not a statement (a count, a share, a restatement).
    var ignored: String? = nil
    /// A generic phrase (支出预算) that yields to any other subject in the same text.
    var weak = false
    /// The project a figure is of (a 绩效自评综述's).
    var project: String? = nil

    var name: String { category ?? key }
}

struct ProseFigures {
    let ctx: DocumentImport
    let ledger: ProseLedger
    /// The subjects the prose names, longest key first so "公务用车购置费" wins over "公务用车".
    private let subjects: [ProseSubject]
    /// Each subject's key as UTF-8, for the byte search of `subject(in:)`.
    private let subjectKeys: [[UInt8]]

    init(ctx: DocumentImport, ledger: ProseLedger) {
        self.ctx = ctx
        self.ledger = ledger
        subjects = ProseFigures.subjects(ctx.catalog)
        subjectKeys = subjects.map { Array($0.key.utf8) }
    }

    /// The fixed phrases, the class (类) names and the economic (款) names of `catalog`.
    private static func subjects(_ catalog: Catalog) -> [ProseSubject] {
        var s: [ProseSubject] = [
            .init(key: "\"三公\"经费", measure: .sangong, level: .total, category: SangongNames.all),
            .init(key: "三公经费", measure: .sangong, level: .total, category: SangongNames.all),
            .init(key: "因公出国(境)费", measure: .sangong, category: SangongNames.abroad),
            .init(key: "因公出国(境)经费", measure: .sangong, category: SangongNames.abroad),
            .init(key: "公务用车购置及运行维护费", measure: .sangong, level: .subtotal, category: SangongNames.cars),
            .init(key: "公务用车购置和运行维护费", measure: .sangong, level: .subtotal, category: SangongNames.cars),
            .init(key: "公务用车购置及运行费", measure: .sangong, level: .subtotal, category: SangongNames.cars),
            .init(key: "公务用车购置费", measure: .sangong, category: SangongNames.carPurchase),
            .init(key: "公务用车购置经费", measure: .sangong, category: SangongNames.carPurchase),
            .init(key: "公务用车运行维护费", measure: .sangong, category: SangongNames.carRunning),
            .init(key: "公务用车运行费", measure: .sangong, category: SangongNames.carRunning),
            .init(key: "公务接待费", measure: .sangong, category: SangongNames.reception),
            .init(key: "外宾接待", ignored: "a part of 公务接待费 the tables do not split out"),
            .init(key: "国内公务接待", ignored: "a part of 公务接待费 the tables do not split out"),
            .init(key: "人均", ignored: "an average per person"),
            .init(key: "车均", ignored: "an average per vehicle"),
            .init(key: "政府采购支出总额", measure: .procurement, level: .total),
            .init(key: "政府采购总额", measure: .procurement, level: .total),
            .init(key: "政府采购货物", measure: .procurement, category: "货物"),
            .init(key: "政府采购工程", measure: .procurement, category: "工程"),
            .init(key: "政府采购服务", measure: .procurement, category: "服务"),
            // Shares of 政府采购 (a part shown beside its whole: kept, never added).
            .init(key: "中小企业合同金额", measure: .procurement, level: .subtotal, category: "授予中小企业合同金额"),
            .init(key: "小微企业合同金额", measure: .procurement, level: .subtotal, category: "授予小微企业合同金额"),
            .init(key: "机关运行经费", measure: .operating, level: .total),
            .init(key: "运行经费", measure: .operating, level: .total),
            .init(key: "人员经费", measure: .spending, nature: .basic, cost: .personnel),
            .init(key: "公用经费", measure: .spending, nature: .basic, cost: .public),
            .init(key: "财政拨款收入", measure: .income, level: .subtotal, fund: .appropriation, weak: true),
            .init(key: "一般公共预算财政拨款收入", measure: .income, fund: .general),
            .init(key: "政府性基金预算财政拨款收入", measure: .income, fund: .govfund),
            .init(key: "国有资本经营预算财政拨款收入", measure: .income, fund: .soe),
            .init(key: "上级补助收入", measure: .income, category: "上级补助收入", fund: .other),
            .init(key: "事业收入", measure: .income, category: "事业收入", fund: .other),
            .init(key: "经营收入", measure: .income, category: "经营收入", fund: .other),
            .init(key: "附属单位上缴收入", measure: .income, category: "附属单位上缴收入", fund: .other),
            .init(key: "其他收入", measure: .income, category: "其他收入", fund: .other),
            .init(key: "收入预算", measure: .income, level: .total, weak: true),
            .init(key: "支出预算", measure: .spending, level: .total, weak: true),
            .init(key: "一般公共预算当年拨款", measure: .spending, level: .total, fund: .general, weak: true),
            .init(key: "一般公共预算财政拨款支出", measure: .spending, level: .total, fund: .general, weak: true),
            .init(key: "项目预算", ignored: "the projects' count and total restate the project table"),
            .init(key: "绩效目标", ignored: "the projects' count and total restate the project table"),
            .init(key: "收支总预算", ignored: "收支总计 restates the income and spending totals"),
            .init(key: "收、支总计", ignored: "收支总计 restates the income and spending totals"),
            .init(key: "收支总计", ignored: "收支总计 restates the income and spending totals"),
            .init(key: "以上", ignored: "a threshold, not an amount spent"),
            .init(key: "固定资产总额", measure: .assets, level: .total),
            .init(key: "政府购买服务", measure: .service, level: .total),
        ]
        // 上海 budgets: 一般公共预算拨款支出预算…；政府性基金拨款支出预算0万元；国有资本经营预算拨款支出预算0万元. With
        // 预算 too, so that the fund's key ends where the plainer 支出预算 does and, being longer, wins.
        for (key, fund) in [("一般公共预算拨款支出", Fund.general), ("政府性基金拨款支出", .govfund), ("政府性基金预算拨款支出", .govfund),
                            ("国有资本经营预算拨款支出", .soe)] {
            for k in [key, key + "预算"] { s.append(.init(key: k, measure: .spending, level: .total, fund: fund, weak: true)) }
        }
        for e in catalog.allEntries where e.code.scheme == .function && e.code.digits == 3 {
            s.append(.init(key: foldName(e.name), measure: .spending, level: .subtotal, function: e.code))
        }
        // "基本工资13.84万元": a basic-spending figure by economic class (款).
        // Not where an economic name spells a subject above (因公出国（境）费用 is “三公”经费).
        let fixed = s.map(\.key)
        for e in catalog.allEntries where e.code.scheme == .econDept && e.code.digits == 5 && foldName(e.name).count >= 3 {
            let key = foldName(e.name)
            if fixed.contains(where: { key.contains($0) || $0.contains(key) }) { continue }
            s.append(.init(key: foldName(e.name), measure: .spending, econDept: e.code))
        }
        return s.sorted { $0.key.count > $1.key.count }
    }

    private enum Change { case priorYear, budget }

    /// The last figure read in a paragraph, which a change after it ("比上年增加…") refers to.
    private struct Figure {
        let subject: ProseSubject
        let measure: Measure
        let phase: Phase
        let year: Int
        let amount: Money
    }

    /// Reads every paragraph; returns the number of statements made.
    func read(sectionOf: (Int) -> String) -> Int {
        let earlier = ledger.copy()
        var made = 0
        var carried: ProseSubject? = nil
        for para in ProseParagraph.split(ctx.doc.lines, skip: ledger.itemLines) {
            let amounts = para.amounts()
            if amounts.isEmpty {
                // A short heading ("2.公务接待费") names the subject of the paragraph after it.
                let whole = String(para.chars).filter { !$0.isWhitespace }
                carried = whole.count <= 24 ? subject(in: whole) : nil
                continue
            }
            var current = carried
            carried = nil
            var previousEnd = 0
            var last: Figure? = nil
            let evaluated = selfEvaluatedProject(para)
            for (n, a) in amounts.enumerated() {
                let label = para.text(previousEnd, a.start).filter { !$0.isWhitespace }
                let clause = lastClause(label)
                // A project's 绩效自评综述: its 全年预算数 (the adjusted budget) and 执行数 (what it spent).
                // (A blank of the template left in, "为_0 万元", is no part of the label.)
                let asked = clause.filter { $0 != "_" }
                if let project = evaluated, let phase = asked.hasSuffix("全年预算数为") || asked.hasSuffix("全年预算数") ? Phase.adjusted
                    : asked.hasSuffix("执行数为") || asked.hasSuffix("执行数") ? Phase.final : nil,
                   let money = ctx.amount(a.text, line: a.line, unit: a.unit, what: "prose \(clause.suffix(12))") {
                    previousEnd = a.end
                    guard !earlier.consume(a.line, money) else { continue }
                    ledger.record(a.line, money)
                    let subject = ProseSubject(key: "绩效自评综述", measure: .spending, nature: .project, project: project)
                    emit(subject, measure: .spending, money, line: a.line, phase: phase, year: ctx.info.year,
                         section: sectionOf(a.line), derived: nil)
                    made += 1
                    last = nil
                    continue
                }
                let nextStart = n + 1 < amounts.count ? amounts[n + 1].start : para.chars.count
                let after = para.text(a.end, nextStart).filter { !$0.isWhitespace }
                previousEnd = a.end
                // A heading run into the paragraph ("2.一般公共预算当年拨款结构情况。科学技术（类）支出28.00") names
                // what the paragraph is about, not the subject of its figures.
                let sentence = label.range(of: "情况。", options: .backwards).map { String(label[$0.upperBound...]) } ?? label
                if let s = subject(in: sentence) { current = s }
                else if !isFiller(clause) { current = nil }
                // "人均因公出国（境）费用": an average, whatever it is an average of.
                let this = subjects.first { $0.ignored != nil && clause.contains($0.key) } ?? current
                guard let money = ctx.amount(a.text, line: a.line, unit: a.unit, what: "prose \(clause.suffix(12))") else { continue }
                let section = sectionOf(a.line)
                if earlier.consume(a.line, money) {
                    // Read by the per-item or totals pass; a change after it was read there too.
                    last = nil
                } else if let change = changeKind(clause), let base = last {
                    made += derive(change, of: base, by: money, clause: clause, line: a.line, section: section)
                    last = nil
                } else if let s = this, let measure = s.measure, !["增加", "减少", "增长", "下降"].contains(where: { clause.contains($0) }) {
                    let (phase, year) = phaseAndYear(clause)
                    ledger.record(a.line, money)
                    emit(s, measure: measure, money, line: a.line, phase: phase, year: year, section: section, derived: nil)
                    let figure = Figure(subject: s, measure: measure, phase: phase, year: year, amount: money)
                    made += 1 + same(figure, after: after, line: a.line, section: section)
                    last = figure
                } else {
                    last = nil
                }
            }
        }
        return made
    }

    /// The project a paragraph sums up the self-evaluation of ("1.“民呼我应”项目绩效自评综述：项目全年预算数为…",
    /// the national template's wording): the name before 项目绩效自评综述 (or 绩效自评综述), without its list
    /// number and quotes; nil for any other paragraph, or where no name stands there.
    private func selfEvaluatedProject(_ para: ProseParagraph) -> String? {
        let text = String(para.chars)
        guard let mark = text.byteRange(of: "绩效自评综述") else { return nil }
        var name = Substring(text[..<mark.lowerBound])
        if name.hasSuffix("项目") { name = name.dropLast(2) }
        // The list number ("1.", "(一)", "2、") and the quotes around the name.
        name = name.drop { $0.isWhitespace || $0.isNumber || "().、．-（）一二三四五六七八九十".contains($0) }
        let quotes: Set<Character> = ["\"", "'", "《", "》", "「", "」", " "]
        let trimmed = String(name.drop { quotes.contains($0) }.reversed().drop { quotes.contains($0) }.reversed())
        guard !trimmed.isEmpty, trimmed.count <= 40, !trimmed.contains("。") else { return nil }
        return trimmed
    }

    /// "比上年增加250.86万元" after `base`: last year's (or the budget's) figure, derived; returns 1 or 0.
    private func derive(_ change: Change, of base: Figure, by money: Money, clause: String, line: Int, section: String) -> Int {
        let dir = clause.hasSuffix("增加") ? "增加" : "减少"
        guard let value = try? (dir == "增加" ? base.amount.subtracting(money) : base.amount.adding(money)) else { return 0 }
        ledger.record(line, money)
        emit(base.subject, measure: base.measure, value, line: line, phase: change == .budget ? .budget : base.phase,
             year: change == .priorYear ? base.year - 1 : base.year, section: section,
             derived: "\(base.subject.name) \(base.amount) 比\(change == .budget ? "年初预算" : "上年")\(dir) \(money)")
        return 1
    }

    /// "与2023年相同", "比年初预算数持平" after `figure` (in the same sentence): the same amount for last year
    /// or for the budget, derived; returns the statements made.
    private func same(_ figure: Figure, after: String, line: Int, section: String) -> Int {
        let sentence = after.firstIndex(where: { "。;".contains($0) }).map { String(after[..<$0]) } ?? after
        guard sentence.contains("相同") || sentence.contains("持平") else { return 0 }
        if sentence.contains("年初预算") || sentence.contains("预算数持平") {
            emit(figure.subject, measure: figure.measure, figure.amount, line: line, phase: .budget, year: figure.year,
                 section: section, derived: "\(figure.subject.name) \(figure.amount) 与年初预算持平")
            return 1
        }
        if sentence.contains("上年") || sentence.contains("\(ctx.info.year - 1)年") {
            emit(figure.subject, measure: figure.measure, figure.amount, line: line, phase: figure.phase, year: figure.year - 1,
                 section: section, derived: "\(figure.subject.name) \(figure.amount) 与上年相同")
            return 1
        }
        return 0
    }

    /// Every amount in the prose that became no statement, one coverage entry per line with the reason.
    func unread() {
        var byLine: [Int: [String]] = [:]
        for para in ProseParagraph.split(ctx.doc.lines, skip: []) {
            var previousEnd = 0
            var current: ProseSubject? = nil
            for a in para.amounts() {
                let label = para.text(previousEnd, a.start).filter { !$0.isWhitespace }
                previousEnd = a.end
                if let s = subject(in: label) { current = s }
                guard let money = try? Money.parse(a.text, unit: a.unit)?.money else { continue }
                if ledger.consume(a.line, money) { continue }
                let clause = lastClause(label)
                let shown = String(clause.suffix(14)) + a.text.filter { !$0.isWhitespace } + a.unit.rawValue
                let why: String
                if let r = current?.ignored { why = r }
                else if changeKind(clause) == nil && (clause.hasSuffix("增加") || clause.hasSuffix("减少")) { why = "a change between figures stated beside it" }
                else if clause.contains("增加(减少)") || clause.hasSuffix(")") { why = "a change of unstated direction" }
                else if ledger.itemLines.contains(a.line) { why = "in an item's paragraph, not its 决算 or 年初预算" }
                else { why = "no statement kind for it" }
                byLine[a.line, default: []].append("\(shown) (\(why))")
            }
        }
        for (line, items) in byLine.sorted(by: { $0.key < $1.key }) {
            ctx.cover(line, "prose figures", rows: items.count, made: 0, note: "not ingested: " + items.joined(separator: "; "))
        }
    }

    private func emit(_ s: ProseSubject, measure: Measure, _ amount: Money, line: Int, phase: Phase, year: Int,
                      section: String, derived: String?) {
        ctx.emit(measure, amount, table: section, line: line, level: s.level, function: s.function, econDept: s.econDept,
                 nature: s.nature, fund: s.fund, cost: s.cost, project: s.project, category: s.category,
                 phase: phase, year: year, derived: derived)
    }

    /// The subject named last in `text` (the longest key where two end together), by bytes (ByteSearch.swift).
    private func subject(in text: String) -> ProseSubject? {
        let bytes = Array(text.utf8)
        var best: (ProseSubject, Int)? = nil
        for (s, key) in zip(subjects, subjectKeys) {
            guard let end = lastEnd(of: key, in: bytes) else { continue }
            if best == nil || (best!.0.weak && !s.weak) || (best!.0.weak == s.weak && end > best!.1) { best = (s, end) }
        }
        return best?.0
    }

    /// The clause an amount ends: the label after its last comma, stop or colon.
    private func lastClause(_ label: String) -> String {
        guard let k = label.lastIndex(where: { ",，。;；:：、".contains($0) }) else { return label }
        return String(label[label.index(after: k)...])
    }

    /// "比上年增加", "比2023年预算数减少", "较2025年年初预算减少" in a 2026 budget (last year); "比年初预算减少"
    /// (this year's budget); nil otherwise.
    private func changeKind(_ clause: String) -> Change? {
        guard clause.hasSuffix("增加") || clause.hasSuffix("减少"), let bi = clause.lastIndex(where: { $0 == "比" || $0 == "较" }) else { return nil }
        let base = clause[bi...]
        if base.contains("上年") || base.contains("\(ctx.info.year - 1)年") { return .priorYear }
        if base.contains("年初预算") { return .budget }
        return nil
    }

    /// Whether a clause names only a year and a phase ("2024年度决算数", "支出决算为"), so the
    /// subject named before it goes on.
    private func isFiller(_ clause: String) -> Bool {
        var t = clause.filter { !($0.isASCII && $0.isNumber) }
        for w in ["年初预算", "全年预算", "财政拨款", "本年度", "年度", "决算", "预算", "支出", "其中", "本年", "当年",
                  "比", "较", "为", "数", "年", "共", "(", ")", "-", ".", "\"", "、", "。", ":"] {
            t = t.replacingAll(w, with: "")
        }
        return t.isEmpty && !clause.isEmpty
    }

    /// The phase a clause names (决算, 年初预算, 全年预算 …) and the year it is about.
    private func phaseAndYear(_ clause: String) -> (Phase, Int) {
        // 预算 inside a fund's or a unit's name is no phase.
        var clause = clause
        for name in ["一般公共预算", "政府性基金预算", "国有资本经营预算", "部门预算", "预算单位"] { clause = clause.replacingAll(name, with: "") }
        let year = clause.contains("\(ctx.info.year - 1)年") && !clause.contains("\(ctx.info.year)年") ? ctx.info.year - 1 : ctx.info.year
        if clause.contains("年初预算") { return (.budget, year) }
        if clause.contains("全年预算") { return (.adjusted, year) }
        if clause.contains("决算") { return (.final, year) }
        if clause.contains("预算") { return (.budget, year) }
        return (ctx.info.phase, year)
    }
}
