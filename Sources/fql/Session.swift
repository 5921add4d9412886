// Session.swift — one fql session: the engine over the loaded dataset, the
// settings in force (format, timer, output file), and the loop that reads
// statements (REPL or script), runs them and prints results. Multi-line
// pipelines are gathered until the input is complete; meta commands (a line
// starting with ".") are in MetaCommands.swift.

import FiscalData
import FiscalImport
import CEditLine
import FQL
import Foundation

final class Session {
    var engine: Engine
    var format: OutputFormat
    var timer = false
    /// At a terminal, a table shows at most this many rows and says how many it hid (0: all), as DuckDB's
    /// CLI does; piped output and files are never cut.
    var maxRows = 40
    /// Where results go: nil for standard output, else a file opened by `.output`.
    var output: FileHandle?
    var outputPath: String?
    /// At a terminal: Ctrl-C during a query stops it (the engine asks `Interrupt` every 1,024 rows).
    var interactive = false
    /// --safe: meta commands that read or write files are refused.
    var safe = false
    /// The files `.read` is reading now, outermost first (a file that reads itself is refused).
    var readChain: [String] = []
    static let maxReadDepth = 16
    /// Documents `.import`ed in this session (so that one is not imported twice).
    var importedDocuments: [SourceDocument] = []

    init(dataset: Dataset, options: Options) {
        engine = Engine(dataset: dataset)
        if options.sql { engine.target = .sql } else if let kind = SQLBackend.Kind(rawValue: options.engine.rawValue) {
            engine.target = .backend(SQLBackend(kind: kind, python: Main.enginePython(), data: dataset.folder,
                                                master: options.master ?? "local[2]"))
        }
        engine.parameters = options.parameters
        format = options.format ?? .table
        safe = options.safe
    }

    var dataset: Dataset { engine.dataset }

    func banner() {
        let s = dataset.store
        emit("fql — \(s.count) statements from \(dataset.documents.count) documents, \(s.units.count) units, \(dataset.catalog.count) codes (\(dataset.folder)). .help for help, .quit to leave.\n")
        Console.flush()
    }

    /// Writes result text to the current output.
    /// The file whose statements run now (nil for -e, standard input and the REPL): errors name it.
    var scriptFile: String?

    func emit(_ text: String) {
        if let output { output.write(Data(text.utf8)) } else { Console.out(text) }
    }

    /// Runs every statement and meta command of `text`; false if any failed.
    /// Error line numbers are those of `text`.
    func runScript(_ text: String, origin: String) -> Bool {
        // An error in a file names the file (`q.fql, line 2, column 1`), as .read's nested files do.
        let outer = scriptFile
        scriptFile = origin == "-e" || origin == "<stdin>" ? nil : origin
        defer { scriptFile = outer }
        var ok = true
        var buffer = ""
        var bufferStart = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (n, line) in lines.enumerated() {
            let trimmed = line.trimmed()
            if trimmed.hasPrefix(".") && (buffer.trimmed().isEmpty || Engine.isComplete(buffer)) {
                if !buffer.trimmed().isEmpty, !runQuery(buffer, firstLine: bufferStart) { ok = false }
                buffer = ""
                switch meta(trimmed) {
                case .failed: ok = false
                case .quit: return ok
                case .done: break
                }
                continue
            }
            if buffer.isEmpty { bufferStart = n }
            buffer += line + "\n"
        }
        if !buffer.trimmed().isEmpty, !runQuery(buffer, firstLine: bufferStart) { ok = false }
        return ok
    }

    /// The read–evaluate–print loop at a terminal, until Ctrl-D or `.quit`. A failed query is
    /// reported and the session goes on, so the loop itself always ends in success (as sqlite3's does).
    func repl(reader: LineReader) -> ExitStatus {
        var buffer = ""
        var pending: LineInput? = nil
        while true {
            let input = pending ?? reader.readLine(prompt: buffer.isEmpty ? "fql> " : "...> ")
            pending = nil
            switch input {
            case .end:
                if !buffer.trimmed().isEmpty { _ = runQuery(buffer, firstLine: 0) }
                Console.out("\n")
                return .success
            case .interrupted:
                buffer = ""
                Console.out("^C\n")
            case .line(let line):
                let trimmed = line.trimmed()
                if buffer.isEmpty {
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(".") {
                        reader.remember(trimmed)
                        if case .quit = meta(trimmed) { return .success }
                        Console.flush()
                        continue
                    }
                }
                buffer += line + "\n"
                if !Engine.isComplete(buffer) { continue }
                // Pasted lines: when more input is already waiting and its next line starts with "|", the
                // statement goes on (as in a file), so a query pasted from the docs runs whole.
                while Console.inputWaiting() {
                    let next = reader.readLine(prompt: "...> ")
                    guard case .line(let more) = next, more.trimmed().hasPrefix("|") else { pending = next; break }
                    buffer += more + "\n"
                }
                if !Engine.isComplete(buffer) { continue }
                reader.remember(buffer.trimmed().replacingOccurrences(of: "\n", with: " "))
                _ = runQuery(buffer, firstLine: 0)
                buffer = ""
                Console.flush()
            }
        }
    }

    /// Runs the statements in `text` (whose first line is line `firstLine` of its script) and prints
    /// each result; false if any failed.
    func runQuery(_ text: String, firstLine: Int) -> Bool {
        let padded = String(repeating: "\n", count: firstLine) + text
        let started = DispatchTime.now()
        var ok = true
        Interrupt.reset()
        if interactive { engine.shouldStop = { Interrupt.happened } }
        let outcomes = engine.run(padded)
        if interactive && Interrupt.happened {
            Console.err("interrupted")
            return false
        }
        for outcome in outcomes {
            switch outcome {
            case .table(let t):
                var shown = t
                let hidden = interactive && output == nil && (format == .table || format == .line) && maxRows > 0 && t.chartColumn == nil ? max(0, t.rows.count - maxRows) : 0
                if hidden > 0 {
                    shown.rows = Array(t.rows.prefix(maxRows))
                    shown.notes.insert("… \(hidden) more row\(hidden == 1 ? "" : "s") not shown; .maxrows 0 shows all", at: 0)
                }
                // A table fits the terminal it is printed on (its widest text columns cut first).
                let width = interactive && output == nil ? Int(fql_terminal_columns(1)) : 0
                emit(shown.render(format, width: width > 0 ? width : nil))
                // CSV, TSV and JSON carry data only: what the reader must know goes beside them.
                if !format.isForPeople { for n in t.notes { Console.err("note: " + n) } }
            case .bound: break
            case .sql(let text): emit(text + "\n")
            case .failure(_, let rendered):
                if let file = scriptFile, rendered.hasPrefix("error: line ") {
                    Console.err("error: \(file), line " + rendered.dropFirst("error: line ".count))
                } else {
                    Console.err(rendered)
                }
                ok = false
            }
        }
        if timer {
            let ns = DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds
            Console.err("time: \(ns / 1_000_000).\(String(format: "%03d", (ns / 1000) % 1000)) ms")
        }
        return ok
    }

    /// Tab completion: codes (with their names) for digits; otherwise keywords, sources, stages and
    /// fields by prefix, unit names containing the word, and catalogue names by prefix.
    func completions(_ word: String) -> [(String, String)] {
        guard !word.isEmpty else { return [] }
        if word.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return dataset.catalog.allEntries.filter { $0.code.text.hasPrefix(word) }.map { ($0.code.text, "\($0.code)  \($0.name)") }
        }
        var out: [(String, String)] = []
        var seen = Set<String>()
        func add(_ s: String, _ shown: String) { if seen.insert(s).inserted { out.append((s, shown)) } }
        for w in engine.vocabulary where w.lowercased().hasPrefix(word.lowercased()) { add(w, w) }
        for u in dataset.store.units where u.contains(word) { add(u, u) }
        for e in dataset.catalog.allEntries where e.name.hasPrefix(word) { add(e.name, "\(e.name)  \(e.code)") }
        return out
    }
}

/// Ctrl-C at a terminal: a flag set by the SIGINT handler (installed without SA_RESTART, so the line
/// editor's read returns EINTR and abandons the line), asked by the engine while a query runs.
enum Interrupt {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static func install() {
        var sa = sigaction()
        sa.__sigaction_handler.sa_handler = { _ in Interrupt.flag = 1 }
        sigemptyset(&sa.sa_mask)
        sa.sa_flags = 0
        sigaction(SIGINT, &sa, nil)
    }

    static func reset() { flag = 0 }
    static var happened: Bool { flag != 0 }
}
