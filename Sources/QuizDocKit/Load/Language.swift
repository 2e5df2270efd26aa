import Foundation

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
        var result = strings[key] ?? key.rawValue
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }

    /// "2", "2 and 4", "1, 3 and 4": a list in this language's words.
    public func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " \(text(.listAnd)) " + last
    }
}
