// SourceDocument.swift — a disclosure document as the importer reads it: its
// id (the file name's stem) and its lines, after checking that the bytes are
// text at all (UTF-8, not binary, not GBK) — bad input is an error, never a crash.

import FiscalData
import Foundation

/// A document's text, line by line (line n is `lines[n - 1]`).
public struct SourceDocument: Sendable {
    public let id: String
    public let lines: [String]
    public let text: String
    /// Where the document was read from (its path), for messages.
    public var origin: String
    /// For a document read from a PDF: the page of each line (`pages[n - 1]` for line n); else empty.
    public var pages: [Int] = []
    /// Said in the report when the document was read from another file than the one given (the PDF
    /// beside a text whose tables were laid out with spaces); nil otherwise.
    public var readInstead: String? = nil

    public init(id: String, text: String) {
        self.id = id
        self.text = text
        self.origin = id
        self.lines = DocumentLines.split(text)
    }

    /// Reads `bytes` as a document; throws when they are not UTF-8 text.
    public init(id: String, bytes: Data) throws(ImportError) {
        if bytes.isEmpty { throw .empty(doc: id) }
        if bytes.contains(0) { throw .notText(doc: id, reason: "it contains NUL bytes (a binary file?)") }
        guard let text = String(data: bytes, encoding: .utf8) else {
            // Mostly UTF-8 (Chinese read well up to a bad byte) is a damaged UTF-8 file, not GBK.
            let raw = [UInt8](bytes)
            let at = firstInvalidUTF8(raw) ?? 0
            let place = "byte \(at), line \(raw[..<at].filter { $0 == 0x0A }.count + 1)"
            if raw[..<at].contains(where: { $0 >= 0xE0 }) {
                throw .notText(doc: id, reason: "it is UTF-8 up to \(place), where a byte is no part of a character (a damaged file?)")
            }
            throw .notText(doc: id, reason: SourceDocument.looksLikeGBK(bytes)
                ? "it is not UTF-8; it looks like GBK/GB18030 (convert it with iconv -f GB18030 -t UTF-8)"
                : "it is not UTF-8 (\(place))")
        }
        if text.allSatisfy(\.isWhitespace) { throw .empty(doc: id) }
        self.init(id: id, text: text)
    }

    /// The first line of a PDF's text as PDFDocumentText rebuilds it.
    public static let rebuiltMark = "%% FiscalQL: text rebuilt from a PDF (pdftotext -tsv); tables as TAB-separated cells, a form feed at each page"

    /// True when this is a PDF's rebuilt text (it starts with `rebuiltMark`), read from the PDF or from a dataset.
    public var isRebuiltPDF: Bool { lines.first == SourceDocument.rebuiltMark }

    /// Line `n` (1-based).
    public func line(_ n: Int) -> String { lines[n - 1] }

    /// GBK text is mostly byte pairs with a lead byte 0x81–0xFE and a trail byte 0x40–0xFE.
    static func looksLikeGBK(_ bytes: Data) -> Bool {
        var pairs = 0, high = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b >= 0x81 && b <= 0xFE {
                high += 1
                let j = bytes.index(after: i)
                if j < bytes.endIndex, (0x40...0xFE).contains(bytes[j]) { pairs += 1; i = bytes.index(after: j); continue }
            }
            i = bytes.index(after: i)
        }
        return high > 0 && pairs * 10 >= high * 9
    }
}

/// Why a document could not be imported at all.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(doc: String)
    case notText(doc: String, reason: String)
    case unknownLayout(doc: String, reason: String)
    case undecided(doc: String, what: String)
    case unreadable(path: String, reason: String)
    case output(path: String, reason: String)
    /// An output folder an import must not write to; nothing was written.
    case refusedOutput(path: String, reason: String)
    /// Two documents with one id (file name) and different contents.
    case sameName(doc: String, first: String, second: String)

    public var description: String {
        switch self {
        case let .empty(doc): return "\(doc): the document is empty"
        case let .notText(doc, reason): return "\(doc): cannot read the document: \(reason)"
        case let .unknownLayout(doc, reason): return "\(doc): no known layout (\(reason))"
        case let .undecided(doc, what): return "\(doc): cannot tell the document's \(what)"
        case let .unreadable(path, reason): return "\(path): cannot read (\(reason))"
        case let .output(path, reason): return "\(path): cannot write the dataset (\(reason))"
        case let .refusedOutput(path, reason): return "\(path): refused as the output folder: \(reason)"
        case let .sameName(doc, first, second): return "\(doc): two different documents have this name (\(first) and \(second)); rename one"
        }
    }
}
