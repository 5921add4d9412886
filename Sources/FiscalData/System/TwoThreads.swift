// TwoThreads.swift — work split in two and done side by side on a machine with
// more than one core (a large load's halves of statements.tsv, the store's
// columns to reorder, its indexes), each part writing only its own results.

import Foundation

/// Whether the machine has two cores or more.
let hasTwoCores = ProcessInfo.processInfo.activeProcessorCount > 1

/// From how many rows a store's columns are worth reordering, or its indexes making, on two threads.
let twoThreadRows = 1 << 20

/// Runs `part(0)` and `part(1)`, side by side where the machine has two cores or more and `parallel` is
/// true, else one after the other. Each part must write only what the other does not touch.
func inTwoParts(parallel: Bool = true, _ part: (Int) -> Void) {
    guard parallel, hasTwoCores else {
        part(0)
        part(1)
        return
    }
    withoutActuallyEscaping(part) { part in
        let work = Unchecked(value: part)
        DispatchQueue.concurrentPerform(iterations: 2) { work.value($0) }
    }
}

/// A value handed to the other thread of a two-part work, which touches only its own part of it.
struct Unchecked<T>: @unchecked Sendable { let value: T }
