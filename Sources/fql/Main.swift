// Main.swift — what each command does once the options are known.

import FiscalData
import FiscalImport
import FQL
#if canImport(Glibc)
import Glibc
#endif

enum Main {
    static func dataFolder(_ o: Options) -> String {
        if let d = o.dataFolder { return d }
        if let env = getenv("FQL_DATA"), let s = String(validatingCString: env), !s.isEmpty { return s }
        return "Datasets"
    }

    /// $FQL_HISTORY, else ~/.fql_history.
    static func historyPath() -> String? {
        if let env = getenv("FQL_HISTORY"), let s = String(validatingCString: env) { return s }
        guard let home = getenv("HOME"), let h = String(validatingCString: home), !h.isEmpty else { return nil }
        return h + "/.fql_history"
    }

    static func loadDataset(_ o: Options) -> Dataset {
        let folder = dataFolder(o)
        do {
            return try Dataset.load(folder: folder)
        } catch {
            fail("cannot load the dataset in \(folder): \(error)", .dataUnavailable)
        }
    }

    static func run(_ o: Options) -> ExitStatus {
        switch o.command {
        case .help:
            print(Options.usage)
            return .success
        case .importDocuments(let files, let out):
            return importDocuments(files, out: out, o)
        case .check:
            // The reconciliation report: every finding of the `checks` source.
            let session = Session(dataset: loadDataset(o), options: o)
            return session.runQuery("checks", firstLine: 0) ? .success : .queryFailed
        case .evaluate(let text):
            let session = Session(dataset: loadDataset(o), options: o)
            return session.runScript(text, origin: "-e") ? .success : .queryFailed
        case .file(let path):
            let dataset = loadDataset(o)
            let text: String
            do { text = try Dataset.readText(path) } catch { fail("\(error)", .usage) }
            return Session(dataset: dataset, options: o).runScript(text, origin: path) ? .success : .queryFailed
        case .interactive:
            let session = Session(dataset: loadDataset(o), options: o)
            if isInteractiveTerminal(), let reader = EditLineReader(programName: "fql", historyPath: historyPath()) {
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

    /// `fql import FILE… --out DIR`: the base classification comes from the dataset folder (--data).
    static func importDocuments(_ files: [String], out: String, _ o: Options) -> ExitStatus {
        let basePath = dataFolder(o) + "/" + DatasetWriter.classificationFile
        guard access(basePath, F_OK) == 0 else {
            Console.err("fql: import: no reference catalogue at \(basePath); it is read from the dataset folder: give --data DIR or set FQL_DATA")
            return .dataUnavailable
        }
        do {
            let base = try Catalog.read(try Dataset.readText(basePath), file: basePath)
            let docs = try Importer.load(paths: files)
            let result = try Importer.run(docs, catalog: base)
            try DatasetWriter.write(result, documents: docs, base: base, to: out)
            Console.out(DatasetWriter.report(result))
            Console.out("wrote \(result.statements.count) statements from \(docs.count) documents to \(out)\n")
            return .success
        } catch let e as DataFileError {
            Console.err("fql: import: \(e)")
            return .dataUnavailable
        } catch {
            Console.err("fql: import: \(error)")
            return .queryFailed
        }
    }
}
