// LineServerTests.swift — a child kept running between requests (the SQL
// engines' driver): each request answered up to its end line, a failure named
// with the child's last line on standard error, and a child that does not end
// when its input closes terminated when the server is released.

import Foundation
import XCTest
@testable import FiscalData

final class LineServerTests: XCTestCase {
    func testRequestsAreAnsweredInTurnByOneChild() throws {
        // A shell that echoes each line twice, then "==".
        let server = try LineServer("/bin/sh", ["-c", "while read -r l; do echo \"$l\"; echo \"$l$l\"; echo ==; done"])
        XCTAssertEqual(try server.request("a", end: "=="), ["a", "aa"])
        XCTAssertEqual(try server.request("图表", end: "=="), ["图表", "图表图表"])
    }

    func testAChildThatEndsBeforeAnsweringIsAFailureWithItsLastError() throws {
        let server = try LineServer("/bin/sh", ["-c", "read -r l; echo 'cannot open the export' >&2; exit 3"])
        XCTAssertThrowsError(try server.request("q", end: "==")) { error in
            XCTAssertEqual((error as? LineServer.Failure)?.message, "sh ended before answering: cannot open the export")
        }
        XCTAssertThrowsError(try server.request("again", end: "==")) { error in
            XCTAssertEqual((error as? LineServer.Failure)?.message, "sh has ended: cannot open the export")
        }
    }

    func testAChildThatIgnoresTheEndOfItsInputIsTerminatedWhenReleased() throws {
        // `sleep` never reads its input: closing it does not end the child. Releasing the server must not wait
        // for it forever (the test would hang).
        var server: LineServer? = try LineServer("/bin/sleep", ["600"])
        XCTAssertNotNil(server)
        server = nil
    }
}
