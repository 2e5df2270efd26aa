/// A node of a YAML tree as `YAMLComposer` reads it, with the line and column where it starts
/// (1-based; columns count Unicode scalars, as libyaml does).
///
/// Every scalar is text: `no`, `on`, `0o17` or `12:30` never become booleans or numbers behind
/// the reader's back; a caller parses numbers itself, strictly, and needs to know only
/// whether a scalar was written plain (unquoted).
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    /// A mapping's key and its value. A struct, not a tuple: an array of tuples is copied and
    /// destroyed through the runtime's generic tuple witness, element by element.
    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var content: Content
    public var line: Int
    public var column: Int

    public init(content: Content, line: Int, column: Int) {
        self.content = content
        self.line = line
        self.column = column
    }
}

extension YAMLNode {
    /// The same texts, plain or quoted, keys in the same order, at the same places.
    func isSameTree(as other: YAMLNode) -> Bool {
        guard line == other.line, column == other.column else { return false }
        switch (content, other.content) {
        case let (.scalar(text, plain), .scalar(otherText, otherPlain)):
            return text == otherText && plain == otherPlain
        case let (.sequence(items), .sequence(otherItems)):
            return items.count == otherItems.count && zip(items, otherItems).allSatisfy { $0.isSameTree(as: $1) }
        case let (.mapping(pairs), .mapping(otherPairs)):
            return pairs.count == otherPairs.count && zip(pairs, otherPairs).allSatisfy {
                $0.key.isSameTree(as: $1.key) && $0.value.isSameTree(as: $1.value)
            }
        default:
            return false
        }
    }
}

/// Why `YAMLComposer` refused a document, at a 1-based line and column of its text.
public struct YAMLProblem: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// No document, or one without any node (only comments or white space).
        case empty
        /// A second document (`---`) after the first.
        case secondDocument
        case anchor(String)
        case alias(String)
        case tag(String)
        /// A sequence or mapping used as a mapping key.
        case complexKey
        /// A key the mapping already has; the first one's place.
        case duplicateKey(String, firstLine: Int, firstColumn: Int)
        /// Nested deeper than the limit the caller gave.
        case tooDeep(limit: Int)
        /// A quoted scalar never closed; the place is its opening quote.
        case unclosedQuote
        /// Anything else libyaml's parser refuses, with its own words and context.
        case syntax(problem: String, context: String?, contextLine: Int, contextColumn: Int)
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}

/// Every problem that refused a document, in the order met.
public struct YAMLRefusal: Error, Hashable, Sendable {
    public var problems: [YAMLProblem]
}
