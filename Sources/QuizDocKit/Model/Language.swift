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
        let template = strings[key] ?? key.rawValue
        guard !values.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        // One pass: each `{name}` with a value is replaced, anything else is kept as written.
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}"),
                  let value = values[String(rest[afterOpen..<close])] else {
                result += "{"
                rest = rest[afterOpen...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// "2", "2 and 4", "1, 3 and 4": a list in this language's words.
    public func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " \(text(.listAnd)) " + last
    }
}
