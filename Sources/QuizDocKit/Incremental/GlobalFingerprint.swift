import Foundation
import TokenCodec

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
