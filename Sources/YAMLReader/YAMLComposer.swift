// libyaml, as the Yams package bundles it (its `CYaml` module). quizdoc reads YAML only
// through this target; `Package.swift` depends on the Yams product for it, which is how
// SwiftPM exposes that module, and pins Yams exactly because `CYaml` is not Yams's public API.
internal import CYaml

/// One streaming pass over libyaml's events that both refuses the YAML features a data file
/// never needs and an attacker loves, and composes the tree; before it, for the plain subset
/// quiz files are written in, `SimpleYAML`'s own pass over the bytes, whose trees are libyaml's.
///
/// Refused, located: anchors and aliases (alias bombs), custom tags, complex keys, duplicate
/// keys (at the duplicate), nesting deeper than a limit, more than one document. An alias is
/// never expanded and no node is built twice, so time and memory stay linear in the text
/// whatever it contains. The tree is `YAMLNode`: every scalar is text, with its position.
public enum YAMLComposer {
    /// The tree, or the problems (at most `maxProblems`, in the order met) that refuse it.
    ///
    /// Quiz files are read by `SimpleYAML` when they keep to its subset, at a fraction of
    /// libyaml's cost; libyaml reads the rest, and every refusal. Debug builds read each
    /// document both ways and stop on any difference, so every test checks the fast path.
    public static func compose(_ text: String, maxDepth: Int, maxProblems: Int = 50) -> Result<YAMLNode, YAMLRefusal> {
        guard let tree = SimpleYAML.compose(text, maxDepth: maxDepth) else {
            return composeWithLibyaml(text, maxDepth: maxDepth, maxProblems: maxProblems)
        }
        #if DEBUG
        if case .success(let libyamlTree) = composeWithLibyaml(text, maxDepth: maxDepth, maxProblems: maxProblems) {
            assert(tree.isSameTree(as: libyamlTree), "SimpleYAML and libyaml read different trees from:\n\(text)")
        } else {
            assertionFailure("SimpleYAML accepted a document libyaml refuses:\n\(text)")
        }
        #endif
        return .success(tree)
    }

    /// libyaml's reading: every document, every refusal.
    /// The tree of a file's bytes when they are valid UTF-8 in the plain subset
    /// `SimpleYAML` reads, without making a `String` of them; nil otherwise (then decode the
    /// bytes and `compose` the text, which reports what is wrong).
    public static func composePlain(_ bytes: [UInt8], maxDepth: Int) -> YAMLNode? {
        guard let tree = bytes.withUnsafeBufferPointer({ SimpleYAML.compose(bytes: $0, maxDepth: maxDepth) }) else { return nil }
        #if DEBUG
        guard let text = String(validating: bytes, as: UTF8.self) else {
            preconditionFailure("SimpleYAML read bytes that are not UTF-8: \(bytes)")
        }
        if case .success(let libyamlTree) = composeWithLibyaml(text, maxDepth: maxDepth) {
            assert(tree.isSameTree(as: libyamlTree), "SimpleYAML and libyaml read different trees from:\n\(text)")
        } else {
            assertionFailure("SimpleYAML accepted a document libyaml refuses:\n\(text)")
        }
        #endif
        return tree
    }

    static func composeWithLibyaml(_ text: String, maxDepth: Int, maxProblems: Int = 50) -> Result<YAMLNode, YAMLRefusal> {
        var problems: [YAMLProblem] = []
        var utf8 = Array(text.utf8)
        utf8.append(0)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(YAMLRefusal(problems: [YAMLProblem(.syntax(problem: "could not start the YAML parser (out of memory?)", context: nil,
                                                 contextLine: 1, contextColumn: 1), line: 1, column: 1)]))
        }
        defer { yaml_parser_delete(&parser) }

        func problem(_ kind: YAMLProblem.Kind, _ mark: yaml_mark_t) -> YAMLProblem {
            YAMLProblem(kind, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }
        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }

        var stack: [Collection] = []
        var root: YAMLNode?
        var documents = 0

        let tree: YAMLNode? = utf8.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count - 1)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    problems.append(syntaxError(parser, maxDepth: maxDepth))
                    return nil
                }
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                let line = Int(mark.line) + 1
                let column = Int(mark.column) + 1

                /// Hangs a finished node on the open collection, or makes it the root.
                func add(_ node: YAMLNode) {
                    guard let top = stack.indices.last else {
                        root = node
                        return
                    }
                    if let problem = stack[top].add(node) { problems.append(problem) }
                }
                func refuseAnchorAndTag(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, implicit: Bool) {
                    if let anchor = string(anchor) {
                        problems.append(problem(.anchor(anchor), mark))
                    }
                    if let tag = string(tag), !implicit, tag != "!" {
                        problems.append(problem(.tag(tag), mark))
                    }
                }

                switch event.type {
                case YAML_STREAM_END_EVENT:
                    guard let root, documents > 0 else {
                        problems.append(YAMLProblem(.empty, line: 1, column: 1))
                        return nil
                    }
                    return root
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        problems.append(problem(.secondDocument, mark))
                        return nil
                    }
                case YAML_ALIAS_EVENT:
                    let name = string(event.data.alias.anchor) ?? ""
                    problems.append(problem(.alias(name), mark))
                    add(YAMLNode(content: .scalar("*\(name)", plain: false), line: line, column: column))
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let value = scalar.value.map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                    } ?? ""
                    refuseAnchorAndTag(anchor: scalar.anchor, tag: scalar.tag,
                                       implicit: scalar.plain_implicit == 1 || scalar.quoted_implicit == 1)
                    add(YAMLNode(content: .scalar(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line, column: column))
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    if isMapping {
                        refuseAnchorAndTag(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag,
                                           implicit: event.data.mapping_start.implicit == 1)
                    } else {
                        refuseAnchorAndTag(anchor: event.data.sequence_start.anchor, tag: event.data.sequence_start.tag,
                                           implicit: event.data.sequence_start.implicit == 1)
                    }
                    if let top = stack.indices.last, stack[top].expectsKey {
                        problems.append(problem(.complexKey, mark))
                    }
                    stack.append(Collection(isMapping: isMapping, line: line, column: column))
                    if stack.count > maxDepth {
                        problems.append(problem(.tooDeep(limit: maxDepth), mark))
                        return nil
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    add(stack.removeLast().node)
                default:
                    break
                }
                if problems.count >= maxProblems { return nil }
            }
        }
        guard let tree, problems.isEmpty else { return .failure(YAMLRefusal(problems: problems)) }
        return .success(tree)
    }

    /// An open sequence or mapping, and what it holds so far.
    private struct Collection {
        var isMapping: Bool
        var line: Int
        var column: Int
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        /// Key texts, for finding duplicates, once a mapping has too many keys to scan.
        var keyIndex: [String: Int]?

        var expectsKey: Bool { isMapping && pendingKey == nil }

        var node: YAMLNode {
            YAMLNode(content: isMapping ? .mapping(pairs) : .sequence(items), line: line, column: column)
        }

        /// Adds a node; reports a key that the mapping already has.
        mutating func add(_ node: YAMLNode) -> YAMLProblem? {
            guard isMapping else {
                items.append(node)
                return nil
            }
            guard let key = pendingKey else {
                pendingKey = node
                guard case .scalar(let text, _) = node.content else { return nil } // complex key, refused
                if let first = firstKey(text) {
                    return YAMLProblem(.duplicateKey(text, firstLine: first.line, firstColumn: first.column),
                                       line: node.line, column: node.column)
                }
                return nil
            }
            pendingKey = nil
            pairs.append(YAMLNode.Pair(key: key, value: node))
            if keyIndex != nil, case .scalar(let text, _) = key.content, keyIndex?[text] == nil {
                keyIndex?[text] = pairs.count - 1
            } else if keyIndex == nil, pairs.count > 16 {
                var index: [String: Int] = [:]
                for (position, pair) in pairs.enumerated() {
                    if case .scalar(let text, _) = pair.key.content, index[text] == nil { index[text] = position }
                }
                keyIndex = index
            }
            return nil
        }

        private func firstKey(_ text: String) -> YAMLNode? {
            if let keyIndex { return keyIndex[text].map { pairs[$0].key } }
            return pairs.first { if case .scalar(text, _) = $0.key.content { true } else { false } }?.key
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, maxDepth: Int) -> YAMLProblem {
        func at(_ mark: yaml_mark_t, _ kind: YAMLProblem.Kind) -> YAMLProblem {
            YAMLProblem(kind, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        if context == "while scanning a quoted scalar" {
            return at(parser.context_mark, .unclosedQuote)
        }
        if problem.hasPrefix("Maximum nesting level") {
            return at(parser.problem_mark, .tooDeep(limit: maxDepth))
        }
        return at(parser.problem_mark, .syntax(problem: problem, context: context,
                                              contextLine: Int(parser.context_mark.line) + 1,
                                              contextColumn: Int(parser.context_mark.column) + 1))
    }
}
