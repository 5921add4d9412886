// swift-tools-version:6.0
// FiscalQL: query Chinese departmental budget and final-accounts disclosures.
// Data flows one way: Import -> FiscalData (store) -> FQL (parse, check, evaluate) -> fql (CLI/REPL).
import PackageDescription

let package = Package(
    name: "FiscalQL",
    products: [
        .library(name: "FiscalData", targets: ["FiscalData"]),
        .library(name: "FiscalImport", targets: ["FiscalImport"]),
        .library(name: "FQL", targets: ["FQL"]),
        .executable(name: "fql", targets: ["fql"]),
    ],
    dependencies: [
        // The command line's parsing, per-command help and shell completion scripts (Sources/fql/Commands.swift).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Exact money, classification codes and catalogue, statements, the in-memory store, the dataset folder.
        .target(name: "FiscalData"),
        // Disclosure text or PDF → statements: tables (recognised by the titles in Vocabulary/tables.tsv, rebuilt
        // from word positions for PDFs), number and code repair, prose, diagnostics.
        .target(name: "FiscalImport", dependencies: ["FiscalData"], resources: [.copy("Vocabulary/tables.tsv")]),
        // The query language: Syntax (lexer, parser) → Check (plan) → Eval (facts, stages) → Output; Engine embeds it.
        .target(name: "FQL", dependencies: ["FiscalData"]),
        // libedit's native (histedit) API behind a module map and a small shim header.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The command line and the REPL.
        .executableTarget(name: "fql", dependencies: ["FiscalData", "FiscalImport", "FQL", "CEditLine",
                                                      .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The embedding example of the README, built and run by the tests.
        .executableTarget(name: "fql-embed-example", dependencies: ["FQL", "FiscalData"], path: "Examples/embed"),
        .executableTarget(name: "fql-bench", dependencies: ["FQL", "FiscalData"], path: "Benchmarks/fql-bench"),
        // The fuzzing targets (scripts/fuzz.sh builds them for libFuzzer); built plainly, a corpus replayer.
        .executableTarget(name: "fql-fuzz", dependencies: ["FQL", "FiscalData", "FiscalImport"], path: "Fuzz/fql-fuzz"),
        .target(name: "RepoPaths", path: "Tests/Support"),
        .testTarget(name: "FiscalDataTests", dependencies: ["FiscalData", "RepoPaths"]),
        .testTarget(name: "FiscalImportTests", dependencies: ["FiscalImport", "FiscalData", "FQL", "RepoPaths"], exclude: ["Variants"]),
        .testTarget(name: "FQLTests", dependencies: ["FQL", "FiscalData", "RepoPaths"], exclude: ["Golden"]),
        .testTarget(name: "fqlTests", dependencies: ["fql", "fql-embed-example", "fql-fuzz", "FiscalData", "FQL", "RepoPaths"], exclude: ["QueriesExpected", "Malformed"]),
    ],
    swiftLanguageModes: [.v6]
)
