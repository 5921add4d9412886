// OutputFolder.swift — where an import may write, decided before anything is
// written. A dataset goes only into a folder that does not exist yet, an
// empty folder, or an existing FQL dataset (recognised by its files, and
// nothing else in it); a dataset is added to or replaced only when the user
// said so (--add, --replace). Anything else — a file, a symbolic link, a
// folder holding other files — is refused and left untouched.

import FiscalData
import Foundation

/// What an import does to an existing dataset at its output folder.
public enum WriteMode: String, Sendable {
    /// Only a new (or empty) folder.
    case create
    /// Merge with the dataset there: its documents are imported again with the new ones.
    case add
    /// Replace the dataset there.
    case replace
}

/// What is at an output folder now.
public enum OutputFolder: Equatable, Sendable {
    /// Nothing there: the folder will be made.
    case absent
    /// An empty folder.
    case empty
    /// An FQL dataset; the paths of its documents (documents/…), sorted.
    case dataset(documents: [String])

    /// The files and folders an FQL dataset holds; a folder with anything else is no dataset.
    public static let datasetEntries: Set<String> = [
        Dataset.catalogueFile, Dataset.statementsFile, Dataset.documentsFolder,
        DocumentFile.name, DatasetWriter.reportFile, DatasetWriter.classificationFile, Snapshot.fileName,
    ]

    /// Whether `name` in the folder at `path` is one of a dataset's files: a snapshot only when fql made it
    /// (a file of that name of the user's is theirs), and a snapshot fql was writing when it stopped.
    static func isDatasetEntry(_ name: String, in path: String) -> Bool {
        if name == Snapshot.fileName { return Snapshot.isSnapshot(path + "/" + name) }
        return datasetEntries.contains(name) || Snapshot.isPartial(name: name, path: path + "/" + name)
    }

    /// Inspects `path` without following a symbolic link at it; throws when an import must not write there.
    public static func inspect(_ path: String) throws(ImportError) -> OutputFolder {
        var st = stat()
        if lstat(path, &st) != 0 { return .absent }
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK {
            throw .refusedOutput(path: path, reason: "it is a symbolic link; give the folder it points to, or a new folder")
        }
        guard type == S_IFDIR else {
            throw .refusedOutput(path: path, reason: "it is a file, not a dataset folder; give a new folder")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw .refusedOutput(path: path, reason: "its contents cannot be listed (\(error.localizedDescription))")
        }
        if entries.isEmpty { return .empty }
        let foreign = entries.filter { !isDatasetEntry($0, in: path) }
        let isDataset = entries.contains(Dataset.statementsFile) && entries.contains(Dataset.catalogueFile)
        guard isDataset, foreign.isEmpty else {
            let shown = (foreign.isEmpty ? entries : foreign).prefix(5).joined(separator: ", ")
            throw .refusedOutput(path: path, reason: "it holds files that are not an FQL dataset (\(shown)\(foreign.count > 5 ? ", …" : "")); nothing was written: give a new folder")
        }
        let docsPath = path + "/" + Dataset.documentsFolder
        var docs: [String] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: docsPath) {
            docs = names.sorted().map { docsPath + "/" + $0 }
        }
        return .dataset(documents: docs)
    }

    /// Checks that `mode` may write over what is here; throws the refusal that tells the user what to add.
    public func allows(_ mode: WriteMode, path: String) throws(ImportError) {
        guard case .dataset(let docs) = self, mode == .create else { return }
        throw .refusedOutput(path: path, reason: "it already holds a dataset of \(docs.count) document\(docs.count == 1 ? "" : "s"); give --add to add to it or --replace to replace it")
    }
}
