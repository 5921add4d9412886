// Subprocess.swift — runs another program (pdftotext for the importer, an
// engine's Python for FQL's SQL backends) with some standard input, and
// returns its standard output, standard error and exit status. Both output
// pipes are drained at once, so that neither fills and stalls the child.

import Foundation

public enum Subprocess {
    /// Runs `executable` with `arguments`; `input` (none: /dev/null) on its standard input.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> (out: Data, err: String, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = input.map { _ in Pipe() }
        p.standardInput = inPipe ?? FileHandle.nullDevice
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let inPipe, let input {
            DispatchQueue.global().async {
                inPipe.fileHandleForWriting.write(input)
                try? inPipe.fileHandleForWriting.close()
            }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (outData, String(decoding: errData, as: UTF8.self), p.terminationStatus)
    }
}
