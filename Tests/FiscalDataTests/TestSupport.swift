// TestSupport.swift — paths into the repository for tests that read the bundled dataset.

import Foundation
import RepoPaths
@testable import FiscalData

enum Repo {
    static let root = RepoPaths.root
    static let datasets = root + "/Datasets"
    static let documents = datasets + "/documents"

    static func catalog() throws -> Catalog {
        try Catalog.read(try Dataset.readText(datasets + "/classification.tsv"), file: "classification.tsv")
    }

    /// The lines of bundled document `id` (e.g. "000"), 1-based via index + 1.
    static func documentLines(_ prefix: String) throws -> [String] {
        let name = try FileManager.default.contentsOfDirectory(atPath: documents).first { $0.hasPrefix(prefix + "_") }!
        return try Dataset.readText(documents + "/" + name).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
