// Console.swift — the CLI's only way to standard output and standard error
// (the library never prints). The C streams come from the libedit shim's
// getters: Swift 6 does not allow the global `stdout`/`stderr` directly.

import CEditLine
#if canImport(Glibc)
import Glibc
#endif

enum Console {
    /// Whether input is already waiting on standard input (the rest of a paste): polled for 20 ms, as a
    /// terminal delivers a paste in bursts.
    static func inputWaiting() -> Bool {
        var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&fds, 1, 20) > 0 && fds.revents & Int16(POLLIN) != 0
    }

    /// Writes `text` to standard output as is.
    static func out(_ text: String) {
        // fputs stops at a NUL; the bytes are written whole.
        var bytes = Array(text.utf8)
        _ = fwrite(&bytes, 1, bytes.count, fql_stdout())
    }
    /// Writes `text` and a newline to standard error, after flushing standard output.
    static func err(_ text: String) {
        fflush(fql_stdout())
        fputs(text + "\n", fql_stderr())
    }
    static func flush() { fflush(fql_stdout()) }
    /// Flushes standard output; false when anything written to it was lost (a full disk, /dev/full).
    static func flushedWithoutError() -> Bool { fflush(fql_stdout()) == 0 && ferror(fql_stdout()) == 0 }
    /// Writes `text` to standard error as it is (a progress line that rewrites itself), unbuffered.
    static func status(_ text: String) {
        fputs(text, fql_stderr())
        fflush(fql_stderr())
    }
    /// Makes standard output fully buffered (it is flushed at each prompt and on exit).
    static func bufferOutput() { setvbuf(fql_stdout(), nil, _IOFBF, 1 << 16) }
}
