// EditLineReader.swift — line editing on a terminal with libedit's wide API
// (so Chinese input edits correctly), history kept across sessions in a
// file (mode 0600), and Tab completion. State reaches the C callbacks
// (prompt, completion) through EL_CLIENTDATA; the prompt buffer is owned
// here and outlives each call.

import CEditLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class EditLineReader: LineReader {
    private let el: OpaquePointer
    private let history: OpaquePointer
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private var promptCapacity = 64
    /// Where history is kept; nil when the file belongs to another program (or none can be used).
    private let historyPath: String?
    /// Completion candidates for the word before the cursor: (text to insert, text to list).
    var completer: (String) -> [(String, String)] = { _ in [] }

    init?(programName: String, historyPath: String?) {
        EditLineReader.ensureUTF8Locale()
        guard let el = el_init(programName, fql_stdin(), fql_stdout(), fql_stderr()) else { return nil }
        guard let h = fql_history_init() else { el_end(el); return nil }
        self.el = el
        self.history = h
        self.historyPath = EditLineReader.usableHistory(historyPath)
        promptBuffer = .allocate(capacity: promptCapacity)
        promptBuffer.initialize(to: 0)
        fql_history_setsize(h, 1000)
        fql_history_setunique(h, 1)
        fql_el_set_hist(el, h)
        _ = "emacs".withWideCString { fql_el_set_editor(el, $0) }
        fql_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        fql_el_set_wprompt(el) { el in
            guard let el, let raw = fql_el_get_clientdata(el) else { return nil }
            return Unmanaged<EditLineReader>.fromOpaque(raw).takeUnretainedValue().promptBuffer
        }
        _ = "fql-complete".withWideCString { name in
            "complete a keyword, field, unit or code".withWideCString { help in
                fql_el_addfn(el, name, help) { el, _ in
                    guard let el, let raw = fql_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
                    return Unmanaged<EditLineReader>.fromOpaque(raw).takeUnretainedValue().complete(el)
                }
            }
        }
        _ = "^I".withWideCString { key in "fql-complete".withWideCString { fql_el_bind(el, key, $0) } }
        if let p = self.historyPath, FileManager.default.fileExists(atPath: p) { _ = fql_history_load(h, p) }
    }

    /// `path` if history may be kept there: absent, or a regular file of this user (not a link, not a folder)
    /// that is a libedit history file (never another program's file); nil otherwise, said on standard error.
    static func usableHistory(_ path: String?) -> String? {
        guard let path, !path.isEmpty else { return nil }
        var st = stat()
        guard lstat(path, &st) == 0 else { return path }
        guard st.st_mode & S_IFMT == S_IFREG, st.st_uid == getuid() else {
            Console.err("fql: history is not kept: \(path) is not a regular file of yours (a folder or a link?)")
            return nil
        }
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 12)
        let n = read(fd, &head, 12)
        return n == 0 || (n == 12 && String(decoding: head, as: UTF8.self) == "_HiStOrY_V2_") ? path : nil
    }

    deinit {
        el_end(el)
        fql_history_end(history)
        promptBuffer.deallocate()
    }

    func readLine(prompt: String) -> LineInput {
        setPrompt(prompt)
        var count: Int32 = 0
        errno = 0
        Interrupt.reset()
        guard let line = el_wgets(el, &count) else {
            // Ctrl-C anywhere — also inside Ctrl-R's search, where libedit gives up the line as if at its
            // end — abandons the line, never the session.
            if (count == -1 && errno == EINTR) || Interrupt.happened { return .interrupted }
            return .end
        }
        var s = String(decodingWide: line, count: Int(count))
        if s.hasSuffix("\n") { s.removeLast() }
        return .line(s)
    }

    func remember(_ entry: String) {
        entry.withWideCString { _ = fql_history_enter(history, $0) }
        guard let p = historyPath else { return }
        // Create it private before libedit writes it, and keep it so.
        let fd = open(p, O_CREAT | O_WRONLY | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }   // a link put there since start: not followed
        close(fd)
        _ = fql_history_save(history, p)
        chmod(p, 0o600)
    }

    /// Tab: completes the word before the cursor, or lists the choices.
    fileprivate func complete(_ el: OpaquePointer) -> UInt8 {
        guard let buf = fql_el_line_buffer(el) else { return UInt8(CC_ERROR) }
        let before = String(decodingWide: buf, count: Int(fql_el_line_cursor(el)))
        let word = String(before.reversed().prefix { ch in
            ch.isLetter || (ch.isASCII && ch.isNumber) || ch == "_" || ch == "." || ch == "$"
        }.reversed())
        let found = completer(word)
        guard !found.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let inserts = found.map(\.0)
        var common = inserts[0]
        for c in inserts.dropFirst() { while !c.hasPrefix(common) { common.removeLast() } }
        if common.count > word.count || (found.count == 1 && common != word) {
            el_deletestr(el, Int32(word.unicodeScalars.count))
            _ = (found.count == 1 ? common + " " : common).withWideCString { el_winsertstr(el, $0) }
            return UInt8(CC_REFRESH)
        }
        Console.out("\n" + found.prefix(40).map(\.1).joined(separator: "\n") + (found.count > 40 ? "\n…" : "") + "\n")
        Console.flush()
        return UInt8(CC_REDISPLAY)
    }

    private func setPrompt(_ prompt: String) {
        let scalars = prompt.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        if scalars.count + 1 > promptCapacity {
            promptBuffer.deallocate()
            promptCapacity = scalars.count + 1
            promptBuffer = .allocate(capacity: promptCapacity)
        }
        for (i, w) in scalars.enumerated() { promptBuffer[i] = w }
        promptBuffer[scalars.count] = 0
    }

    /// libedit drops every non-ASCII character without a UTF-8 LC_CTYPE; LANG is often empty.
    static func ensureUTF8Locale() {
        setlocale(LC_CTYPE, "")
        if let cs = nl_langinfo(nl_item(CODESET)), String(cString: cs) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}

extension String {
    init(decodingWide p: UnsafePointer<wchar_t>, count: Int) {
        var s = String.UnicodeScalarView()
        for i in 0..<count {
            if let u = Unicode.Scalar(UInt32(bitPattern: p[i])) { s.append(u) }
        }
        self = String(s)
    }

    func withWideCString<R>(_ body: (UnsafePointer<wchar_t>) -> R) -> R {
        var buf = unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        buf.append(0)
        return buf.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
