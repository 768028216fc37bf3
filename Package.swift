// swift-tools-version:6.0
import PackageDescription

// Engine is compiled with -O in every configuration: chapters train through it, and
// `swift run lessons run 12-gru` (a debug build) must train as fast as a release build.
// -wmo as well: a debug build otherwise compiles file by file, and a loop in one file cannot
// inline (nor vectorize) a kernel from another, such as the vectorized e^x.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo", "-disable-batch-mode", "-num-threads", "2", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "lessons",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lessons", targets: ["lessons"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // System libraries, each wrapped once: only Engine imports CBLAS and CDNNL, only Notebook imports CMarkGFM.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CMarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        .target(name: "Engine",
                dependencies: ["CBLAS", "CDNNL", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: optimized),
        .target(name: "Experiments", dependencies: ["Engine"], swiftSettings: optimized),
        .target(name: "Notebook", dependencies: ["CMarkGFM", "Engine"]),
        .executableTarget(name: "lessons",
                          dependencies: ["Engine", "Experiments", "Notebook",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "EngineTests", dependencies: ["Engine", "Experiments"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
    ],
    swiftLanguageModes: [.v5]
)
