import Foundation

/// 64-bit FNV-1a: a fast, stable content hash for telling changed inputs from unchanged
/// ones between two builds (not a defence against an adversary: a collision only costs a
/// stale page until the next change of that file).
struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    init() {}

    /// A hash as remembered in the manifest.
    init(value: UInt64) {
        self.value = value
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        value = hash
    }

    mutating func add(_ data: Data) {
        data.withUnsafeBytes { add($0) }
    }

    mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        add(Data([0]))
    }

    var description: String { String(value, radix: 16) }
}

/// Size and modification time of a file, the cheap first test for "unchanged".
struct FileStamp: Hashable, Sendable {
    var size: Int64
    var modified: Int64

    init(size: Int64, modified: Int64) {
        self.size = size
        self.modified = modified
    }

    /// The stamp of `path` itself (a symbolic link is not followed).
    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

enum GlobalFingerprint {
    /// Everything besides a phase's own YAML that its outputs depend on: quizdoc itself (its
    /// version and executable), every file under `templates/` (strings, templates, assets)
    /// and the options that change output.
    static func make(root: URL, options: BuildOptions) -> Fingerprint {
        var hash = Fingerprint()
        hash.add(QuizDocVersion.current)
        if let executable = Bundle.main.executablePath, let stamp = FileStamp(path: executable) {
            hash.add("\(stamp.size)/\(stamp.modified)")
        }
        hash.add(options.baseURL ?? "")
        let templates = root.appendingPathComponent("templates")
        let paths = (FileManager.default.subpaths(atPath: templates.path) ?? []).sorted()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: templates.appendingPathComponent(path).path) else { continue }
            hash.add(path)
            hash.add(data)
        }
        return hash
    }
}

/// quizdoc's version; part of every cache key.
public enum QuizDocVersion {
    public static let current = "0.1.0"
}
