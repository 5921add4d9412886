// ReplTests.swift — the REPL as a person uses it, in a real terminal (tmux):
// typing Chinese, reading the aligned table from the screen, Tab completion,
// Ctrl-C mid-line, a multi-line pipeline with the continuation prompt,
// history recalled with the up arrow after a restart (kept in a 0600 file),
// and reverse search (Ctrl-R).

import Foundation
import XCTest
import FQL

final class ReplTests: XCTestCase {
    var session = ""
    var dir = ""

    /// Runs tmux and returns what it printed. Spawned by hand, not with Foundation's
    /// `Process`: the tmux server forks from the first client and would inherit the
    /// descriptor `Process` watches for the child's exit, so `waitUntilExit` would
    /// never return. Here the child keeps only 0, 1 and 2, and the wait gives up
    /// (killing the client) after 10 seconds.
    private func tmux(_ args: [String]) throws -> String {
        let path = dir + "/tmux.out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let argv: [UnsafeMutablePointer<CChar>?] = (["tmux"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "tmux", code: Int(rc)) }
        var status: Int32 = 0
        for _ in 0..<200 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            XCTFail("tmux \(args.first ?? "") did not finish within 10 s")
        }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc
    /// module does not declare; without it the 10-second limit still stops a hang.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(sym, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

    /// Waits until the screen satisfies `test` (at most 10 s); returns the screen.
    @discardableResult
    private func waitFor(_ what: String, _ test: (String) -> Bool) throws -> String {
        for _ in 0..<100 {
            let s = try screen()
            if test(s) { return s }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let s = try screen()
        XCTFail("timed out waiting for \(what); screen:\n\(s)")
        return s
    }

    private func start(history: String? = nil) throws {
        let cmd = "cd '\(CLI.root)' && env -u LANG -u LC_ALL FQL_HISTORY='\(history ?? dir + "/history")' '\(CLI.binary.path)'"
        _ = try tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd])
        try waitFor("the banner") { $0.contains("fql>") && $0.contains("statements") }
    }

    private func type(_ text: String) throws { _ = try tmux(["send-keys", "-t", session, "-l", text]) }
    private func key(_ k: String) throws { _ = try tmux(["send-keys", "-t", session, k]) }

    override func setUp() {
        session = "fqltest\(ProcessInfo.processInfo.processIdentifier)"
        dir = (try? CLI.tempFolder()) ?? NSTemporaryDirectory()
    }

    override func tearDown() { _ = try? tmux(["kill-session", "-t", session]) }

    /// Starts fql (history at `history`), runs the 蔡甸 query typed in Chinese, and returns the screen with its result.
    private func startAndAskCaidian(history: String? = nil) throws -> String {
        guard (try? tmux(["-V"]))?.hasPrefix("tmux") == true else { throw XCTSkip("tmux is not installed") }
        try start(history: history)
        try type("final | where unit ~ \"蔡甸\" | sum by nature")
        try key("Enter")
        return try waitFor("the result") { $0.contains("project  113.14") }
    }

    func testChineseInputCompletionInterruptAndHistory() throws {
        // Chinese typed and edited, an aligned table read back from the screen.
        var s = try startAndAskCaidian()
        XCTAssertTrue(s.contains("basic     61.11"), s)
        // Tab completes a keyword.
        try type("fin")
        try key("Tab")
        try waitFor("completion") { $0.contains("fql> final ") }
        // Ctrl-C abandons the line and the session goes on.
        try type("| whe")
        try key("C-c")
        try waitFor("a fresh prompt") { $0.components(separatedBy: "fql>").count >= 4 }
        // A multi-line pipeline shows the continuation prompt.
        try type("budget | where unit ~ \"东城\" |")
        try key("Enter")
        try waitFor("the continuation prompt") { $0.contains("...>") }
        try type("sum")
        try key("Enter")
        s = try waitFor("the multi-line result") { $0.contains("5,306.52") }
        try type(".quit")
        try key("Enter")
        Thread.sleep(forTimeInterval: 0.3)
        _ = try? tmux(["kill-session", "-t", session])
        // History survives a restart, privately.
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/history")
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        try start()
        try key("Up")
        try key("Up")
        try waitFor("the recalled query") { $0.contains("fql> budget | where unit ~ \"东城\" | sum") }
        try key("Enter")
        try waitFor("the recalled query's result") { $0.components(separatedBy: "5,306.52").count >= 2 }
        // Reverse search (Ctrl-R) finds it again by a fragment.
        try type("units | count")
        try key("Enter")
        try waitFor("another query") { $0.contains("count\n-----") }
        try key("C-r")
        try type("budg")
        try waitFor("the reverse search") { $0.contains("budg") && $0.components(separatedBy: "budget | where unit ~ \"东城\" | sum").count >= 3 }
        try key("Enter")
        try key("Enter")
        try waitFor("the found query's result") { $0.components(separatedBy: "5,306.52").count >= 3 }
    }

    /// A history path that is a folder: the REPL says history is not kept, and runs (it crashed on `try!`).
    func testHistoryThatIsAFolderIsNotUsed() throws {
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        let s = try startAndAskCaidian(history: dir + "/folder")
        XCTAssertTrue(s.contains("fql: history is not kept: \(dir)/folder is not a regular file of yours (a folder or a link?)"), s)
        try type(".quit")
        try key("Enter")
    }

    /// A quote left open waits at "...>" for the rest; an empty line ends it with the error, and the
    /// session goes on (it waited for a quote forever).
    func testOpenQuoteEndsAtAnEmptyLine() throws {
        _ = try startAndAskCaidian()
        try type("final | where unit ~ \"西城")
        try key("Enter")
        try waitFor("the continuation prompt") { $0.contains("...>") }
        try key("Enter")
        let s = try waitFor("the error") { $0.contains("text starting here has no closing") }
        let last = s.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(last.map { $0.trimmingCharacters(in: .whitespaces) }, "fql>", s)
        try type(".quit")
        try key("Enter")
    }

    /// A query pasted in several lines, the docs' own form (issue 15, item 2), runs whole: a line starting
    /// with "|" that is already waiting continues the statement, as it does in a file.
    func testPastedMultiLineQueryRunsWhole() throws {
        _ = try startAndAskCaidian()
        _ = try tmux(["set-buffer", "-b", "fqlpaste", "final\n  | where unit ~ \"蔡甸\" and year = 2024\n  | sum by nature\n"])
        _ = try tmux(["paste-buffer", "-b", "fqlpaste", "-t", session])
        let s = try waitFor("the pasted query's answer") { $0.contains("project  113.14") && $0.components(separatedBy: "basic     61.11").count > 2 }
        XCTAssertFalse(s.contains("expected a source"), s)
        XCTAssertFalse(s.contains("error:"), s)
        try type(".quit")
        try key("Enter")
    }

    /// Ctrl-C inside Ctrl-R's history search abandons the search and the line, never the session (issue 15,
    /// item 1: it left the REPL with status 0, losing the session's .import and .param).
    func testCtrlCDuringHistorySearchKeepsTheSession() throws {
        _ = try startAndAskCaidian()
        try key("C-r")
        try type("final")
        try key("C-c")
        try type("budget | where unit ~ \"东城\" | count")
        try key("Enter")
        let s = try waitFor("the next answer") { $0.contains("   37") }
        XCTAssertTrue(s.contains("^C"), s)
        try type(".quit")
        try key("Enter")
    }

    /// At a terminal a long table stops at 40 rows and says how many it hid; .maxrows 0 shows them all
    /// (issue 15, item 3); piped output is never cut (ScriptTests).
    func testLongTablesAreCutAtTheTerminal() throws {
        _ = try startAndAskCaidian()
        try type("rows | where unit ~ \"蔡甸\" | select line, amount")
        try key("Enter")
        _ = try waitFor("the note of hidden rows") { $0.contains("… 164 more rows not shown; .maxrows 0 shows all") }
        try type(".maxrows 0")
        try key("Enter")
        try type("rows | where unit ~ \"蔡甸\" | count")
        try key("Enter")
        _ = try waitFor("the count") { $0.contains("  204") }
        // A table wider than the terminal (160 cells here) is cut to fit it, its widest text column first.
        try type("rows | where unit ~ \"蔡甸\" and table ~ \"公开01表\" | limit 2")
        try key("Enter")
        let s = try waitFor("the cut table") { $0.contains("to fit 160 cells") }
        XCTAssertTrue(s.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 160 }, s)
        try type(".quit")
        try key("Enter")
    }
}
