// Progress.swift — the progress line on standard error for work that takes a
// while (loading a large dataset, reading and importing documents): drawn
// only when standard error is a terminal and the work has run for a second,
// redrawn at most ten times a second, and erased when the work ends, so
// piped output and quick runs never see it.

import Foundation

final class Progress {
    private let started = Date()
    private var drawn = false
    private var last = Date.distantPast
    private let enabled: Bool
    /// Draw from the start (a count of documents) rather than after a second (a load).
    private let immediate: Bool

    /// Seconds of work before the line appears: 1, or $FQL_PROGRESS_AFTER (for tests).
    private let after: Double

    init(immediate: Bool = false) {
        enabled = isatty(2) == 1
        self.immediate = immediate
        after = ProcessInfo.processInfo.environment["FQL_PROGRESS_AFTER"].flatMap(Double.init) ?? 1
    }

    /// Shows `what` with a bar `done` of `total` and a note after it.
    func show(_ what: String, _ done: Int, _ total: Int, _ note: String = "") {
        guard enabled else { return }
        let now = Date()
        guard immediate || now.timeIntervalSince(started) >= after, drawn == false || now.timeIntervalSince(last) >= 0.1 || done == total else { return }
        last = now
        drawn = true
        let width = 24, filled = width * min(done, total) / max(1, total)
        Console.status("\r\(what) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(note.prefix(40))\u{1B}[K")
    }

    /// Erases the line, if one was drawn.
    func end() {
        if drawn { Console.status("\r\u{1B}[K") }
        drawn = false
    }
}
