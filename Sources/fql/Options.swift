// Options.swift — the command line: what `fql` was asked to do (parsed by
// swift-argument-parser in Commands.swift; usage errors exit with status 2
// and say what was wrong), and the usage text.
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
    /// A subcommand's `--help`, `help COMMAND`, a completion script: printed as it is
    case message(String)
    /// `export DIR`: the dataset as CSV tables for another engine
    case export(String)
}

/// Where queries run: FQL's own evaluator, or another engine over an export.
enum EngineChoice: String, Equatable, CaseIterable { case memory, duckdb, spark }

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
    /// --master: where Spark runs (`local[2]` unless given).
    var master: String? = nil
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
      --engine ENGINE     memory (FQL's own, the default), duckdb or spark: run the queries' SQL on
                          DuckDB or Spark over --data, a folder `fql export` wrote (bash scripts/engines.sh
                          installs DuckDB; bash scripts/engines.sh spark installs Spark)
      --master URL        with --engine spark: where Spark runs (default local[2]; spark://HOST:7077 …)
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
      -h, --help, help    this help; fql COMMAND --help (or fql help COMMAND): a command's own
      --version           the version
      --generate-completion-script bash|zsh|fish
                          a completion script for the shell (subcommands, options and their values):
                          fql --generate-completion-script bash > /etc/bash_completion.d/fql

    exit status: 0 success, 1 a query failed, 2 bad usage, 3 the data could not be loaded
    """
}
