// Changes.swift — rule `change`: a stated change against the figures it joins. Where the prose gives a
// figure only through a change ("决算235.84万元，比年初预算减少8.8万元" gives a 年初预算 of 244.64; "比上年增加
// 600元" gives last year's), the importer keeps the figure the change implies, marked derived. When that same
// figure (unit, year, phase, measure and classification, as `restated` compares them) is stated somewhere
// else — a 年初预算 column of the same document, or last year's own document — the change is checked
// against it: the stated change is wrong by the difference. Tolerance: two figures each printed at 0.01
// 万元 (the change and the figure it starts from): 0.01.

import FiscalData

extension Reconciler {
    func changes(_ idx: [Int]) -> [[Value]] {
        // The stated figures of the group by key: tables first, then prose, each in document order.
        var stated: [String: Int] = [:]
        let ordered = idx.filter { statements[$0].derived == nil }.sorted { a, b in
            let (x, y) = (statements[a], statements[b])
            return (x.isProse ? 1 : 0, x.doc, x.line) < (y.isProse ? 1 : 0, y.doc, y.line)
        }
        for i in ordered where stated[restatementKey(statements[i])] == nil { stated[restatementKey(statements[i])] = i }
        var out: [[Value]] = []
        for i in idx {
            let s = statements[i], marks = s.marks
            guard let how = s.derived, marks.contains(.derived), marks.isDisjoint(with: [.remainder, .totalOnly]),
                  let j = stated[restatementKey(s)] else { continue }
            let other = statements[j]
            if let f = finding("change", s, subject: subject(s) + " as a stated change implies it (\(how)), against the figure stated",
                               other: other.amount, otherPlace: place(other)) { out.append(f) }
        }
        return out
    }
}
