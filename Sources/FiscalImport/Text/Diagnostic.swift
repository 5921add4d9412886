// Diagnostic.swift — what the importer says about a document: every cell it
// repaired, every cell or figure it could not read, every table or line it
// did not ingest and why, and how it decided the document's unit, year and phase.

/// One finding of the importer, with its place.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A cell or figure read after a repair.
        case repaired
        /// A cell or figure that could not be read; no statement was made from it.
        case unreadable
        /// Numeric content deliberately not ingested, with the reason.
        case skipped
        /// How a document property was decided.
        case decided
    }

    public let doc: String
    public let line: Int
    public let kind: Kind
    public let message: String

    public init(doc: String, line: Int, kind: Kind, message: String) {
        self.doc = doc
        self.line = line
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(doc):\(line): \(kind.rawValue): \(message)" }
}
