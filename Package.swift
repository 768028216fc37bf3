// swift-tools-version:6.1
import PackageDescription

// Engine is compiled with -O in every configuration: chapters train through it, and
// `swift run lessons run 12-gru` (a debug build) must train as fast as a release build.
// -wmo as well: a debug build otherwise compiles file by file, and a loop in one file cannot
// inline (nor vectorize) a kernel from another, such as the vectorized e^x.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo", "-disable-batch-mode", "-num-threads", "2", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "lessons",
    products: [
        .executable(name: "lessons", targets: ["lessons"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    // oneDNN: Engine's matrix products on oneDNN (Ops/DNNL.swift). Without it
    // (`swift build --disable-default-traits`) they run on OpenBLAS (Ops/BLASProducts.swift): slower,
    // for machines without libdnnl. scripts/test-fallback builds and tests that way.
    traits: [
        .default(enabledTraits: ["oneDNN"]),
        .trait(name: "oneDNN", description: "Matrix products on oneDNN (libdnnl) rather than OpenBLAS"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // Tests only: parses examples/github-actions/grade.yml.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // lessons serve: a small HTTP server without SwiftNIO (README, "Reading the book").
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // System libraries, each wrapped once: only Engine imports CBLAS and CDNNL (the latter with
        // the oneDNN trait only), only Notebook imports CMarkGFM.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CMarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        // The runner protocol: what a chapter program and the runner say to each other.
        .target(name: "ChapterRuntime"),
        .target(name: "Engine",
                dependencies: ["CBLAS", .target(name: "CDNNL", condition: .when(traits: ["oneDNN"])), "ChapterRuntime",
                               .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: optimized),
        .target(name: "Experiments", dependencies: ["Engine"], swiftSettings: optimized),
        .target(name: "Notebook", dependencies: ["CMarkGFM", "ChapterRuntime", "Engine"]),
        // Grading: runs submissions through Notebook's pipeline, scores them with grader programs.
        .target(name: "Grade", dependencies: ["ChapterRuntime", "Notebook"]),
        // Render: stored results → an offline HTML book, and Jupyter notebooks (reads report values only).
        .target(name: "Render", dependencies: ["Notebook"], resources: [.copy("Assets")]),
        // Preview: lessons serve, the rendered book on loopback with live reload.
        .target(name: "Preview", dependencies: ["Notebook", "Render", .product(name: "FlyingFox", package: "FlyingFox"),
                                                  .product(name: "FlyingSocks", package: "FlyingFox")]),
        .executableTarget(name: "lessons",
                          dependencies: ["Engine", "Experiments", "Grade", "Notebook", "Preview", "Render",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "EngineTests", dependencies: ["ChapterRuntime", "Engine", "Experiments"], exclude: ["Fixtures"]),
        // Runs the real `lessons` binary for the end-to-end tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "TestSupport"]),
        .testTarget(name: "GradeTests", dependencies: ["Engine", "Grade", "Notebook", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "RenderTests", dependencies: ["Notebook", "Render", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
