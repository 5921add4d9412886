// GoldenFile.swift — the format of the behaviour corpus files (*.fqltest), for
// every test target that reads one (the golden query corpus, the import
// corpus): cases separated by a line "===="; a case is FQL text, a line
// "----", and the exact output. Lines starting with "#" before the query name
// the case.

import Foundation

public struct GoldenCase: Sendable {
    public var title: String
    public var query: String
    public var expected: String
}

public enum Golden {
    public static func parse(_ text: String) -> [GoldenCase] {
        var cases: [GoldenCase] = []
        var inExpected = false
        var query: [String] = [], expected: [String] = [], titles: [String] = []
        func flush() {
            if !query.isEmpty {
                cases.append(GoldenCase(title: titles.joined(separator: " "), query: query.joined(separator: "\n"),
                                        expected: expected.map { $0 + "\n" }.joined()))
            }
            query = []; expected = []; titles = []; inExpected = false
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "====" { flush(); continue }
            if !inExpected && line == "----" { inExpected = true; continue }
            if inExpected { expected.append(line); continue }
            if line.hasPrefix("#") && query.isEmpty { titles.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces)); continue }
            query.append(line)
        }
        if expected.last == "" { expected.removeLast() }
        flush()
        return cases
    }

    public static func serialise(_ cases: [GoldenCase]) -> String {
        cases.map { c in
            (c.title.isEmpty ? "" : "# \(c.title)\n") + c.query + "\n----\n" + c.expected
        }.joined(separator: "====\n")
    }
}
