import CYaml

/// A streaming pass over libyaml's events that refuses, before any tree is built, the YAML
/// features a quiz never needs and an attacker loves: anchors and aliases (alias bombs),
/// custom tags, complex keys, duplicate keys, deep nesting and more than one document.
///
/// It holds nothing but a stack of the keys seen per open mapping, so its cost is linear in
/// the file whatever the file contains. Yams's composer runs only on files that pass.
enum YAMLGate {
    static func check(_ text: String, path: String, emptyMessage: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var utf8 = Array(text.utf8)
        utf8.append(0)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return [.error(at: .file(path), "could not start the YAML parser (out of memory?)")]
        }
        defer { yaml_parser_delete(&parser) }

        func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(path: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }
        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }

        /// One open collection: for a mapping, the keys seen so far and whether the next
        /// node is a key.
        struct Frame {
            var isMapping: Bool
            var keys: [String: SourceLocation] = [:]
            var expectingKey = true
        }
        var stack: [Frame] = []
        var documents = 0
        var sawContent = false

        return utf8.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count - 1)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    problems.append(syntaxError(parser, location: location))
                    return problems
                }
                defer { yaml_event_delete(&event) }
                let here = location(event.start_mark)

                /// Called for every node: checks it when it is a key of the enclosing mapping.
                func enterNode(isScalar: Bool, keyText: String?) {
                    sawContent = true
                    guard let top = stack.indices.last, stack[top].isMapping else { return }
                    if stack[top].expectingKey {
                        if !isScalar {
                            problems.append(.error(at: here, "complex mapping keys are not supported; use a plain word as the key"))
                        } else if let key = keyText {
                            if let first = stack[top].keys[key] {
                                problems.append(.error(at: here, "duplicate key '\(key)' (first at line \(first.line), column \(first.column)); remove one of them"))
                            } else {
                                stack[top].keys[key] = here
                            }
                        }
                    }
                    stack[top].expectingKey.toggle()
                }
                func refuseAnchorAndTag(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, implicit: Bool) {
                    if let anchor = string(anchor) {
                        problems.append(.error(at: here, "anchors (&\(anchor)) are not supported in quiz files; write the value out in full"))
                    }
                    if let tag = string(tag), !implicit, tag != "!" {
                        problems.append(.error(at: here, "YAML tags (\(tag)) are not supported in quiz files; remove the tag"))
                    }
                }

                switch event.type {
                case YAML_STREAM_END_EVENT:
                    if documents == 0 || !sawContent {
                        problems.append(.error(at: .file(path), emptyMessage))
                    }
                    return problems
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        problems.append(.error(at: here, "a quiz file holds one YAML document; remove the second '---' and what follows, or move it to its own file"))
                        return problems
                    }
                case YAML_ALIAS_EVENT:
                    enterNode(isScalar: true, keyText: nil)
                    let name = string(event.data.alias.anchor) ?? ""
                    problems.append(.error(at: here, "aliases (*\(name)) are not supported in quiz files; write the value out in full"))
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let value = scalar.value.map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                    }
                    enterNode(isScalar: true, keyText: value)
                    refuseAnchorAndTag(anchor: scalar.anchor, tag: scalar.tag,
                                       implicit: scalar.plain_implicit == 1 || scalar.quoted_implicit == 1)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    enterNode(isScalar: false, keyText: nil)
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    if isMapping {
                        refuseAnchorAndTag(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag,
                                           implicit: event.data.mapping_start.implicit == 1)
                    } else {
                        refuseAnchorAndTag(anchor: event.data.sequence_start.anchor, tag: event.data.sequence_start.tag,
                                           implicit: event.data.sequence_start.implicit == 1)
                    }
                    stack.append(Frame(isMapping: isMapping))
                    if stack.count > Limits.yamlDepth {
                        problems.append(.error(at: here, "the YAML is nested more than \(Limits.yamlDepth) levels deep; a quiz needs five"))
                        return problems
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    stack.removeLast()
                default:
                    break
                }
                if problems.count >= 50 { return problems }
            }
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
