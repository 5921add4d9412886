// TSV.swift — the plain, diffable text format of every dataset file:
// UTF-8, one record per line, fields separated by a tab, a header line naming
// the columns, an empty field for "none". Backslash escapes keep a tab,
// newline or backslash inside a field (\t, \n, \\). Errors name the file,
// line and column (a 1-based character column where the bad field starts).

/// A problem in a dataset file, with its place.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// One record of a TSV file: its fields (unescaped) and where each starts.
struct TSVRecord {
    let line: Int
    let fields: [String]
    /// The record's text and where each field starts in it (for error columns, counted only when needed).
    let raw: Substring
    let starts: [String.Index]

    /// 1-based character column of field `i`'s first character.
    func column(_ i: Int) -> Int { raw.distance(from: raw.startIndex, to: starts[i]) + 1 }
}

enum TSV {
    /// Escapes a field value for writing.
    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\\" || $0 == "\r" }) else { return s }
        var out = ""
        for ch in s {
            switch ch {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Splits `text` into records, checking the header and each record's field count.
    /// Blank lines are an error (a dataset file has none); a final newline is expected, not required.
    static func parse(_ text: String, file: String, header: [String]) throws(DataFileError) -> [TSVRecord] {
        // Lines and fields are cut at newline and tab bytes: a whole dataset is read this way, and
        // cutting by Characters (grapheme clusters) costs several times more.
        var lines: [Substring] = []
        var lineStart = text.startIndex
        for i in text.utf8.indices where text.utf8[i] == UInt8(ascii: "\n") {
            lines.append(text[lineStart..<i])
            lineStart = text.utf8.index(after: i)
        }
        lines.append(text[lineStart...])
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else {
            throw DataFileError(file: file, line: 1, column: 1, message: "empty file; expected the header line")
        }
        let got = first.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        if got != header {
            let i = (0..<min(got.count, header.count)).first { got[$0] != header[$0] } ?? min(got.count, header.count)
            let col = got.prefix(i).reduce(1) { $0 + $1.count + 1 }
            let want = i < header.count ? "\"\(header[i])\"" : "end of line"
            let found = i < got.count ? "\"\(got[i])\"" : "end of line"
            throw DataFileError(file: file, line: 1, column: col, message: "bad header: expected \(want), found \(found)")
        }
        var records: [TSVRecord] = []
        records.reserveCapacity(lines.count - 1)
        for (n, raw) in lines.enumerated().dropFirst() {
            let lineNo = n + 1
            var fields: [String] = []
            var starts: [String.Index] = []
            fields.reserveCapacity(header.count)
            starts.reserveCapacity(header.count)
            var fieldStart = raw.startIndex
            func addField(_ end: String.Index) throws(DataFileError) {
                starts.append(fieldStart)
                let part = raw[fieldStart..<end]
                fields.append(try unescape(part, file: file, line: lineNo,
                                           column: raw.distance(from: raw.startIndex, to: part.startIndex) + 1))
            }
            for i in raw.utf8.indices where raw.utf8[i] == UInt8(ascii: "\t") {
                try addField(i)
                fieldStart = raw.utf8.index(after: i)
            }
            try addField(raw.endIndex)
            if fields.count != header.count {
                let record = TSVRecord(line: lineNo, fields: fields, raw: raw, starts: starts)
                let column = fields.count < header.count ? raw.count + 1 : record.column(header.count)
                throw DataFileError(file: file, line: lineNo, column: column,
                                    message: "expected \(header.count) fields, found \(fields.count)")
            }
            records.append(TSVRecord(line: lineNo, fields: fields, raw: raw, starts: starts))
        }
        return records
    }

    private static func unescape(_ s: Substring, file: String, line: Int, column: @autoclosure () -> Int) throws(DataFileError) -> String {
        // Bytes, not Foundation's substring search: this runs for every field of every record.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\r") }) else { return String(s) }
        var out = ""
        var it = s.makeIterator()
        var offset = 0
        let column = column()
        while let ch = it.next() {
            if ch == "\r" {
                throw DataFileError(file: file, line: line, column: column + offset, message: "carriage return in a field")
            }
            if ch == "\\" {
                switch it.next() {
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default:
                    throw DataFileError(file: file, line: line, column: column + offset, message: "bad escape; expected \\t, \\n, \\r or \\\\")
                }
                offset += 2
            } else {
                out.append(ch)
                offset += 1
            }
        }
        return out
    }
}
