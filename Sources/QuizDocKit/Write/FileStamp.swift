import Foundation

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
        self.init(info)
    }

    /// The stamp of `path` below the folder `root`, as `init?(path: "\(root)/\(path)")`
    /// gives it, the joined path made on the stack: an edit stamps some 4,000 files, and
    /// joining their paths as strings cost more than stamping them.
    init?(root: String, path: String) {
        var root = root, path = path
        guard let stamp = root.withUTF8({ root in
            path.withUTF8 { path in Self.stamp(folder: root, name: path) { lstat($0, &$1) } }
        }) else { return nil }
        self = stamp
    }

    /// The stamp `call` gives for the path `folder/name` (`name` alone without a folder),
    /// made NUL-terminated on the stack.
    private static func stamp(folder: UnsafeBufferPointer<UInt8>?, name: UnsafeBufferPointer<UInt8>,
                              _ call: (UnsafePointer<CChar>, inout stat) -> Int32) -> FileStamp? {
        let head = folder.map { $0.count + 1 } ?? 0
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: head + name.count + 1) { joined -> FileStamp? in
            let base = joined.baseAddress!
            if let folder {
                if let source = folder.baseAddress { base.initialize(from: source, count: folder.count) }
                base[folder.count] = UInt8(ascii: "/")
            }
            if let source = name.baseAddress { (base + head).initialize(from: source, count: name.count) }
            base[head + name.count] = 0
            var info = stat()
            let found = base.withMemoryRebound(to: CChar.self, capacity: joined.count) { call($0, &info) } == 0
            return found ? FileStamp(info) : nil
        }
    }

    /// The stamp `stat` gave.
    init(_ info: stat) {
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// Stamps of many files below one root, each folder opened once: a stat relative to an
    /// open folder looks up one name, not every component of the path (a build with nothing
    /// to do stamps some 4,000 files). Paths sorted by folder make the most of it.
    struct Reader: ~Copyable {
        private let root: String
        /// The folder open, below the root, as UTF-8.
        private var folder: [UInt8] = []
        private var descriptor: Int32 = -1

        init(root: String) {
            self.root = root
        }

        deinit {
            if descriptor >= 0 { close(descriptor) }
        }

        /// The stamp of `path` (below the root) itself, as `FileStamp(path:)` gives it. On
        /// the path's bytes: the plan stamps some 4,000 files, and a `String` made of each
        /// name cost a fifth as much as the system call.
        mutating func stamp(_ path: String) -> FileStamp? {
            var path = path
            return path.withUTF8 { bytes -> FileStamp? in
                let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
                let parent = UnsafeBufferPointer(rebasing: bytes[..<(slash ?? 0)])
                // The folder's bytes compared at once (`elementsEqual` went a byte at a time).
                let sameFolder = folder.withUnsafeBufferPointer { sameBytes($0, parent) }
                if descriptor < 0 || !sameFolder {
                    if descriptor >= 0 { close(descriptor) }
                    folder = Array(parent)
                    descriptor = open(parent.isEmpty ? root : "\(root)/\(String(decoding: parent, as: UTF8.self))",
                                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                guard descriptor >= 0 else { return FileStamp(root: root, path: String(decoding: bytes, as: UTF8.self)) }
                let name = UnsafeBufferPointer(rebasing: bytes[(slash.map { $0 + 1 } ?? 0)...])
                let descriptor = descriptor
                return FileStamp.stamp(folder: nil, name: name) { fstatat(descriptor, $0, &$1, AT_SYMLINK_NOFOLLOW) }
            }
        }
    }
}
