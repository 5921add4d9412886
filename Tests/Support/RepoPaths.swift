// RepoPaths.swift — where the repository is, for every test target: the
// tests read the bundled dataset, the golden corpus, the saved queries and the
// hand-made variant documents from the working tree.

import Foundation

public enum RepoPaths {
    /// The package root (this file is Tests/Support/RepoPaths.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    public static let datasets = root + "/Datasets"
}
