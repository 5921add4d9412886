// Options.swift — the command line: what `fql` was asked to do, parsed by
// hand so that usage errors exit with status 2 and say what was wrong.
//
//   fql [--data DIR] [--format F] [-p NAME=VALUE]… [-e QUERY… | FILE.fql | -]
//   fql import FILE… --out DIR [--add | --replace]
//   fql check [--data DIR] [--format F]
//   fql export DIR [--data DIR]
//   fql --sql -e QUERY …;  fql --engine duckdb --data EXPORT …

import FiscalData
import FiscalImport
import FQL

/// Exit statuses of the spec.
enum ExitStatus: Int32 {
    case success = 0
    case queryFailed = 1
    case usage = 2
    case dataUnavailable = 3
}

/// What to run.
enum Command: Equatable {
    /// The REPL, or queries from standard input when it is not a terminal.
    case interactive
    /// `-e QUERY`, repeatable: each run in turn (as sqlite3 and DuckDB run each of theirs)
    case evaluate([String])
    /// `FILE.fql`
    case file(String)
    /// `-`: queries from standard input, as a script, even on a terminal
    case standardInput
    /// `import FILE… --out DIR [--add | --replace]`
    case importDocuments(files: [String], out: String, mode: WriteMode)
    /// `import --text FILE…`: the text the importer reads (a PDF's rebuilt tables as TAB cells)
    case showImportText(files: [String])
    /// `check [--repairs] [--severity LEVEL]`
    case check(repairs: Bool, least: String)
    /// `--help`, `help`
    case help
    /// `--version`
    case version
    /// `export DIR`: the dataset as CSV tables for another engine
    case export(String)
}

/// Where queries run: FQL's own evaluator, or another engine over an export.
enum EngineChoice: String, Equatable, CaseIterable { case memory, duckdb }

struct Options: Equatable {
    var command: Command = .interactive
    var dataFolder: String? = nil
    var format: OutputFormat? = nil
    var parameters: [String: String] = [:]
    /// --safe: no meta command may read or write a file (.read, .output, .import).
    var safe = false
    /// --no-snapshot: parse statements.tsv, and make no statements.snapshot beside it.
    var snapshot = true
    /// --sql: print each query's SQL (over an export) instead of running it.
    var sql = false
    /// --engine: where queries run.
    var engine: EngineChoice = .memory
}

struct UsageError: Error, Equatable {
    let message: String
}

extension Options {
    static let version = "fql 0.5.0 (FiscalQL)"

    /// The first line of the usage, with where to find the rest: what a usage error prints after its message.
    static let shortUsage = "usage: fql [OPTIONS] [-e QUERY… | FILE.fql | -]  (fql --help lists the options)"

    static let usage = """
    usage: fql [--data DIR] [--format FORMAT] [-p NAME=VALUE]… [--safe] [-e QUERY… | FILE.fql | -]
           fql import FILE… --out DIR [--add | --replace] [--data DIR]
           fql import --text FILE…
           fql check [--data DIR] [--format FORMAT] [--repairs] [--severity error|warning|note]
           fql export DIR [--data DIR]

    With no query and no file, fql starts the REPL on a terminal, or reads
    queries from standard input when it is not a terminal (or when the file is -).
    Long options take their value after a space or an = (--format=csv).

    options:
      --data DIR          dataset folder (default: $FQL_DATA, else ./Datasets, else the bundled
                          dataset found from the program's place, so fql runs from any folder);
                          import reads the reference catalogue (classification.tsv) from it
      --format FORMAT     table, line, csv, tsv, json, jsonl or markdown (default: table)
      -p, --param N=V     set the parameter $N (repeatable)
      -e, --execute QUERY run the query, print, exit (repeatable: each runs in turn)
      --sql               print the SQL of each query (over an export) instead of running it
      --engine ENGINE     memory (FQL's own, the default) or duckdb: run the queries' SQL on DuckDB
                          over --data, a folder `fql export` wrote (bash scripts/engines.sh installs DuckDB)
      --safe              refuse the meta commands that read or write files (.read, .output, .import),
                          for queries from others (as sqlite3's -safe)
      --no-snapshot       read statements.tsv itself; fql otherwise keeps a large one's store in
                          statements.snapshot beside it (made once, remade when the TSV changes), so
                          that it starts with a read instead of a parse
      --out DIR           (import) the dataset folder to write: a new folder, or an existing
                          dataset with --add (its documents and the new ones; a document
                          already there is not added twice) or --replace
      --text              (import) print the text the importer reads from each document (for a PDF,
                          its tables rebuilt as TAB-separated cells, pages split by form feeds); write nothing
      --repairs           (check) list the importer's repairs too (notes; kept out by default)
      --severity LEVEL    (check) only findings of LEVEL and worse: error, warning or note
                          (check exits 1 when it finds an error)
      export DIR          write the dataset as tables another engine reads (statements, facts, catalogue,
                          documents as CSV, schema.sql) and as a dataset fql loads, into a new or empty DIR
      -h, --help, help    this help
      --version           the version

    exit status: 0 success, 1 a query failed, 2 bad usage, 3 the data could not be loaded
    """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var args = arguments
        var o = Options()
        var positional: [String] = []
        var out: String? = nil
        var mode: WriteMode? = nil
        var showText = false
        var i = 0
        func value(_ flag: String) throws(UsageError) -> String {
            i += 1
            guard i < args.count else { throw UsageError(message: "\(flag) needs a value") }
            return args[i]
        }
        var evaluate: [String] = []
        var repairs = false, least: String? = nil
        while i < args.count {
            // --name=value is --name value
            if args[i].hasPrefix("--"), let eq = args[i].firstIndex(of: "="),
               ["--data", "--out", "--format", "--param", "--execute", "--engine"].contains(String(args[i][..<eq])) {
                let (flag, v) = (String(args[i][..<eq]), String(args[i][args[i].index(after: eq)...]))
                args.replaceSubrange(i...i, with: [flag, v])
            }
            let a = args[i]
            switch a {
            case "-h", "--help": o.command = .help; return o
            case "--version": o.command = .version; return o
            case "--data": o.dataFolder = try value(a)
            case "--out": out = try value(a)
            case "--text": showText = true
            case "--safe": o.safe = true
            case "--no-snapshot": o.snapshot = false
            case "--sql": o.sql = true
            case "--engine":
                let v = try value(a)
                guard let e = EngineChoice(rawValue: v) else {
                    throw UsageError(message: "unknown engine \"\(v)\"; expected \(EngineChoice.allCases.map(\.rawValue).joined(separator: " or "))")
                }
                o.engine = e
            case "--repairs": repairs = true
            case "--severity":
                let v = try value(a)
                guard CheckReport.order.contains(v) else { throw UsageError(message: "unknown severity \"\(v)\"; expected error, warning or note") }
                least = v
            case "--add", "--replace":
                let m: WriteMode = a == "--add" ? .add : .replace
                if let mode, mode != m { throw UsageError(message: "give --add or --replace, not both") }
                mode = m
            case "--format":
                let f = try value(a)
                guard let fmt = OutputFormat(rawValue: f) else {
                    throw UsageError(message: "unknown format \"\(f)\"; expected \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                o.format = fmt
            case "-p", "--param":
                let p = try value(a)
                guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                    throw UsageError(message: "parameter \"\(p)\" is not NAME=VALUE")
                }
                o.parameters[String(p[..<eq])] = String(p[p.index(after: eq)...])
            case "-e", "--execute":
                evaluate.append(try value(a))
            case "--":
                positional += args[(i + 1)...]
                i = args.count
            default:
                if a.hasPrefix("-") && a != "-" { throw UsageError(message: "unknown option \(a)") }
                positional.append(a)
            }
            i += 1
        }
        if !evaluate.isEmpty { o.command = .evaluate(evaluate) }
        if positional == ["help"] { o.command = .help; return o }
        if let first = positional.first, first == "import" {
            let files = Array(positional.dropFirst())
            guard !files.isEmpty else { throw UsageError(message: "import needs at least one document") }
            if showText {
                guard out == nil, mode == nil else { throw UsageError(message: "import --text writes nothing; it takes no --out, --add or --replace") }
                o.command = .showImportText(files: files)
                return o
            }
            guard let out else { throw UsageError(message: "import needs --out DIR") }
            o.command = .importDocuments(files: files, out: out, mode: mode ?? .create)
            return o
        }
        if out != nil { throw UsageError(message: "--out goes with import") }
        if mode != nil || showText { throw UsageError(message: "--add, --replace and --text go with import") }
        if positional.first == "export" {
            guard positional.count == 2 else { throw UsageError(message: "export needs one folder: fql export DIR") }
            o.command = .export(positional[1])
            return o
        }
        if positional.first == "check" {
            guard positional.count == 1 else { throw UsageError(message: "check takes no arguments") }
            o.command = .check(repairs: repairs, least: least ?? "note")
            return o
        }
        if repairs || least != nil { throw UsageError(message: "--repairs and --severity go with check") }
        switch (o.command, positional.count) {
        case (_, 0): break
        case (.interactive, 1): o.command = positional[0] == "-" ? .standardInput : .file(positional[0])
        case (.evaluate, _): throw UsageError(message: "give either -e QUERY or a file, not both")
        default: throw UsageError(message: "one query file at a time; got \(positional.joined(separator: " "))")
        }
        return o
    }
}
