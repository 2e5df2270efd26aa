import Foundation
import TokenCodec

enum GlobalFingerprint {
    /// Everything besides a phase's own YAML (and its translation lock, checked by its stamp)
    /// that its outputs and diagnostics depend on: quizdoc itself (its version and its
    /// programs), every file under `templates/` (strings, templates, assets), the course
    /// settings (`quizdoc.yaml`) and the flags that change output. It is made before any of
    /// these is read, so from the flags as given: the settings' own values are in its bytes.
    static func make(root: URL, options: BuildOptions) -> Fingerprint {
        var hash = Fingerprint()
        hash.add(QuizDocVersion.current)
        // Both programs (`quizdoc`, and `quizdoc-serve`, which `quizdoc serve` runs), found
        // beside the one running: a build and the preview server take over each other's work.
        // The one running is found by the kernel's link, as `quizdoc serve` finds its server
        // (making `Bundle.main` lists the program's folder twice: 3 ms of a one-question edit).
        if let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath {
            let folder = (executable as NSString).deletingLastPathComponent
            for program in ["quizdoc", "quizdoc-serve"] {
                if let stamp = FileStamp(path: "\(folder)/\(program)") { hash.add("\(program) \(stamp.size)/\(stamp.modified)") }
            }
        }
        hash.add(options.baseURL ?? "")
        hash.add(options.editURL ?? "")
        var ignored = DiagnosticBag()
        if let settings = InputFile.read(CourseSettings.path, root: root, limit: Limits.fileBytes, bag: &ignored) {
            settings.withUnsafeBytes { hash.add($0) }
        }
        add(ProjectLayout.templates, root: root, depth: 0, to: &hash)
        return hash
    }

    /// Every regular file below `folder`, through the input gate: links, devices and pipes
    /// are never opened here (the theme's loading reports them).
    private static func add(_ folder: String, root: URL, depth: Int, to hash: inout Fingerprint) {
        var ignored = DiagnosticBag()
        for name in InputFile.list(folder, root: root, required: false, bag: &ignored) ?? [] {
            let path = "\(folder)/\(name)"
            hash.add(path)
            switch InputFile.kind(path, root: root) {
            case .folder where depth < Limits.assetDepth + 2:
                add(path, root: root, depth: depth + 1, to: &hash)
            case .file:
                if let bytes = InputFile.read(path, root: root, limit: Limits.assetBytes, bag: &ignored) {
                    bytes.withUnsafeBytes { hash.add($0) }
                }
            default:
                hash.add("(not a file)")
            }
        }
    }
}

/// quizdoc's version; part of every cache key.
public enum QuizDocVersion {
    public static let current = "0.1.0"
}
