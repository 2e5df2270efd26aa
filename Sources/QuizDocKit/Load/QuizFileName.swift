/// The parts of a quiz file name, `phase-<NN>-<slug>.yaml`: `NN` at least two digits,
/// `slug` lowercase letters, digits and single hyphens. Because every output is named after
/// it, this pattern is also what keeps outputs inside their folders.
struct QuizFileName: Hashable, Sendable {
    let baseName: String
    let phaseDigits: String
    let phase: Int

    static let example = "phase-26-quantization.yaml"

    init?(_ fileName: String) {
        guard fileName.hasSuffix(".yaml") else { return nil }
        let base = String(fileName.dropLast(".yaml".count))
        let parts = base.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "phase" else { return nil }
        let digits = parts[1]
        guard (2...5).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let phase = Int(digits) else { return nil }
        let slug = parts.dropFirst(2)
        guard slug.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLowercaseASCIILetter || $0.isASCIIDigit } }) else { return nil }
        self.baseName = base
        self.phaseDigits = String(digits)
        self.phase = phase
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isLowercaseASCIILetter: Bool { isASCII && isLowercase && isLetter }
}
