import CByteScan
import TokenCodec
import Foundation
import YAMLReader

/// Typed, located reads from a composed YAML tree. Each read that fails adds a located error
/// to the bag and returns nil, so the caller can go on and report every problem of a file.
/// Every scalar of the tree is text; numbers are parsed here, strictly.
struct NodeReader {
    let path: String
    var bag = DiagnosticBag()

    func location(of node: YAMLNode) -> SourceLocation {
        SourceLocation(path: path, line: node.line, column: node.column)
    }

    mutating func error(_ node: YAMLNode, _ message: String) {
        bag.error(location(of: node), message)
    }

    /// A short description of what a node is, for "expected X, found Y" messages.
    func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, _):
            let shown = text.count > 30 ? String(text.prefix(30)) + "…" : text
            return "'\(shown)'"
        }
    }

    /// The values of a mapping by key, and the known keys that were misspelled (already
    /// reported as unknown keys, so not reported again as missing).
    /// A list, not a dictionary: a mapping has a handful of keys, each once.
    struct Fields {
        /// A key and its value (a struct: an array of tuples is destroyed through the
        /// runtime's generic tuple witness, element by element).
        struct Field {
            var key: String
            var value: YAMLNode
        }

        var values: [Field] = []
        var misspelled: [String] = []

        subscript(key: String) -> YAMLNode? { values.first { $0.key == key }?.value }
    }

    /// The keys and values of a mapping, after checking that every key is one of `known`,
    /// with a "did you mean" for near misses.
    mutating func mapping(_ node: YAMLNode, what: String, known: [String]) -> Fields? {
        guard case .mapping(let pairs) = node.content else {
            error(node, "\(what) must be a mapping with the keys \(known.joined(separator: ", ")); found \(describe(node))")
            return nil
        }
        var fields = Fields()
        fields.values.reserveCapacity(pairs.count)
        for pair in pairs {
            let key = pair.key
            guard case .scalar(let name, _) = key.content else { continue } // refused by YAMLComposer
            if known.contains(name) {
                fields.values.append(Fields.Field(key: name, value: pair.value))
            } else if let guess = Suggestion.nearest(to: name, in: known) {
                fields.misspelled.append(guess)
                error(key, "unknown key '\(name)' in \(what); did you mean '\(guess)'?")
            } else {
                error(key, "unknown key '\(name)' in \(what); the known keys are \(known.joined(separator: ", "))")
            }
        }
        return fields
    }

    /// A required field: reports its absence at the mapping that lacks it.
    mutating func require(_ fields: Fields, _ key: String, in parent: YAMLNode, what: String) -> YAMLNode? {
        if let node = fields[key] { return node }
        guard !fields.misspelled.contains(key) else { return nil }
        error(parent, "\(what) is missing the key '\(key)'")
        return nil
    }

    /// A non-negative whole number written as plain digits: no sign, quotes, underscores,
    /// octal or hexadecimal prefixes, sexagesimal or fractional parts.
    mutating func integer(_ node: YAMLNode, what: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let text, plain: true) = node.content else {
            error(node, "\(what) must be a whole number written without quotes; found \(describe(node))")
            return nil
        }
        guard !text.isEmpty, text.utf8.allSatisfy(ASCII.isDigit) else {
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
    /// `what` is made only for the error: the reader calls this for every text of a course.
    mutating func string(_ node: YAMLNode, what: @autoclosure () -> String) -> String? {
        guard case .scalar(let text, _) = node.content else {
            error(node, "\(what()) must be text; found \(describe(node))")
            return nil
        }
        return Self.clean(text)
    }

    static func clean(_ text: String) -> String {
        // Below U+0300 (where combining marks start) every text is already NFC, and so is
        // the punctuation of U+2010–U+203F (dashes, quotes, ellipsis) and the euro sign, which
        // neither decompose nor compose; normalising only the others keeps the common case,
        // ASCII and Latin-1 Spanish with typographic punctuation, fast. (In UTF-8, every byte
        // of a scalar below U+0300 is below 0xCC, and every scalar from U+0300 on starts
        // with a byte from 0xCC up.)
        var result = text
        let (composed, endsInVisibleASCII) = result.withUTF8 { bytes in
            (isComposed(bytes), bytes.last.map { $0 > 0x20 && $0 < 0x7F } ?? false)
        }
        if !composed { result = text.precomposedStringWithCanonicalMapping }
        // Most texts end in a letter or a full stop: no white space to look for.
        if composed, endsInVisibleASCII { return result }
        while let last = result.unicodeScalars.last, CharacterSet.whitespacesAndNewlines.contains(last) {
            result.unicodeScalars.removeLast()
        }
        return result
    }

    /// Whether valid UTF-8 is NFC for certain by its bytes: scalars below U+0300, U+2010–U+203F
    /// (E2 80 90–BF) and U+20AC (E2 82 AC) only.
    static func isComposed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            // Past every byte below 0xCC at once: ASCII, continuation bytes, and the lead
            // bytes of U+0080–U+02FF.
            index += quizdoc_below_run(bytes.baseAddress! + index, bytes.count - index, 0xCC)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            guard byte == 0xE2, index + 2 < bytes.count else { return false }
            let (second, third) = (bytes[index + 1], bytes[index + 2])
            guard (second == 0x80 && third >= 0x90) || (second == 0x82 && third == 0xAC) else { return false }
            index += 3
        }
        return true
    }
}
