// FuzzTarget.swift — fql-fuzz: one fuzzing target for each way input reaches FiscalQL. The target is chosen by
// FQL_FUZZ_TARGET: `query` (FQL text through lexer, parser, checker and evaluator, on the bundled
// dataset), `document` (bytes as a disclosure through the importer), `pdfwords` (text as poppler's
// `pdftotext -tsv` words of a PDF, through the PDF reader's lines and tables and then the importer),
// `dataset` (text as statements.tsv).
//
// Built with -DFUZZING -sanitize=fuzzer (scripts/fuzz.sh), libFuzzer's driver runs each input through `run`.
// Built plainly, it replays the files named on its command line through the same target, one by one,
// and exits 0 when every one came through (a crash or a hang fails the run): the regression check the
// tests run over the corpus (Fuzz/corpus/TARGET/).

import FiscalData
import FiscalImport
import FQL
import Foundation

enum Target: String { case query, document, pdfwords, dataset }

let target = Target(rawValue: ProcessInfo.processInfo.environment["FQL_FUZZ_TARGET"] ?? "query") ?? .query
nonisolated(unsafe) var engine: Engine? = nil
nonisolated(unsafe) var catalog: Catalog? = nil

/// Runs one input through the target; every outcome (an answer or an error) is fine, only a crash is not.
func run(_ bytes: [UInt8]) {
    switch target {
    case .query:
        if engine == nil { engine = try? Engine(folder: "Datasets") }
        guard let engine, bytes.count < 4096 else { return }
        engine.parameters = ["unit": "西城", "year": "2024"]
        for outcome in engine.run(String(decoding: bytes, as: UTF8.self)) {
            if case .table(let t) = outcome { _ = t.render(.table); _ = t.render(.json) }
        }
    case .document:
        if catalog == nil { catalog = try? Catalog.read(try Dataset.readText("Datasets/classification.tsv"), file: "classification.tsv") }
        guard let catalog, let doc = try? SourceDocument(id: "fuzz", bytes: Data(bytes)) else { return }
        _ = Importer.run([doc], catalog: catalog)
    case .pdfwords:
        if catalog == nil { catalog = try? Catalog.read(try Dataset.readText("Datasets/classification.tsv"), file: "classification.tsv") }
        guard let catalog else { return }
        _ = Importer.run([Importer.document(id: "fuzz", wordsTSV: String(decoding: bytes, as: UTF8.self))], catalog: catalog)
    case .dataset:
        _ = try? StatementFile.read(String(decoding: bytes, as: UTF8.self), file: "statements.tsv")
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The entry point SwiftPM links as `main` for this executable: libFuzzer's driver, given our input callback.
@_cdecl("fql_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var args = argv
    return LLVMFuzzerRunDriver(&count, &args) { data, size in
        guard let data else { return 0 }
        run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#else
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("fql-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            run([UInt8](data))
        }
    }
}
#endif
