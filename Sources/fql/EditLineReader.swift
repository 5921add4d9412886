// EditLineReader.swift — line editing on a terminal with libedit's wide API
// (so Chinese input edits correctly). State reaches the C prompt callback
// through EL_CLIENTDATA; the prompt buffer is owned here and outlives each call.

import CEditLine
#if canImport(Glibc)
import Glibc
#endif

final class EditLineReader: LineReader {
    private let el: OpaquePointer
    private let history: OpaquePointer
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private var promptCapacity = 64

    init?(programName: String) {
        EditLineReader.ensureUTF8Locale()
        guard let el = el_init(programName, fql_stdin(), fql_stdout(), fql_stderr()) else { return nil }
        guard let h = fql_history_init() else { el_end(el); return nil }
        self.el = el
        self.history = h
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
        guard let line = el_wgets(el, &count) else {
            if count == -1 && errno == EINTR { return .interrupted }
            return .end
        }
        var s = String(decodingWide: line, count: Int(count))
        if s.hasSuffix("\n") { s.removeLast() }
        return .line(s)
    }

    func remember(_ entry: String) {
        entry.withWideCString { _ = fql_history_enter(history, $0) }
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
