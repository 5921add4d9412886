// LineServer.swift — a child process kept running between requests (an SQL
// engine's driver: Spark takes seconds to start, so it starts once per
// session, not once per query). A request is text written to its standard
// input; its answer is the lines it writes to standard output up to a line
// that ends the answer. Standard error is drained as it comes (an engine's
// logs must never stall it) and its last lines kept to explain a failure. The
// child ends when its standard input closes: when the server is released (and
// is terminated if it has not ended ten seconds later).

import Foundation

public final class LineServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the last line the child wrote on standard error.
        public let message: String
        public var description: String { message }
    }

    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var pending = Data()
    /// Whether the child's output has ended (it answers nothing more, whether or not it has been reaped).
    private var outputEnded = false
    private let lock = NSLock()
    private let errors = ErrorTail()

    /// Starts `executable` with `arguments`.
    public init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        input = inPipe.fileHandleForWriting
        output = outPipe.fileHandleForReading
        let tail = errors, handle = errPipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let d = handle.availableData
                if d.isEmpty { tail.ended.signal(); return }
                tail.append(d)
            }
        }
    }

    /// Closing standard input ends the driver; one that has not ended within ten seconds (an engine stuck
    /// in its shutdown) is terminated, so that fql itself never hangs on its way out.
    deinit {
        try? input.close()
        for _ in 0..<200 where process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Writes `text` (a line end is added) and returns the lines of the answer, up to the line `end`
    /// (not included). A child that has ended, or ends before answering, is a `Failure`.
    public func request(_ text: String, end: String) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        // Ended: its output closed before (the process may not be reaped yet), or it is no longer running.
        guard !outputEnded && process.isRunning else { throw failure("has ended") }
        do { try input.write(contentsOf: Data((text + "\n").utf8)) } catch { throw failure("cannot be written to") }
        var lines: [String] = []
        while true {
            if let nl = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                if line == end { return lines }
                lines.append(line)
                continue
            }
            let d = output.availableData
            if d.isEmpty {
                outputEnded = true
                throw failure("ended before answering")
            }
            pending.append(d)
        }
    }

    private func failure(_ what: String) -> Failure {
        // The child has ended (or closed its output): the last of its standard error arrives before its end.
        if errors.ended.wait(timeout: .now() + 2) == .success { errors.ended.signal() }
        let last = errors.lastLine
        return Failure(message: "\(process.executableURL?.lastPathComponent ?? "the child") \(what)" + (last.isEmpty ? "" : ": \(last)"))
    }
}

/// The last 64 KB a child wrote on standard error.
private final class ErrorTail: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    /// Signalled when standard error has ended.
    let ended = DispatchSemaphore(value: 0)

    func append(_ d: Data) {
        lock.lock()
        defer { lock.unlock() }
        data.append(d)
        if data.count > 65_536 { data.removeFirst(data.count - 65_536) }
    }

    var lastLine: String {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
    }
}
