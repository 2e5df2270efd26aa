/// The parts of a quiz file name, `phase-<NN>-<slug>.yaml`: `NN` at least two digits,
/// `slug` lowercase letters, digits and single hyphens. Because every output is named after
/// it, this pattern is also what keeps outputs inside their folders.
struct QuizFileName: Hashable, Sendable {
    let baseName: String
    let phaseDigits: String
    let phase: Int

    static let example = "phase-26-quantization.yaml"

    /// Read over the name's UTF-8 in one pass: the pattern is ASCII, and a list of 1,000 quiz
    /// files is read on every build, the no-op ones included (split into parts and compared
    /// through `String.UTF8View`, a name cost 6,700 instructions).
    init?(_ fileName: String) {
        var name = fileName
        guard let (phase, digitsEnd) = name.withUTF8(Self.parse) else { return nil }
        let utf8 = Array(fileName.utf8)
        baseName = String(decoding: utf8[..<(utf8.count - Self.suffix.count)], as: UTF8.self)
        phaseDigits = String(decoding: utf8[Self.prefix.count..<digitsEnd], as: UTF8.self)
        self.phase = phase
    }

    private static let prefix = Array("phase-".utf8), suffix = Array(".yaml".utf8)

    /// The phase number and where its digits end, when `bytes` is `phase-`, 2 to 5 digits,
    /// `-`, a slug of lowercase letters and digits in parts joined by single hyphens, `.yaml`.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        let end = bytes.count - suffix.count
        guard end > prefix.count, bytes.starts(with: prefix), bytes[end...].elementsEqual(suffix) else { return nil }
        var index = prefix.count, phase = 0
        while index < end, isDigit(bytes[index]) {
            phase = phase * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digitsEnd = index
        guard (2...5).contains(digitsEnd - prefix.count), index < end, bytes[index] == UInt8(ascii: "-") else { return nil }
        // The slug: no empty part, so no hyphen first, last or next to another.
        var partLength = 0
        for byte in bytes[(index + 1)..<end] {
            if byte == UInt8(ascii: "-") {
                guard partLength > 0 else { return nil }
                partLength = 0
            } else {
                guard isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) else { return nil }
                partLength += 1
            }
        }
        return partLength > 0 ? (phase, digitsEnd) : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
