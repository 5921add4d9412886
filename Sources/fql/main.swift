// main.swift — the `fql` entry point: parse the command line, load the
// dataset, dispatch, and exit with the spec's status.

import FiscalData
#if canImport(Glibc)
import Glibc
#endif

Console.bufferOutput()

func fail(_ message: String, _ status: ExitStatus) -> Never {
    Console.err("fql: \(message)")
    exit(status.rawValue)
}

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error.message)\n\(Options.usage)", .usage)
}

if options.command == .help {
    print(Options.usage)
    exit(ExitStatus.success.rawValue)
}

let status = Main.run(options)
Console.flush()
exit(status.rawValue)
