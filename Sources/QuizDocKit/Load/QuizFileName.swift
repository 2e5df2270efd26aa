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
        guard let parts = name.withUTF8({ bytes -> (String, String, Int)? in
            guard let (phase, digitsEnd) = Self.parse(bytes) else { return nil }
            return (String(decoding: bytes[..<(bytes.count - Self.suffix.count)], as: UTF8.self),
                    String(decoding: bytes[Self.prefix.count..<digitsEnd], as: UTF8.self), phase)
        }) else { return nil }
        (baseName, phaseDigits, phase) = parts
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
