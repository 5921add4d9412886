// Session.swift — one fql session: the loaded dataset, the options in force,
// and the loop that reads statements (REPL or script) and meta commands.

import FiscalData
#if canImport(Glibc)
import Glibc
#endif

final class Session {
    let dataset: Dataset
    var options: Options

    init(dataset: Dataset, options: Options) {
        self.dataset = dataset
        self.options = options
    }

    func banner() {
        let s = dataset.store
        print("fql — \(s.count) statements, \(s.units.count) units, \(dataset.catalog.count) codes from \(dataset.folder). .help for help, .quit to leave.")
        Console.flush()
    }

    /// Runs every line of `text`; false if any failed.
    func runScript(_ text: String, origin: String) -> Bool {
        var ok = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !execute(String(line)) { ok = false }
        }
        return ok
    }

    /// The read–evaluate–print loop; returns the exit status when input ends or `.quit` is given.
    func repl(reader: LineReader, prompts: Bool) -> ExitStatus {
        var ok = true
        while true {
            switch reader.readLine(prompt: prompts ? "fql> " : "") {
            case .end:
                if prompts { print("") }
                return ok || prompts ? .success : .queryFailed
            case .interrupted:
                continue
            case .line(let line):
                let trimmed = line.trimmed()
                if trimmed.isEmpty { continue }
                reader.remember(trimmed)
                if trimmed == ".quit" || trimmed == ".exit" { return ok || prompts ? .success : .queryFailed }
                if !execute(trimmed) { ok = false }
                Console.flush()
            }
        }
    }

    /// Runs one statement or meta command; false on error (already reported on stderr).
    func execute(_ raw: String) -> Bool {
        let line = raw.trimmed()
        if line.isEmpty || line.hasPrefix("--") { return true }
        if line.hasPrefix(".") { return meta(line) }
        Console.err("error: the query language is not available in this build yet")
        return false
    }

    private func meta(_ line: String) -> Bool {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words[0] {
        case ".help":
            print("""
            meta commands:
              .units            the loaded units
              .codes [PREFIX]   catalogue codes, optionally under a prefix
              .quit             leave
            """)
            return true
        case ".units":
            for u in dataset.store.units { print(u) }
            return true
        case ".codes":
            let prefix = words.count > 1 ? words[1] : ""
            for e in dataset.catalog.allEntries where e.code.text.hasPrefix(prefix) {
                print("\(e.code.scheme.key)\t\(e.code)\t\(e.name)")
            }
            return true
        default:
            Console.err("error: unknown meta command \(words[0]); .help lists them")
            return false
        }
    }
}
