// LineReader.swift — the REPL's seam to its input: a line reader gives the
// next line (nil at end of input). `EditLineReader` (EditLineReader.swift) uses
// libedit on a terminal; input that is not a terminal is run as a script.

#if canImport(Glibc)
import Glibc
#endif

/// What a line reader returns.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C: abandon the current input, keep going.
    case interrupted
    /// Ctrl-D or end of input.
    case end
}

protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` where the reader shows prompts.
    func readLine(prompt: String) -> LineInput
    /// Records an entered statement in the history, where the reader keeps one.
    func remember(_ entry: String)
}

/// True when both standard input and standard output are terminals.
func isInteractiveTerminal() -> Bool {
    isatty(0) == 1 && isatty(1) == 1
}
