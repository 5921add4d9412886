// ReplTests.swift — the REPL as a person uses it, in a real terminal (tmux):
// typing Chinese, reading the aligned table from the screen, Tab completion,
// Ctrl-C mid-line, a multi-line pipeline with the continuation prompt, and
// history recalled with the up arrow after a restart (kept in a 0600 file).

import Foundation
import XCTest

final class ReplTests: XCTestCase {
    var session = ""
    var dir = ""

    /// Runs tmux; output is read from a file, since a tmux server started by the call keeps any pipe open.
    private func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux"] + args
        let path = dir + "/tmux.out"
        FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

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

    private func start() throws {
        let cmd = "cd '\(CLI.root)' && env -u LANG -u LC_ALL FQL_HISTORY='\(dir)/history' '\(CLI.binary.path)'"
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

    func testChineseInputCompletionInterruptAndHistory() throws {
        guard (try? tmux(["-V"]))?.hasPrefix("tmux") == true else { throw XCTSkip("tmux is not installed") }
        try start()
        // Chinese typed and edited, an aligned table read back from the screen.
        try type("final | where unit ~ \"蔡甸\" | sum by nature")
        try key("Enter")
        var s = try waitFor("the result") { $0.contains("project  113.14") }
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
    }
}
