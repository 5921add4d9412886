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
    fail("\(error.message)\n\(Options.shortUsage)", .usage)
}

if options.command == .help {
    print(Options.usage)
    exit(ExitStatus.success.rawValue)
}
if options.command == .version {
    print(Options.version)
    exit(ExitStatus.success.rawValue)
}


let status = Main.run(options)
// Output that could not be written (a full disk, > /dev/full) is a failure, not a silent success.
if !Console.flushedWithoutError() {
    Console.err("fql: cannot write the output: \(String(cString: strerror(errno)))")
    exit(status == .success ? ExitStatus.queryFailed.rawValue : status.rawValue)
}
exit(status.rawValue)
