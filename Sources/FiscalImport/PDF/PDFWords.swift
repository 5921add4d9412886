// PDFWords.swift — the words of a PDF with their page and position, read by
// poppler's `pdftotext -tsv` (Debian poppler-utils, installed by
// scripts/setup.sh). A PDF that poppler cannot open (encrypted, damaged,
// truncated) or that has no text layer (a scan) is an error naming the file
// and, where it applies, the page.

import FiscalData
import Foundation

/// One word as placed on its page (PDF points, origin top left).
struct PDFWord: Sendable, Equatable {
    let page: Int
    let x0: Double
    let x1: Double
    let top: Double
    let bottom: Double
    let text: String

    var height: Double { bottom - top }
    var centerX: Double { (x0 + x1) / 2 }
}

enum PDFWords {
    /// True when `bytes` start like a PDF file.
    static func isPDF(_ bytes: Data) -> Bool { bytes.starts(with: Array("%PDF-".utf8)) }

    /// The words of the PDF at `path`, page by page; `doc` names it in errors.
    static func read(path: String, doc: String) throws(ImportError) -> (words: [PDFWord], pages: Int) {
        let out: Data, err: String, status: Int32
        do { (out, err, status) = try run(["pdftotext", "-tsv", "-enc", "UTF-8", path, "-"]) } catch {
            throw .notText(doc: doc, reason: "a PDF, but pdftotext (poppler-utils) could not be run: \(error); scripts/setup.sh installs it")
        }
        if status != 0 {
            let said = err.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("Syntax Warning") }
            if said.contains(where: { $0.contains("password") || $0.contains("ncrypt") }) {
                throw .notText(doc: doc, reason: "the PDF is encrypted (password protected); poppler cannot read its text")
            }
            let first = said.first(where: { !$0.isEmpty }) ?? "exit status \(status)"
            throw .notText(doc: doc, reason: "the PDF cannot be read (damaged or truncated?): \(first)")
        }
        let (words, pages) = parse(String(decoding: out, as: UTF8.self))
        if pages == 0 { throw .notText(doc: doc, reason: "the PDF has no pages poppler can read (damaged or truncated?)") }
        if words.isEmpty {
            throw .notText(doc: doc, reason: "the PDF has no text layer on any of its \(pages) pages (a scan?); FiscalQL reads text, not images")
        }
        return (words, pages)
    }

    /// Parses `pdftotext -tsv` output: level 5 rows are words; level 1 rows are pages.
    static func parse(_ tsv: String) -> (words: [PDFWord], pages: Int) {
        var words: [PDFWord] = []
        var pages = 0
        for line in tsv.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let f = line.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard f.count == 12, let level = Int(f[0]), let page = Int(f[1]) else { continue }
            if level == 1 { pages = max(pages, page); continue }
            guard level == 5, let left = Double(f[6]), let top = Double(f[7]), let w = Double(f[8]), let h = Double(f[9]) else { continue }
            let text = String(f[11]).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("###") { continue }
            words.append(PDFWord(page: page, x0: left, x1: left + w, top: top, bottom: top + h, text: text))
        }
        return (words, pages)
    }

    /// Runs a command found on PATH; its standard output, its standard error and exit status.
    private static func run(_ args: [String]) throws -> (Data, String, Int32) {
        let r = try Subprocess.run("/usr/bin/env", args)
        if r.status == 127 { throw CocoaError(.fileNoSuchFile) }
        return (r.out, r.err, r.status)
    }
}
