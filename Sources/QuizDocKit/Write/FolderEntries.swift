import Foundation

/// The entries of a folder, each with whether it is a folder itself, from one pass of
/// `readdir`: the file system says the kind of each entry, so a walk of the site's 4,000
/// files needs no `lstat` each to find its eight folders. A symbolic link is not a folder
/// here, and a path that is one is not listed (nil): `BuildSink.removeTree` deletes what it
/// lists, and a link planted in `docs-out/` must never lead it elsewhere.
enum FolderEntries {
    /// The names in a folder, one that is a symbolic link listed through it (as FileManager
    /// lists it, which does it then); none when it cannot be listed.
    static func names(_ path: String) -> [String] {
        list(path)?.map(\.name) ?? (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    static func list(_ path: String) -> [(name: String, isFolder: Bool)]? {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard let folder = fdopendir(descriptor) else {
            close(descriptor)
            return nil
        }
        defer { closedir(folder) }
        var entries: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(folder) {
            let kind = entry.pointee.d_type
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var isFolder = kind == UInt8(DT_DIR)
            if kind == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat("\(path)/\(name)", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            entries.append((name, isFolder))
        }
        return entries
    }
}
