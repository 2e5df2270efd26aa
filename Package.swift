// swift-tools-version: 6.0
import PackageDescription

/// Type metadata reached directly rather than by demangling its name at run time: each
/// first use of a generic type by name made the runtime search the program's 5,900
/// protocol conformances (BENCHMARKS.md, issue 14's twenty-sixth steps).
let directMetadata: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
]

let package = Package(
    name: "quizdoc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quizdoc", targets: ["quizdoc"]),
        .executable(name: "quizdoc-serve", targets: ["quizdoc-serve"]),
        .executable(name: "quizdoc-profile", targets: ["quizdoc-profile"]),
        .library(name: "QuizDocKit", targets: ["QuizDocKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // MARK: The quiz engine and its command line

        /// The engine: load → mirror → render → site → write, and the exports (Moodle XML,
        /// GIFT, QTI and Anki packages, printable handouts). Never prints or exits.
        .target(
            name: "QuizDocKit",
            dependencies: ["CByteScan", "CCmarkGFM", "CFileSwap", "CSQLite", "MustacheEngine", "YAMLReader", "TextDiff", "TokenCodec", "ValidatedUTF8",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: directMetadata
        ),
        /// The thin command-line front end. Linked with jemalloc (Debian `libjemalloc-dev`):
        /// a build allocates millions of small strings on both cores, and glibc's malloc
        /// cost a sixth of a full build's CPU time (see BENCHMARKS.md).
        /// `quizdoc serve`: the live preview (HTTP through FlyingFox, file watching, reload by
        /// Server-Sent Events, errors shown in the browser).
        .target(
            name: "QuizDocServe",
            dependencies: ["QuizDocKit", .product(name: "FlyingFox", package: "FlyingFox")],
            swiftSettings: directMetadata
        ),
        .executableTarget(
            name: "quizdoc",
            dependencies: [
                "CAllocator",
                "QuizDocKit",
                "QuizDocCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: directMetadata,
            linkerSettings: [
                .linkedLibrary("jemalloc", .when(platforms: [.linux])),
                // Linked at a fixed address (not position-independent) in release builds: a
                // position-independent program's 78,000 relocations are written into its
                // data as it starts, 200 pages copied for it on every run, 0.9 ms of each
                // command (BENCHMARKS.md, issue 14's twenty-second steps). Hugo, built by
                // Go, is linked so too. The price: its own code is not at a random address;
                // the shared libraries, heap and stacks still are. The preview server, which
                // listens on a socket, stays position-independent.
                .unsafeFlags(["-Xlinker", "-no-pie"], .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        /// `quizdoc serve`, a program of its own that `quizdoc` runs: its HTTP library imports
        /// FoundationNetworking, whose libcurl (and 27 more shared libraries) no other command
        /// should load.
        .executableTarget(
            name: "quizdoc-serve",
            dependencies: [
                "CAllocator",
                "QuizDocKit",
                "QuizDocServe",
                "QuizDocCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: directMetadata,
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        /// What the two programs share: the common flags and the printing of diagnostics.
        .target(
            name: "QuizDocCommandLine",
            dependencies: ["CByteScan", "QuizDocKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: directMetadata
        ),
        /// `build` and `check` from a synchronous `main`, for `valgrind --tool=callgrind`
        /// (`make callgrind`), which cannot run a Swift program with an async `main`.
        .executableTarget(
            name: "quizdoc-profile",
            dependencies: ["CAllocator", "QuizDocKit"],
            swiftSettings: directMetadata,
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),

        // MARK: Generic engines, each held to its own contract

        /// Mustache templates compiled once, rendered over typed values (the spec's core
        /// modules and inheritance).
        .target(name: "MustacheEngine", dependencies: ["CByteScan"], swiftSettings: directMetadata),
        /// YAML → a located tree: the plain subset quiz files use read by a fast reader of
        /// its own, anything else in one pass over libyaml's events, refusing anchors,
        /// aliases, tags, complex and duplicate keys, deep nesting and extra documents.
        /// libyaml is the copy Yams bundles: its `CYaml` module reaches this target through
        /// the Yams product (SwiftPM exposes a product's C modules to its dependants), which
        /// is why Yams is pinned exactly; the rest of Yams is used only as a test oracle.
        .target(
            name: "YAMLReader",
            dependencies: ["CByteScan", "ValidatedUTF8", .product(name: "Yams", package: "Yams")],
            swiftSettings: directMetadata
        ),
        /// Unified diffs of texts, line by line (Myers), as `diff -u` prints them.
        .target(name: "TextDiff", swiftSettings: directMetadata),
        /// A length-prefixed token format with a checksummed frame, and FNV-1a.
        .target(name: "TokenCodec", dependencies: ["CByteScan"], swiftSettings: directMetadata),
        /// Strings made from UTF-8 already validated, without validating it again.
        .target(name: "ValidatedUTF8", dependencies: ["CByteScan"], swiftSettings: directMetadata),

        // MARK: C

        /// The C library cmark-gfm from Debian, with its GFM extensions.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        /// Atomic swap of two folders, for replacing the whole site at once.
        .target(name: "CFileSwap"),
        /// jemalloc's settings (transparent huge pages), linked into the three programs.
        .target(name: "CAllocator"),
        /// Runs of bytes the text checks pass over, sixteen at a time.
        .target(name: "CByteScan"),
        /// SQLite from Debian (`libsqlite3-dev`), for the collection inside an Anki package.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // MARK: Tests

        .testTarget(
            name: "QuizDocKitTests",
            dependencies: ["QuizDocKit", "QuizDocCommandLine", "TextDiff", "TokenCodec", "ValidatedUTF8", "YAMLReader",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           // The oracle of the flags `quizdoc build` reads without it.
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "MustacheEngineTests",
            dependencies: [
                "MustacheEngine",
                // The differential oracle: a full implementation of the spec.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["spec"]
        ),
        .testTarget(
            name: "YAMLReaderTests",
            dependencies: ["YAMLReader", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(name: "TextDiffTests", dependencies: ["TextDiff"]),
        .testTarget(name: "TokenCodecTests", dependencies: ["TokenCodec"]),
    ]
)
