import Foundation

/// The entries of a folder, each with whether it is a folder itself, from one pass of
/// `readdir`: the file system says the kind of each entry, so the site's 4,000 files need
/// no `lstat` each to find its eight folders. A symbolic link is not a folder here, and a
/// path that is one is not listed (nil): `BuildSink.removeTree` deletes what it lists, and
/// a link planted in `docs-out/` must never lead it elsewhere.
enum FolderEntries {
    static func list(_ path: String) -> [(name: String, isFolder: Bool)]? {
        list(path, foldersOnly: false)
    }

    /// The folders among the entries: a name is made only for them (the site's 4,000 files
    /// are passed by their kind).
    static func folders(_ path: String) -> [String]? {
        list(path, foldersOnly: true)?.map(\.name)
    }

    private static func list(_ path: String, foldersOnly: Bool) -> [(name: String, isFolder: Bool)]? {
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
            if foldersOnly, kind != UInt8(DT_DIR), kind != UInt8(DT_UNKNOWN) { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var isFolder = kind == UInt8(DT_DIR)
            if kind == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat("\(path)/\(name)", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if foldersOnly, !isFolder { continue }
            entries.append((name, isFolder))
        }
        return entries
    }
}
