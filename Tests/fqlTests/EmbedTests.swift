// EmbedTests.swift — the README's embedding example (Examples/embed) is
// built with the package and run here: a Swift program loads the dataset,
// runs FQL and reads typed rows and an error value.

import Foundation
import XCTest

final class EmbedTests: XCTestCase {
    func testEmbeddingExampleRuns() throws {
        let p = Process()
        p.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent("fql-embed-example")
        p.arguments = [CLI.root + "/Datasets"]
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if p.isRunning { p.terminate() } }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(text, """
        basic: 61.11
        project: 113.14
        total: 174.25
        error unknownField: unknown field "untt"; did you mean "unit"?

        """)
    }
}
