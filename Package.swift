// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "quizdoc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quizdoc", targets: ["quizdoc"]),
        .library(name: "QuizDocKit", targets: ["QuizDocKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        /// The C library cmark-gfm from Debian, with its GFM extensions.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        /// Atomic swap of two folders, for replacing the whole site at once.
        .target(name: "CFileSwap"),
        /// The engine: load → mirror → render → site → write. Never prints or exits.
        .target(
            name: "QuizDocKit",
            dependencies: [
                "CCmarkGFM",
                "CFileSwap",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// The thin command-line front end. Linked with jemalloc (Debian `libjemalloc-dev`):
        /// a build allocates millions of small strings on both cores, and glibc's malloc
        /// cost a sixth of a full build's CPU time (see BENCHMARKS.md).
        .executableTarget(
            name: "quizdoc",
            dependencies: [
                "QuizDocKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "QuizDocKitTests",
            dependencies: [
                "QuizDocKit",
                // Only to check quizdoc's own template engine against it.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Golden"]
        ),
    ]
)
