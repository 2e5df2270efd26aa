/// A node of a YAML tree as quizdoc reads it, with the line and column where it starts
/// (1-based; columns count Unicode scalars, as libyaml does).
///
/// Every scalar is text: `no`, `on`, `0o17` or `12:30` never become booleans or numbers behind
/// the author's back; `NodeReader` parses numbers itself, strictly, and needs to know only
/// whether a scalar was written plain (unquoted).
struct YAMLNode: Sendable {
    enum Content: Sendable {
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var content: Content
    var line: Int
    var column: Int
}
