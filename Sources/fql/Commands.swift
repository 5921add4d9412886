// Commands.swift — the command line as swift-argument-parser commands: `fql`
// (queries: the REPL, -e QUERY…, FILE.fql, -), `fql import`, `fql check` and
// `fql export`, each with its own --help, and shell completion scripts
// (`fql --generate-completion-script bash|zsh|fish`). Parsing gives an
// `Options` (Options.swift), which Main runs; a usage error is exit status 2
// (not the parser's 64), with the message and the short usage.

import ArgumentParser
import FiscalImport
import FQL

extension OutputFormat: ExpressibleByArgument {}
extension EngineChoice: ExpressibleByArgument {}

/// The dataset folder and how it is loaded: every command that reads a dataset takes them.
struct DatasetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("dataset folder (default: $FQL_DATA, else ./Datasets, else the bundled dataset found from the program's place)",
                               valueName: "DIR"), completion: .directory)
    var data: String?

    @Flag(name: .customLong("no-snapshot"),
          help: "read statements.tsv itself; fql otherwise keeps a large one's store in statements.snapshot beside it")
    var noSnapshot = false

    func apply(to o: inout Options) {
        o.dataFolder = data
        o.snapshot = !noSnapshot
    }
}

struct FQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fql",
        abstract: "Query Chinese departmental budget and final-accounts disclosures.",
        version: Options.version,
        subcommands: [QueryCommand.self, ImportCommand.self, CheckCommand.self, ExportCommand.self],
        defaultSubcommand: QueryCommand.self)
}

/// `fql [OPTIONS] [-e QUERY… | FILE.fql | -]`: the default command.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Run queries: the REPL, -e QUERY…, a query file, or - (standard input).",
        shouldDisplay: false)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "table, line, csv, tsv, json, jsonl or markdown (default: table)") var format: OutputFormat?
    @Option(name: [.short, .customLong("param")], parsing: .unconditionalSingleValue,
            help: ArgumentHelp("set the parameter $NAME (repeatable)", valueName: "NAME=VALUE"))
    var param: [String] = []
    @Option(name: [.short, .customLong("execute")], parsing: .unconditionalSingleValue,
            help: ArgumentHelp("run the query, print, exit (repeatable: each runs in turn)", valueName: "QUERY"))
    var execute: [String] = []
    @Flag(help: "refuse the meta commands that read or write files (.read, .output, .import)") var safe = false
    @Flag(help: "print the SQL of each query (over an export) instead of running it") var sql = false
    @Option(help: "memory (FQL's own, the default), duckdb or spark (the SQL over a folder fql export wrote)") var engine: EngineChoice?
    @Option(help: ArgumentHelp("with --engine spark: where Spark runs (default local[2])", valueName: "URL")) var master: String?
    @Argument(help: ArgumentHelp("a query file, or - for standard input", valueName: "FILE.fql"),
              completion: .file(extensions: ["fql"]))
    var file: String?

    func validate() throws {
        if !execute.isEmpty && file != nil { throw ValidationError("give either -e QUERY or a file, not both") }
        for p in param where p.firstIndex(of: "=").map({ $0 == p.startIndex }) ?? true {
            throw ValidationError("parameter \"\(p)\" is not NAME=VALUE")
        }
        if master != nil && engine != .spark { throw ValidationError("--master is for --engine spark") }
    }

    var options: Options {
        var o = Options()
        dataset.apply(to: &o)
        o.format = format
        o.safe = safe
        o.sql = sql
        o.engine = engine ?? .memory
        o.master = master
        for p in param {
            let eq = p.firstIndex(of: "=")!
            o.parameters[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        if !execute.isEmpty { o.command = .evaluate(execute) }
        else if let file { o.command = file == "-" ? .standardInput : .file(file) }
        return o
    }
}

/// `fql import FILE… --out DIR [--add | --replace]`, `fql import --text FILE…`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read disclosure documents (PDF or text) into a dataset folder, and print the coverage report.",
        discussion: """
        Each document is imported on its own: the good ones are written, the failures reported (exit status 1). \
        Any existing DIR that is not an FQL dataset (a file, a link, a folder of other files) is refused and left \
        untouched; the dataset is written beside DIR, loaded back, then renamed into place.
        """)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("the dataset folder to write: a new folder, or an existing dataset with --add or --replace",
                               valueName: "DIR"), completion: .directory)
    var out: String?
    @Flag(help: "add to the dataset in DIR (a document already there is not added twice)") var add = false
    @Flag(help: "replace the dataset in DIR") var replace = false
    @Flag(help: "print the text the importer reads from each document (a PDF's tables rebuilt as TAB cells); write nothing")
    var text = false
    @Argument(help: ArgumentHelp("the documents", valueName: "FILE"), completion: .file(extensions: ["pdf", "txt"]))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("import needs at least one document") }
        if add && replace { throw ValidationError("give --add or --replace, not both") }
        if text && (out != nil || add || replace) {
            throw ValidationError("import --text writes nothing; it takes no --out, --add or --replace")
        }
        if !text && out == nil { throw ValidationError("import needs --out DIR") }
    }

    var options: Options {
        var o = Options()
        dataset.apply(to: &o)
        o.command = text ? .showImportText(files: files)
            : .importDocuments(files: files, out: out!, mode: add ? .add : replace ? .replace : .create)
        return o
    }
}

/// `fql check [--repairs] [--severity LEVEL]`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The reconciliation report for an auditor: by document, errors first (exit status 1 when an error is found).")

    enum Severity: String, CaseIterable, ExpressibleByArgument { case error, warning, note }

    @OptionGroup var dataset: DatasetOptions
    @Option(help: "table (the report), or csv, json … for machines") var format: OutputFormat?
    @Flag(help: "list the importer's repairs too (notes; kept out by default)") var repairs = false
    @Option(help: "only findings of this severity and worse") var severity: Severity = .note

    var options: Options {
        var o = Options()
        dataset.apply(to: &o)
        o.format = format
        o.command = .check(repairs: repairs, least: severity.rawValue)
        return o
    }
}

/// `fql export DIR`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the dataset as tables another engine reads (CSV, schema.sql) and as a dataset fql loads, into a new or empty DIR.")

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: ArgumentHelp("the folder to write", valueName: "DIR"), completion: .directory) var folder: String

    var options: Options {
        var o = Options()
        dataset.apply(to: &o)
        o.command = .export(folder)
        return o
    }
}

extension Options {
    /// The subcommands' names: one given after options (`fql --data D import …`) is taken as if given first.
    private static let subcommands: Set<String> = ["import", "check", "export", "help"]
    /// Options of any command that take a value (the word after them is no subcommand).
    private static let valued: Set<String> = ["--data", "--format", "-p", "--param", "-e", "--execute", "--engine", "--master", "--out", "--severity"]

    /// Parses the arguments after the program name. `help`, `--help` and `--version` give the commands
    /// `.help` and `.version`; a subcommand's --help and the completion scripts are `.message` (printed as is).
    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var args = arguments
        // A subcommand after the dataset options, as the hand-made parser took it: moved to the front.
        var i = 0
        while i < args.count, args[i].hasPrefix("-"), args[i] != "-", args[i] != "--" {
            i += valued.contains(args[i]) ? 2 : 1
        }
        if i > 0, i < args.count, subcommands.contains(args[i]) { args.insert(args.remove(at: i), at: 0) }
        do {
            let command = try FQLCommand.parseAsRoot(args)
            switch command {
            case let c as QueryCommand: return c.options
            case let c as ImportCommand: return c.options
            case let c as CheckCommand: return c.options
            case let c as ExportCommand: return c.options
            default:   // `help` and `--help` (ArgumentParser's own): the whole usage, or `help COMMAND`'s help
                var o = Options()
                let named = args.drop { $0 == "help" || $0.hasPrefix("-") }.first
                o.command = named.map { .message(FQLCommand.helpMessage(for: subcommand($0))) } ?? .help
                return o
            }
        } catch {
            let code = FQLCommand.exitCode(for: error)
            let message = FQLCommand.fullMessage(for: error)
            guard code == .success else {
                throw UsageError(message: FQLCommand.message(for: error).lowercasedFirst)
            }
            var o = Options()
            // The root's --help is the whole usage (Options.usage); a subcommand's, the parser's.
            if message == FQLCommand.helpMessage() || args.first == "--help" || args.first == "-h" { o.command = .help }
            else if message == Options.version { o.command = .version }
            else { o.command = .message(message) }
            return o
        }
    }

    private static func subcommand(_ name: String) -> ParsableCommand.Type {
        switch name {
        case "import": return ImportCommand.self
        case "check": return CheckCommand.self
        case "export": return ExportCommand.self
        default: return FQLCommand.self
        }
    }
}

private extension String {
    /// The message with its first letter in lower case, as fql's other messages ("fql: unknown option …").
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
