// swift-tools-version:6.0
// FiscalQL: query Chinese departmental budget and final-accounts disclosures.
// Data flows one way: Import -> FiscalData (store) -> FQL (parse, check, evaluate) -> fql (CLI/REPL).
import PackageDescription

let package = Package(
    name: "FiscalQL",
    products: [
        .library(name: "FiscalData", targets: ["FiscalData"]),
        .executable(name: "fql", targets: ["fql"]),
    ],
    targets: [
        // Exact money, classification codes and catalogue, statements, the in-memory store, the dataset folder.
        .target(name: "FiscalData"),
        // libedit's native (histedit) API behind a module map and a small shim header.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The command line and the REPL.
        .executableTarget(name: "fql", dependencies: ["FiscalData", "CEditLine"]),
        .testTarget(name: "FiscalDataTests", dependencies: ["FiscalData"]),
        .testTarget(name: "fqlTests", dependencies: ["fql", "FiscalData"]),
    ],
    swiftLanguageModes: [.v6]
)
