// DocumentLines.swift — a document's text as its numbered lines, split the one way the importer's
// provenance (document, line) and the checks that read the text both count them.

public enum DocumentLines {
    /// The lines of `text` (line n is element n − 1): split on the newline scalar, since "\r\n" is one
    /// Character and a Character split misses CRLF lines; a trailing "\r" is dropped.
    public static func split(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
        }
    }
}
