// Dataset.swift — a dataset folder (Datasets/ by default) as loaded at start:
//
//   catalogue.tsv    the classification catalogue (Catalog+File.swift)
//   statements.tsv   the imported statements (StatementFile.swift)
//   documents.tsv    what was decided about each document (DocumentFile.swift; optional)
//   documents/       the disclosure documents as published
//   statements.snapshot  the store as a binary file, made by fql for a large
//                    statements.tsv and read instead of it while it matches (Snapshot.swift)
//
// Loading is all or nothing: a missing file, a file that is not UTF-8 or a
// bad line is an error naming its place, and no partial dataset is returned.

import Foundation

/// Why a dataset folder could not be loaded.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    /// Not UTF-8 at `offset` (a byte offset), on `line`.
    case notUTF8(path: String, line: Int, offset: Int)
    case bad(DataFileError)

    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such file"
        case let .unreadable(path, reason): return "\(path): cannot read (\(reason))"
        case let .notUTF8(path, line, offset): return "\(path):\(line): not UTF-8 text (byte \(offset) is no part of a UTF-8 character)"
        case let .bad(e): return e.description
        }
    }
}

/// A loaded dataset: the catalogue and the statement store.
public struct Dataset: Sendable {
    public static let catalogueFile = "catalogue.tsv"
    public static let statementsFile = "statements.tsv"
    public static let documentsFolder = "documents"

    public let folder: String
    public let catalog: Catalog
    public let store: Store
    /// The imported documents, when the folder has documents.tsv.
    public let documents: [DocumentRecord]

    public init(folder: String, catalog: Catalog, store: Store, documents: [DocumentRecord] = []) {
        self.folder = folder
        self.catalog = catalog
        self.store = store
        self.documents = documents
    }

    /// Loads the dataset in `folder`.
    /// `progress` hears how much of statements.tsv is read (bytes done, bytes in all), now and then.
    /// `snapshot`: whether the store is read from the folder's snapshot when one matches statements.tsv, and
    /// one made after statements.tsv is parsed (`SnapshotPolicy`).
    public static func load(folder: String, snapshot: SnapshotPolicy = .standard,
                            progress: ((Int, Int) -> Void)? = nil) throws(DatasetError) -> Dataset {
        let catPath = folder + "/" + catalogueFile
        let stPath = folder + "/" + statementsFile
        let docPath = folder + "/" + DocumentFile.name
        let catalog: Catalog, store: Store
        var documents: [DocumentRecord] = []
        do {
            catalog = try Catalog.read(try readText(catPath), file: catPath)
            if snapshot != .never, let saved = Snapshot.read(folder: folder) {
                store = saved
            } else {
                // As the writer makes it, the file is read from its bytes, never made into one String first.
                let bytes = try readData(stPath, mapped: true)
                if let fast = StatementFile.readFast(bytes: bytes, progress: progress) { store = fast } else {
                    store = try StatementFile.read(try readText(stPath), file: stPath)
                }
                #if os(Linux)
                // The columns read and reordered left freed memory in the allocator's arenas (one per thread
                // of a two-thread read): handed back, so that what the process holds is the store.
                _ = releaseFreedMemory(0)
                #endif
                if case .automatic(let minimum) = snapshot, bytes.count >= minimum {
                    Snapshot.write(store, folder: folder)
                }
            }
            if FileManager.default.fileExists(atPath: docPath) {
                documents = try DocumentFile.read(try readText(docPath), file: docPath)
            }
        } catch let e as DataFileError {
            throw .bad(e)
        } catch let e as DatasetError {
            throw e
        } catch {
            throw .unreadable(path: folder, reason: "\(error)")
        }
        return Dataset(folder: folder, catalog: catalog, store: store, documents: documents)
    }

    /// The whole file at `path`, as bytes.
    /// `mapped`: the file's pages mapped rather than copied (statements.tsv, a gigabyte at 10 million
    /// statements, is read once, from the page cache, without a copy). fql never rewrites a dataset in
    /// place (the writer writes aside and renames), so the mapped file does not change under the reader.
    static func readData(_ path: String, mapped: Bool = false) throws(DatasetError) -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .missing(path: path) }
        if isDir.boolValue { throw .unreadable(path: path, reason: "is a folder") }
        if mapped, let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) { return data }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        return data
    }

    /// The whole file at `path` as UTF-8 text.
    public static func readText(_ path: String) throws(DatasetError) -> String {
        let data = try readData(path)
        guard let text = String(data: data, encoding: .utf8) else {
            let bytes = [UInt8](data)
            let at = firstInvalidUTF8(bytes) ?? 0
            throw .notUTF8(path: path, line: bytes[..<at].filter { $0 == 0x0A }.count + 1, offset: at)
        }
        return text
    }
}

/// The offset of the first byte of `b` that does not begin or continue a well-formed UTF-8 character.
public func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
    var i = 0
    while i < b.count {
        let c = b[i]
        let more: Int
        switch c {
        case 0x00...0x7F: i += 1; continue
        case 0xC2...0xDF: more = 1
        case 0xE0...0xEF: more = 2
        case 0xF0...0xF4: more = 3
        default: return i
        }
        guard i + more < b.count else { return i }
        for k in 1...more where b[i + k] & 0xC0 != 0x80 { return i }
        i += more + 1
    }
    return nil
}

#if os(Linux)
/// glibc's malloc_trim(3), which Swift's Glibc module does not declare (it is in malloc.h).
@_silgen_name("malloc_trim")
private func releaseFreedMemory(_ pad: Int) -> Int32
#endif
