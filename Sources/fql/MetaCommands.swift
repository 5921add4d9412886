// MetaCommands.swift — the REPL's dot commands (language.md, "The REPL and
// the command line"): .help [TOPIC], .format F (.mode F), .timer on|off, .maxrows N, .read FILE,
// .output FILE|stdout, .import FILE…, .param NAME VALUE, .units, .docs,
// .codes [PREFIX], .sql QUERY, .quit. Each reports its own errors on stderr.

import FiscalData
import FiscalImport
import FQL
import Foundation

enum MetaResult { case done, failed, quit }

extension Session {
    static let metaHelp = """
    .help [TOPIC]           this help, or help on a topic: sources, fields, stages, expressions, formats, checks
    .format FORMAT          table, line, csv, tsv, json, jsonl or markdown (.mode FORMAT too)
    .timer on|off           print how long each query takes
    .maxrows N              show at most N rows of a table at the terminal (0: all; default 40)
    .read FILE              run the queries in FILE
    .output FILE|stdout     send results to FILE, or back to the terminal
    .import FILE…           read disclosure documents and add their statements to this session
    .param NAME VALUE       set $NAME (.param alone lists them)
    .units                  the loaded units with their years and phases
    .docs                   the loaded documents
    .codes [PREFIX]         catalogue codes, optionally under a prefix
    .sql QUERY              the SQL of QUERY over an export (fql export DIR), without running it
    .quit                   leave (also Ctrl-D)

    """

    static let topics: [String: String] = [
        "sources": "facts spending/支出 income/收入 budget/预算 final/决算 rows checks units docs codes, or a let name\n",
        "fields": "unit region year phase measure func class section item econ econ_gov nature fund cost project category amount doc table line level derived printed; func.name, class.name, … give a code's name\n",
        "stages": "where E · sum [E] [by K] · count · avg E · min E · max E · compare A vs B [by K] · share [within K] · sort K [asc|desc] · limit N · top N · select F, … · chart [COLUMN] · why\n(compare sides: budget vs final · 2023 vs 2024 · \"蔡甸\" vs \"西城\")\n",
        "expressions": "= != < <= > >= in (…) ~ and or not ( ) + - * /; func = 212 is the whole class; func = \"城乡社区支出\" works too; $name is a parameter\n",
        "formats": "table line csv tsv json jsonl markdown (.format F, .mode F or --format F)\n",
        "checks": "checks lists findings: total (a total row against its rows), subtotal (a 类/款 row against the rows under it), row (合计 against 基本 + 项目), restated (one figure given twice, differently), project (a project's total against its rows), projects (the prose's count and amount of projects), sangong (“三公” sums and economic lines), closure (a 收支总表's totals), tables (missing or unexplained tables), year, template, wording, percent (the prose against its figures), import (cells repaired or unreadable); status rounding (within (n+1)·p/2 for n parts at precision p), mismatch and others; severity error, warning or note. Try: checks | where severity = \"error\" and unit ~ \"西城\"\n",
    ]

    func meta(_ line: String) -> MetaResult {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let args = Array(words.dropFirst())
        // --safe (as sqlite3's -safe): no meta command reads or writes a file.
        if safe && [".read", ".output", ".import"].contains(words[0]) {
            Console.err("error: \(words[0]) reads or writes files, and --safe forbids it")
            return .failed
        }
        switch words[0] {
        case ".help":
            if let t = args.first {
                guard let text = Session.topics[t] else {
                    Console.err("error: no help topic \"\(t)\"; topics: \(Session.topics.keys.sorted().joined(separator: ", "))")
                    return .failed
                }
                Console.out(text)
            } else {
                Console.out(Session.metaHelp)
            }
            return .done
        case ".quit", ".exit":
            return .quit
        case ".format", ".mode":
            guard args.count == 1, let f = OutputFormat(rawValue: args[0]) else {
                Console.err("error: .format needs one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                return .failed
            }
            format = f
            return .done
        case ".maxrows":
            guard args.count == 1, let n = Int(args[0]), n >= 0 else {
                Console.err("error: .maxrows N (0 shows every row)")
                return .failed
            }
            maxRows = n
            return .done
        case ".timer":
            guard args.count == 1, args[0] == "on" || args[0] == "off" else {
                Console.err("error: .timer on|off")
                return .failed
            }
            timer = args[0] == "on"
            return .done
        case ".read":
            guard args.count == 1 else { Console.err("error: .read FILE"); return .failed }
            // A file that reads itself, or a ring of files reading each other, is an error with the chain.
            let key = URL(fileURLWithPath: args[0]).standardizedFileURL.resolvingSymlinksInPath().path
            if readChain.contains(key) || readChain.count >= Session.maxReadDepth {
                let chain = (readChain + [key]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")
                Console.err("error: .read: \(readChain.contains(key) ? "a file reads itself" : "files read more than \(Session.maxReadDepth) deep"): \(chain)")
                return .failed
            }
            do {
                let text = try Dataset.readText(args[0])
                readChain.append(key)
                defer { readChain.removeLast() }
                return runScript(text, origin: args[0]) ? .done : .failed
            } catch {
                Console.err("error: \(error)")
                return .failed
            }
        case ".output":
            guard args.count == 1 else { Console.err("error: .output FILE|stdout"); return .failed }
            try? output?.close()
            output = nil
            outputPath = nil
            if args[0] == "stdout" { return .done }
            guard FileManager.default.createFile(atPath: args[0], contents: nil),
                  let h = FileHandle(forWritingAtPath: args[0]) else {
                Console.err("error: cannot write \(args[0])")
                return .failed
            }
            output = h
            outputPath = args[0]
            return .done
        case ".param":
            if args.isEmpty {
                for (k, v) in engine.parameters.sorted(by: { $0.key < $1.key }) { Console.out("\(k) = \(v)\n") }
                return .done
            }
            guard args.count >= 2 else { Console.err("error: .param NAME VALUE"); return .failed }
            engine.parameters[args[0]] = args.dropFirst().joined(separator: " ")
            return .done
        case ".units":
            return runQuery("units", firstLine: 0) ? .done : .failed
        case ".docs":
            return runQuery("docs | select doc, layout, unit, year, phase, statements", firstLine: 0) ? .done : .failed
        case ".codes":
            let prefix = args.first ?? ""
            for e in dataset.catalog.allEntries where e.code.text.hasPrefix(prefix) {
                emit("\(e.code.scheme.key)\t\(e.code)\t\(e.name)\n")
            }
            return .done
        case ".import":
            return importDocuments(args)
        case ".sql":
            let query = line.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty else {
                Console.err("error: .sql QUERY (the SQL of the query over an export, not run)")
                return .failed
            }
            do { emit(try engine.sql(query) + "\n") } catch {
                Console.err(error.render(source: query))
                return .failed
            }
            return .done
        default:
            let known = [".help", ".format", ".mode", ".timer", ".maxrows", ".read", ".output", ".import", ".param", ".units", ".docs", ".codes", ".sql", ".quit"]
            let hint = nearMiss(words[0], among: known).map { "; did you mean \($0)?" } ?? ""
            Console.err("error: unknown meta command \(words[0])\(hint) (.help lists them)")
            return .failed
        }
    }

    /// The documents this session holds: the dataset folder's (documents/ID.txt) and those `.import`ed.
    private func loadedDocuments() -> [SourceDocument] {
        let folder = dataset.folder + "/" + Dataset.documentsFolder + "/"
        return dataset.documents.compactMap { try? Importer.load(path: folder + $0.doc + ".txt") } + importedDocuments
    }

    /// `.import FILE…`: the documents' statements join this session's (the dataset folder is not changed).
    private func importDocuments(_ files: [String]) -> MetaResult {
        guard !files.isEmpty else { Console.err("error: .import needs at least one document"); return .failed }
        do {
            let (docs, repeated, clashes) = Importer.unique(try Importer.load(paths: files), known: loadedDocuments())
            for d in repeated { Console.out("\(d.origin): already loaded (the same text); not added again\n") }
            let result = Importer.run(docs, catalog: dataset.catalog)
            for f in clashes + result.failures { Console.err("error: .import: \(f)") }
            guard !result.documents.isEmpty else { return clashes.isEmpty && result.failures.isEmpty ? .done : .failed }
            let store = try Store(dataset.store.statements + result.statements)
            let records = result.documents.map(\.record)
            let params = engine.parameters
            engine = Engine(dataset: Dataset(folder: dataset.folder, catalog: result.catalog, store: store,
                                             documents: dataset.documents + records))
            engine.parameters = params
            importedDocuments += docs.filter { d in result.documents.contains { $0.id == d.id } }
            Console.out(DatasetWriter.report(result))
            Console.out("added \(result.statements.count) statements from \(result.documents.count) documents\n")
            return clashes.isEmpty && result.failures.isEmpty ? .done : .failed
        } catch {
            Console.err("error: .import: \(error)")
            return .failed
        }
    }
}
