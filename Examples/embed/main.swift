// main.swift — an example program embedding FQL: load the bundled dataset,
// run a query, read typed values (amounts are exact Money; nulls are .null),
// and handle an error as a value. Built and run by the tests (EmbedTests).

import FiscalData
import FQL

let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Datasets"
do {
    let engine = try Engine(folder: folder)
    let table = try engine.query(#"final | where unit ~ "蔡甸" and year = 2024 | sum by nature"#)
    var total = Money.zero
    for row in table.rows {
        guard case .text(let nature) = row[0], case .money(let amount) = row[1] else { continue }
        total = try total.adding(amount)
        print("\(nature): \(amount)")
    }
    print("total: \(total)")
    // Errors are values too: kind, place, and the message with its caret.
    for outcome in engine.run("final | where untt ~ \"蔡甸\"") {
        if case .failure(let error, _) = outcome { print("error \(error.kind): \(error.message)") }
    }
} catch {
    print("cannot run: \(error)")
}
