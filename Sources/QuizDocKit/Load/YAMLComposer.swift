import CYaml

/// One streaming pass over libyaml's events (the copy Yams bundles) that both refuses the
/// YAML features a quiz never needs and an attacker loves, and composes the tree.
///
/// Refused, located: anchors and aliases (alias bombs), custom tags, complex keys, duplicate
/// keys (at the duplicate), nesting deeper than `Limits.yamlDepth`, more than one document.
/// An alias is never expanded and no node is built twice, so time and memory stay linear in
/// the file whatever it contains. The tree is quizdoc's own `YAMLNode`: every scalar is text,
/// with its position.
enum YAMLComposer {
    /// The tree, or nil with the problems in the bag.
    static func compose(_ text: String, path: String, emptyMessage: String, bag: inout DiagnosticBag) -> YAMLNode? {
        var problems: [Diagnostic] = []
        var utf8 = Array(text.utf8)
        utf8.append(0)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            bag.error(.file(path), "could not start the YAML parser (out of memory?)")
            return nil
        }
        defer { yaml_parser_delete(&parser) }

        func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(path: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
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
                    problems.append(syntaxError(parser, location: location))
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
                    if let problem = stack[top].add(node, path: path) { problems.append(problem) }
                }
                func refuseAnchorAndTag(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, implicit: Bool) {
                    if let anchor = string(anchor) {
                        problems.append(.error(at: location(mark), "anchors (&\(anchor)) are not supported in quiz files; write the value out in full"))
                    }
                    if let tag = string(tag), !implicit, tag != "!" {
                        problems.append(.error(at: location(mark), "YAML tags (\(tag)) are not supported in quiz files; remove the tag"))
                    }
                }

                switch event.type {
                case YAML_STREAM_END_EVENT:
                    guard let root, documents > 0 else {
                        problems.append(.error(at: .file(path), emptyMessage))
                        return nil
                    }
                    return root
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        problems.append(.error(at: location(mark), "a quiz file holds one YAML document; remove the second '---' and what follows, or move it to its own file"))
                        return nil
                    }
                case YAML_ALIAS_EVENT:
                    let name = string(event.data.alias.anchor) ?? ""
                    problems.append(.error(at: location(mark), "aliases (*\(name)) are not supported in quiz files; write the value out in full"))
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
                        problems.append(.error(at: location(mark), "complex mapping keys are not supported; use a plain word as the key"))
                    }
                    stack.append(Collection(isMapping: isMapping, line: line, column: column))
                    if stack.count > Limits.yamlDepth {
                        problems.append(.error(at: location(mark), "the YAML is nested more than \(Limits.yamlDepth) levels deep; a quiz needs five"))
                        return nil
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    add(stack.removeLast().node)
                default:
                    break
                }
                if problems.count >= 50 { return nil }
            }
        }
        bag.append(contentsOf: problems)
        return problems.isEmpty ? tree : nil
    }

    /// An open sequence or mapping, and what it holds so far.
    private struct Collection {
        var isMapping: Bool
        var line: Int
        var column: Int
        var items: [YAMLNode] = []
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var pendingKey: YAMLNode?
        /// Key texts, for finding duplicates, once a mapping has too many keys to scan.
        var keyIndex: [String: Int]?

        var expectsKey: Bool { isMapping && pendingKey == nil }

        var node: YAMLNode {
            YAMLNode(content: isMapping ? .mapping(pairs) : .sequence(items), line: line, column: column)
        }

        /// Adds a node; reports a key that the mapping already has.
        mutating func add(_ node: YAMLNode, path: String) -> Diagnostic? {
            guard isMapping else {
                items.append(node)
                return nil
            }
            guard let key = pendingKey else {
                pendingKey = node
                guard case .scalar(let text, _) = node.content else { return nil } // complex key, refused
                if let first = firstKey(text) {
                    return .error(at: SourceLocation(path: path, line: node.line, column: node.column),
                                  "duplicate key '\(text)' (first at line \(first.line), column \(first.column)); remove one of them")
                }
                return nil
            }
            pendingKey = nil
            pairs.append((key, node))
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

    private static func syntaxError(_ parser: yaml_parser_t, location: (yaml_mark_t) -> SourceLocation) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        if context == "while scanning a quoted scalar" {
            return .error(at: location(parser.context_mark), "this quoted text is never closed; add the closing quote")
        }
        if problem.hasPrefix("Maximum nesting level") {
            return .error(at: location(parser.problem_mark), "the YAML is nested more than \(Limits.yamlDepth) levels deep; a quiz needs five")
        }
        var message = "YAML syntax error: \(problem)"
        if let context {
            let mark = location(parser.context_mark)
            message += " (\(context) at line \(mark.line), column \(mark.column))"
        }
        if problem.contains("tab") {
            message += "; indent with spaces, not tabs"
        } else if problem.contains("quoted scalar") {
            message += "; close the quote"
        } else if problem.contains("indentation") || problem.contains("mapping values") || problem.contains("block") {
            message += "; check the indentation of this line and the one before"
        }
        return .error(at: location(parser.problem_mark), message)
    }
}
