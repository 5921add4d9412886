// CLITestSupport.swift — runs the real `fql` binary with arguments and standard
// input, and captures its standard output, standard error and exit status.

import Foundation
import RepoPaths
import XCTest

struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    static let root = RepoPaths.root

    /// The built `fql`, beside the test bundle.
    static var binary: URL {
        let bundleDir = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return bundleDir.appendingPathComponent("fql")
    }

    /// Runs fql in the repository root (so ./Datasets is the default dataset).
    /// `stdoutPath` sends standard output to that file instead of a pipe (/dev/full, to test write errors).
    /// `executable`: another program than fql (bash for a script, an installed fql).
    static func run(_ args: [String], stdin: String = "", environment: [String: String] = [:], stdoutPath: String? = nil,
                    directory: String? = nil, executable: URL? = nil) throws -> CLIResult {
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory ?? root)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FQL_DATA")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        if let stdoutPath {
            p.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            try outPipe.fileHandleForWriting.close()
        } else {
            p.standardOutput = outPipe
        }
        p.standardError = errPipe
        try p.run()
        // A hung fql fails its test instead of holding up the whole run.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if p.isRunning { p.terminate() } }
        inPipe.fileHandleForWriting.write(stdin.data(using: .utf8)!)
        try inPipe.fileHandleForWriting.close()
        // Both pipes drained at once: an error longer than a pipe's buffer must not stall fql.
        nonisolated(unsafe) var err = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            err = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus,
                         stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func tempFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fql-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
