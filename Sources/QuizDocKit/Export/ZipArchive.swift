import Foundation
import ZIPFoundation

/// A zip made in memory with the same bytes for the same entries: entries in the order
/// given, every date 1980-01-01 00:00 (zip's first), fixed permissions, deflated.
enum ZipArchive {
    static let date = Date(timeIntervalSince1970: 315_532_800)

    static func make(_ entries: [(path: String, contents: Data)], compress: Bool = true) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, contents) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(contents.count), modificationDate: date,
                                 permissions: 0o644, compressionMethod: compress ? .deflate : .none) { position, size in
                contents.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        guard let data = archive.data else { throw WriteError(path: "zip", reason: "the archive was not made in memory") }
        return data
    }
}
