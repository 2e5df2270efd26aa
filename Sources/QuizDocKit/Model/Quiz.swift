/// The quiz of one phase: one YAML file in `data/quizzes/`.
public struct Quiz: Hashable, Sendable {
    /// The file's path relative to the project root, e.g. `data/quizzes/phase-26-quantization.yaml`.
    public var sourcePath: String
    /// The file name without `.yaml`, e.g. `phase-26-quantization`: the name of every output.
    public var baseName: String
    public var phase: Int
    /// The phase number exactly as the file name writes it (`26`, `0007`), used in question ids.
    public var phaseDigits: String
    public var title: LocalizedText
    public var questions: [Question]
    /// Lint rules the whole phase allows (`lint: {allow: [...]}` at the top of the file).
    public var lintAllowed: [String] = []
    /// Question ids whose translation may be outdated, per language code (set by the
    /// pipeline from the translation lock).
    public var outdated: [String: Set<String>] = [:]
    /// Texts to review (outdated or missing) per language code.
    public var pendingTranslations: [String: Int] = [:]
    /// The phase's translation lock file as this build leaves it (nil for one language).
    public var translationLock: [UInt8]?
    /// The lock file's stamp when the build read it, when `translationLock` is its bytes as read.
    var translationLockStamp: FileStamp?
}
