import CByteScan
import ValidatedUTF8

/// One language of the course: its code (`en`, `es`) and the UI words quizdoc writes in it.
public struct Language: Hashable, Sendable {
    public let code: String
    let strings: [UIString: String]

    public init(code: String, strings: [UIString: String]) {
        self.code = code
        self.strings = strings
    }

    /// English is the language every text must have; the others fall back to it.
    public static let primaryCode = "en"
    public var isPrimary: Bool { code == Self.primaryCode }

    /// The UI string `key` with each `{name}` replaced by `values[name]`.
    public func text(_ key: UIString, _ values: [String: String] = [:]) -> String {
        var template = strings[key] ?? key.rawValue
        guard !values.isEmpty else { return template }
        // One pass over the UTF-8: each `{name}` with a value is replaced, anything else is
        // kept as written.
        let filled: String? = template.withUTF8 { bytes in
            var result = ""
            var copied = 0, index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "{") else {
                    index += 1
                    continue
                }
                var close = index + 1
                while close < bytes.count, bytes[close] != UInt8(ascii: "}") { close += 1 }
                guard close < bytes.count,
                      let value = values[String(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close]))] else {
                    index += 1
                    continue
                }
                result += String(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                result += value
                index = close + 1
                copied = index
            }
            guard copied > 0 else { return nil }
            result += String(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return result
        }
        return filled ?? template
    }

    /// `text(key, [name: value])` for any value, the UI string taken apart once: its pieces
    /// between the `{name}`s, joined by the value (a page fills one string per question).
    func filling(_ key: UIString, _ name: String) -> (String) -> String {
        let pieces = Self.pieces(of: strings[key] ?? key.rawValue, around: "{\(name)}")
        return { pieces.joined(separator: $0) }
    }

    /// The pieces of `text` before, between and after the occurrences of `marker` (ASCII),
    /// found in its bytes (`memmem`): a split on a string separator matched it character by
    /// character, 36,000 instructions a page. A `}` that a combining mark follows ends the
    /// marker here, where it did not there.
    static func pieces(of text: String, around marker: String) -> [String] {
        var text = text, marker = marker
        return text.withUTF8 { bytes in
            marker.withUTF8 { marker in
                guard let base = bytes.baseAddress, let needle = marker.baseAddress, !marker.isEmpty else { return [String(validatedUTF8: bytes)] }
                var pieces: [String] = []
                var start = 0
                while true {
                    let found = start + quizdoc_find(base + start, bytes.count - start, needle, marker.count)
                    pieces.append(String(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[start..<found])))
                    guard found < bytes.count else { return pieces }
                    start = found + marker.count
                }
            }
        }
    }

    /// "2", "2 and 4", "1, 3 and 4": a list in this language's words.
    public func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " \(text(.listAnd)) " + last
    }
}
