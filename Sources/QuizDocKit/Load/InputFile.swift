import CByteScan
import Foundation

/// The one gate for every file quizdoc reads from a project: quiz files, UI strings,
/// templates and assets. Everything the build reads is untrusted, so a file must be a
/// regular file reached without following any symbolic link (none in its path below the
/// project root either), within a size limit, and readable; anything else is a located
/// error. A link that pointed at `/proc/self/environ` or a file outside the project would
/// otherwise publish it in the site.
enum InputFile {
    /// What a path below the root is, seen with `lstat` (never through a link).
    enum Kind: Equatable {
        case missing, file(size: Int), folder, link, other
    }

    static func kind(_ path: String, root: URL) -> Kind { kind(path, rootPath: root.path) }

    /// The same with the root as a path (`URL.path` makes a new string on each call).
    static func kind(_ path: String, rootPath: String) -> Kind { look(path, rootPath: rootPath).kind }

    /// What the path is, and its stamp when it is there.
    private static func look(_ path: String, rootPath: String) -> (kind: Kind, stamp: FileStamp?) {
        var info = stat()
        guard lstat("\(rootPath)/\(path)", &info) == 0 else { return (.missing, nil) }
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .file(size: Int(info.st_size))
        case S_IFDIR: .folder
        case S_IFLNK: .link
        default: .other
        }
        return (kind, FileStamp(info))
    }

    /// The first folder on the way to `path` (below the root) that is a symbolic link or
    /// not a folder, if any.
    static func brokenAncestor(of path: String, root: URL) -> String? { brokenAncestor(of: path, rootPath: root.path) }

    static func brokenAncestor(of path: String, rootPath: String) -> String? {
        var prefix = ""
        for component in path.utf8.split(separator: UInt8(ascii: "/")).dropLast() {
            prefix += (prefix.isEmpty ? "" : "/") + String(Substring(component))
            switch kind(prefix, rootPath: rootPath) {
            case .folder, .missing: continue
            default: return prefix
            }
        }
        return nil
    }

    /// The bytes of the file at `path` (relative to the root), or nil with the problem in
    /// the bag. With `optional`, a missing file is nil and no problem (one look at the file,
    /// where a separate `kind` check would make two).
    static func read(_ path: String, root: URL, limit: Int, optional: Bool = false, bag: inout DiagnosticBag) -> [UInt8]? {
        readStamped(path, root: root, limit: limit, optional: optional, bag: &bag)?.bytes
    }

    /// The same, with the file's stamp as it was when looked at, before it was read: a later
    /// look that finds the same stamp finds these bytes (as a mirror's stamp is taken at its
    /// word), and one that finds another stamp may not.
    static func readStamped(_ path: String, root: URL, limit: Int, optional: Bool = false,
                            bag: inout DiagnosticBag) -> (bytes: [UInt8], stamp: FileStamp)? {
        let rootPath = root.path
        let (pathKind, stamp) = look(path, rootPath: rootPath)
        if optional, pathKind == .missing { return nil }
        if let ancestor = brokenAncestor(of: path, rootPath: rootPath) {
            bag.error(.file(path), "\(ancestor)/ is a symbolic link or not a folder; quizdoc reads only real folders inside the project")
            return nil
        }
        switch pathKind {
        case .file(let size) where size > limit:
            bag.error(.file(path), "the file is \(size) bytes; the limit is \(limit) bytes")
            return nil
        case .file:
            break
        case .link:
            bag.error(.file(path), "is a symbolic link, which quizdoc does not follow; put the file itself here")
            return nil
        case .missing:
            bag.error(.file(path), "the file is missing")
            return nil
        case .folder, .other:
            bag.error(.file(path), "is not a regular file")
            return nil
        }
        // O_NOFOLLOW: a link swapped in since the check is refused, not followed.
        let descriptor = open("\(rootPath)/\(path)", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            bag.error(.file(path), "cannot read the file; check its permissions")
            return nil
        }
        defer { close(descriptor) }
        guard case .file(let size) = pathKind, let stamp else { return nil }
        switch readAll(descriptor, limit: limit, expected: size) {
        case .bytes(let bytes):
            return (bytes, stamp)
        case .failed(let reason):
            bag.error(.file(path), "cannot read the file: \(reason)")
        case .tooLarge:
            bag.error(.file(path), "the file grew past the limit of \(limit) bytes while quizdoc read it")
        }
        return nil
    }

    enum ReadAll {
        case bytes([UInt8])
        case failed(String)
        /// More than the limit: the file grew while it was read, or is not what it should be.
        case tooLarge
    }

    /// Everything left to read from an open file, up to `limit` bytes; `expected`, the size
    /// the file had when looked at, is read straight into the result.
    static func readAll(_ descriptor: Int32, limit: Int, expected: Int = 0) -> ReadAll {
        var failure: String?
        // One byte more than expected, to see the end in the same reads.
        let first = min(max(expected, 0), limit) + 1
        var bytes = [UInt8](unsafeUninitializedCapacity: first) { buffer, count in
            count = 0
            quizdoc_prefault(buffer.baseAddress, first)
            while count < buffer.count {
                let read = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if read < 0, errno == EINTR { continue }
                if read < 0 { failure = String(cString: strerror(errno)) }
                guard read > 0 else { return }
                count += read
            }
        }
        if let failure { return .failed(failure) }
        if bytes.count < first { return .bytes(bytes) }
        // Longer than expected (it grew, or no size was given): the rest a chunk at a time.
        if bytes.count > limit { return .tooLarge }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failed(String(cString: strerror(errno))) }
            if count == 0 { return .bytes(bytes) }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > limit { return .tooLarge }
        }
    }

    /// The bytes of a regular file quizdoc wrote (a committed mirror, a file of the current
    /// site), or nil when it is not one, is larger than `limit` or cannot be read: one
    /// `open`, where FileManager's `contents` looked a missing file up three times (for each
    /// of the 2,000 mirrors of a build into an empty folder) and read through Foundation's
    /// machinery (most of reading back the 190 chunks of a search index).
    /// With `stamp`, only while the file has it (a file a build wrote, not changed since),
    /// the stamp taken from the file opened.
    static func contents(ofOutput path: String, limit: Int, stamp: FileStamp? = nil) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, stamp.map({ FileStamp(info) == $0 }) ?? true,
              case .bytes(let bytes) = readAll(descriptor, limit: limit, expected: Int(info.st_size)) else { return nil }
        return bytes
    }

    /// The names in a folder (sorted), which must be a real folder inside the project; nil
    /// with a located error otherwise (`required`), or nil silently when it is simply absent.
    static func list(_ folder: String, root: URL, required: Bool, bag: inout DiagnosticBag) -> [String]? {
        // Made once: a `URL`'s `path` is a new string each time, some 15,000 instructions.
        let rootPath = root.path
        if let ancestor = brokenAncestor(of: folder + "/x", rootPath: rootPath) {
            bag.error(.file(folder), "\(ancestor)/ is a symbolic link or not a folder; quizdoc reads only real folders inside the project")
            return nil
        }
        switch kind(folder, rootPath: rootPath) {
        case .folder:
            // One pass of `readdir` (FileManager's listing cost 1,100 instructions a name, and
            // every build lists the course's 1,000 quiz files).
            guard let entries = FolderEntries.list("\(rootPath)/\(folder)") else {
                bag.error(.file(folder), "cannot list the folder; check its permissions")
                return nil
            }
            return entries.map(\.name).sortedAsBytes()
        case .missing where !required:
            return nil
        case .missing:
            bag.error(.file(folder), "the folder is missing")
            return nil
        case .link:
            bag.error(.file(folder), "is a symbolic link, which quizdoc does not follow; put the folder itself here")
            return nil
        case .file, .other:
            bag.error(.file(folder), "is not a folder")
            return nil
        }
    }
}
