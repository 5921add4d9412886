// Main.swift — what each command does once the options are known.

import FiscalData
import FiscalImport
import FQL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum Main {
    /// --data, else $FQL_DATA, else ./Datasets when there is one, else the bundled dataset found from the
    /// program's own place (a build in .build/…/fql of the repository, or an install with share/fql/Datasets
    /// beside bin/), so that fql runs from any folder.
    static func dataFolder(_ o: Options) -> String {
        if let d = o.dataFolder { return d }
        if let env = getenv("FQL_DATA"), let s = String(validatingCString: env), !s.isEmpty { return s }
        let here = "Datasets"
        if FileManager.default.fileExists(atPath: here + "/statements.tsv") { return here }
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return here }
        let bin = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for candidate in [bin.appendingPathComponent("../../../Datasets"), bin.appendingPathComponent("../../Datasets"),
                          bin.appendingPathComponent("../share/fql/Datasets")] {
            let path = candidate.standardizedFileURL.path
            if FileManager.default.fileExists(atPath: path + "/statements.tsv") { return path }
        }
        return here
    }

    /// The Python that runs another engine: $FQL_PYTHON, else the one scripts/engines.sh installs beside
    /// the build (.build/engines/venv).
    static func enginePython() -> String {
        if let env = getenv("FQL_PYTHON"), let s = String(validatingCString: env), !s.isEmpty { return s }
        var dir = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        for _ in 0..<6 {
            dir.deleteLastPathComponent()
            let candidate = dir.path + "/.build/engines/venv/bin/python3"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return "/nonexistent/.build/engines/venv/bin/python3"
    }

    /// $FQL_HISTORY, else ~/.fql_history.
    static func historyPath() -> String? {
        if let env = getenv("FQL_HISTORY"), let s = String(validatingCString: env) { return s }
        guard let home = getenv("HOME"), let h = String(validatingCString: home), !h.isEmpty else { return nil }
        return h + "/.fql_history"
    }

    static func loadDataset(_ o: Options) -> Dataset {
        let folder = dataFolder(o)
        let bar = Progress()
        defer { bar.end() }
        do {
            return try Dataset.load(folder: folder, snapshot: o.snapshot ? .standard : .never) { done, total in
                bar.show("loading", done, total, "\(done * 100 / max(1, total))% of \(Dataset.statementsFile)")
            }
        } catch {
            fail("cannot load the dataset in \(folder): \(error)", .dataUnavailable)
        }
    }

    static func run(_ o: Options) -> ExitStatus {
        switch o.command {
        case .help:
            print(Options.usage)
            return .success
        case .version:
            print(Options.version)
            return .success
        case .message(let text):
            print(text)
            return .success
        case .showImportText(let files):
            var status = ExitStatus.success
            for f in files {
                do { Console.out(try Importer.load(path: f).text) } catch {
                    Console.err("fql: import: \(error)")
                    status = .queryFailed
                }
            }
            return status
        case .export(let folder):
            let dataset = loadDataset(o)
            do { try Export.write(dataset, to: folder) } catch { fail(error.message, .queryFailed) }
            Console.out("wrote \(dataset.store.count) statements to \(folder) (\(Export.files.joined(separator: ", ")), and the dataset's own files)\n")
            // The same tables as Parquet, where DuckDB is installed to write them.
            let python = enginePython()
            guard FileManager.default.fileExists(atPath: python),
                  (try? Subprocess.run(python, ["-c", "import duckdb"]).status) == 0 else {
                Console.err("note: no Parquet files: DuckDB, which writes them, is not installed (bash scripts/engines.sh)\n")
                return .success
            }
            do { try SQLBackend(kind: .duckdb, python: python, data: folder).writeParquet() } catch { fail(error.message, .queryFailed) }
            Console.out("and as Parquet: \(Export.parquetFiles.joined(separator: ", "))\n")
            return .success
        case .importDocuments(let files, let out, let mode):
            return importDocuments(files, out: out, mode: mode, o)
        case .check(let repairs, let least):
            // The reconciliation report: the findings of the `checks` source, for an auditor (CheckReport.swift).
            let engine = Engine(dataset: loadDataset(o))
            let table: Table
            do { table = try engine.query("checks") } catch { fail(error.message, .queryFailed) }
            let report = CheckReport(table: table, repairs: repairs, least: least)
            let format = o.format ?? .table
            if format == .table {
                let (text, errors) = report.render()
                Console.out(text)
                return errors > 0 ? .queryFailed : .success
            }
            Console.out(report.findings.render(format))
            return report.findings.rows.contains { $0[1] == .text("error") } ? .queryFailed : .success
        case .evaluate(let texts):
            let session = Session(dataset: loadDataset(o), options: o)
            var ok = true
            for text in texts { ok = session.runScript(text, origin: "-e") && ok }
            return ok ? .success : .queryFailed
        case .file(let path):
            // The file is read before the dataset loads: a wrong name is said at once.
            let text: String
            do { text = try Dataset.readText(path) } catch { fail("\(error)", .usage) }
            let session = Session(dataset: loadDataset(o), options: o)
            session.readChain = [URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path]
            return session.runScript(text, origin: path) ? .success : .queryFailed
        case .interactive, .standardInput:
            let session = Session(dataset: loadDataset(o), options: o)
            if o.command == .interactive, isInteractiveTerminal(), let reader = EditLineReader(programName: "fql", historyPath: historyPath()) {
                reader.completer = { [session] word in session.completions(word) }
                Interrupt.install()
                session.interactive = true
                session.banner()
                return session.repl(reader: reader)
            }
            // Not a terminal: the whole input is a script (a line starting with | continues the one before).
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            return session.runScript(text, origin: "<stdin>") ? .success : .queryFailed
        }
    }

    /// `fql import FILE… --out DIR [--add | --replace]`: the base classification comes from the dataset
    /// folder (--data). Each document is imported on its own; the good ones are written, the others are
    /// reported, and the exit status is 1 when any failed. The output folder is checked before anything
    /// is read: only a new folder, or an existing dataset with --add or --replace, is written.
    static func importDocuments(_ files: [String], out: String, mode: WriteMode, _ o: Options) -> ExitStatus {
        let basePath = dataFolder(o) + "/" + DatasetWriter.classificationFile
        guard access(basePath, F_OK) == 0 else {
            Console.err("fql: import: no reference catalogue at \(basePath); it is read from the dataset folder: give --data DIR or set FQL_DATA")
            return .dataUnavailable
        }
        do {
            let existing = try OutputFolder.inspect(out)
            try existing.allows(mode, path: out)
            let base = try Catalog.read(try Dataset.readText(basePath), file: basePath)
            var known: [SourceDocument] = []
            if mode == .add, case .dataset(let paths) = existing { known = try Importer.load(paths: paths) }
            var failures: [ImportError] = []
            var loaded: [SourceDocument] = []
            // On a terminal, a progress line on standard error while PDFs are read and documents imported.
            let bar = Progress(immediate: files.count > 1)
            func show(_ what: String, _ n: Int, _ total: Int, _ name: String) { bar.show(what, n, total, "\(n)/\(total) \(name)") }
            for (n, f) in files.enumerated() {
                show("reading  ", n + 1, files.count, f.split(separator: "/").last.map(String.init) ?? f)
                do { loaded.append(try Importer.load(path: f)) } catch { failures.append(error) }
            }
            let (kept, repeated, clashes) = Importer.unique(loaded, known: known)
            failures += clashes
            let result = Importer.run(known + kept, catalog: base) { n, total, id in show("importing", n, total, id) }
            bar.end()
            failures += result.failures
            let written = known + kept.filter { d in result.documents.contains { $0.id == d.id } }
            Console.out(DatasetWriter.report(result))
            for d in repeated { Console.out("\(d.origin): already in the dataset (the same text); not added again\n") }
            for f in failures { Console.err("fql: import: \(f)") }
            guard written.count > known.count || (mode == .replace && !written.isEmpty) else {
                Console.err("fql: import: no document imported; \(out) was left as it was")
                return failures.isEmpty ? .success : .queryFailed
            }
            try DatasetWriter.write(result, documents: written, base: base, to: out, existing: existing)
            if mode == .replace, case .dataset(let old) = existing {
                Console.out("replaced the dataset in \(out) (it had \(old.count) document\(old.count == 1 ? "" : "s"))\n")
            }
            Console.out("wrote \(result.statements.count) statements from \(written.count) document\(written.count == 1 ? "" : "s") to \(out)" +
                        (failures.isEmpty ? "" : "; \(failures.count) failed") + "\n")
            return failures.isEmpty ? .success : .queryFailed
        } catch let e as DataFileError {
            Console.err("fql: import: \(e)")
            return .dataUnavailable
        } catch {
            Console.err("fql: import: \(error)")
            return .queryFailed
        }
    }
}
