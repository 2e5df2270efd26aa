/// The parts of a quiz file name, `phase-<NN>-<slug>.yaml`: `NN` at least two digits,
/// `slug` lowercase letters, digits and single hyphens. Because every output is named after
/// it, this pattern is also what keeps outputs inside their folders.
struct QuizFileName: Hashable, Sendable {
    let baseName: String
    let phaseDigits: String
    let phase: Int

    static let example = "phase-26-quantization.yaml"

    /// Read over the name's UTF-8: the pattern is ASCII, and a list of 1,000 quiz files is
    /// read on every build, the no-op ones included.
    init?(_ fileName: String) {
        guard fileName.hasSuffix(".yaml") else { return nil }
        let base = String(fileName.dropLast(".yaml".count))
        let parts = base.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].elementsEqual("phase".utf8) else { return nil }
        let digits = parts[1]
        guard (2...5).contains(digits.count), digits.allSatisfy(Self.isDigit), let phase = Int(Substring(digits)) else { return nil }
        let slug = parts.dropFirst(2)
        guard slug.allSatisfy({ !$0.isEmpty && $0.allSatisfy { Self.isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) } })
        else { return nil }
        self.baseName = base
        self.phaseDigits = String(Substring(digits))
        self.phase = phase
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
