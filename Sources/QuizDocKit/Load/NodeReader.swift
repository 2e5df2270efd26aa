import Foundation
import Yams

/// Typed, located reads from a composed YAML tree. Each read that fails adds a located error
/// to the bag and returns nil, so the caller can go on and report every problem of a file.
///
/// The tree is composed with Yams's `.basic` resolver: every plain scalar is a string, so
/// `no`, `on`, `0o17` or `12:30` never become booleans or numbers behind the author's back;
/// numbers are parsed here, strictly.
struct NodeReader {
    let path: String
    var bag = DiagnosticBag()

    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return .file(path) }
        return SourceLocation(path: path, line: mark.line, column: mark.column)
    }

    mutating func error(_ node: Node, _ message: String) {
        bag.error(location(of: node), message)
    }

    /// A short description of what a node is, for "expected X, found Y" messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            let text = scalar.string
            let shown = text.count > 30 ? String(text.prefix(30)) + "…" : text
            return "'\(shown)'"
        }
    }

    /// The values of a mapping by key, and the known keys that were misspelled (already
    /// reported as unknown keys, so not reported again as missing).
    struct Fields {
        var values: [String: Node] = [:]
        var misspelled: Set<String> = []

        subscript(key: String) -> Node? { values[key] }
    }

    /// The keys and values of a mapping, after checking that every key is one of `known`,
    /// with a "did you mean" for near misses.
    mutating func mapping(_ node: Node, what: String, known: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping with the keys \(known.joined(separator: ", ")); found \(describe(node))")
            return nil
        }
        var fields = Fields()
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { continue } // refused earlier by YAMLGate
            let name = scalar.string
            if known.contains(name) {
                fields.values[name] = value
            } else if let guess = Suggestion.nearest(to: name, in: known) {
                fields.misspelled.insert(guess)
                error(key, "unknown key '\(name)' in \(what); did you mean '\(guess)'?")
            } else {
                error(key, "unknown key '\(name)' in \(what); the known keys are \(known.joined(separator: ", "))")
            }
        }
        return fields
    }

    /// A required field: reports its absence at the mapping that lacks it.
    mutating func require(_ fields: Fields, _ key: String, in parent: Node, what: String) -> Node? {
        if let node = fields[key] { return node }
        guard !fields.misspelled.contains(key) else { return nil }
        error(parent, "\(what) is missing the key '\(key)'")
        return nil
    }

    /// A non-negative whole number written as plain digits: no sign, quotes, underscores,
    /// octal or hexadecimal prefixes, sexagesimal or fractional parts.
    mutating func integer(_ node: Node, what: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            error(node, "\(what) must be a whole number written without quotes; found \(describe(node))")
            return nil
        }
        let text = scalar.string
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            error(node, "\(what) must be a whole number like 3; found '\(text)'")
            return nil
        }
        guard let value = Int(text), range.contains(value) else {
            error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound); found \(text)")
            return nil
        }
        return value
    }

    /// A string: any scalar, plain or quoted, NFC-normalised, trailing white space trimmed.
    mutating func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be text; found \(describe(node))")
            return nil
        }
        return Self.clean(scalar.string)
    }

    static func clean(_ text: String) -> String {
        // Below U+0300 (where combining marks start) every text is already NFC; normalising
        // only the others keeps the common case, ASCII and Latin-1 Spanish, fast.
        var result = text.unicodeScalars.allSatisfy { $0.value < 0x300 } ? text : text.precomposedStringWithCanonicalMapping
        while let last = result.unicodeScalars.last, CharacterSet.whitespacesAndNewlines.contains(last) {
            result.unicodeScalars.removeLast()
        }
        return result
    }
}
