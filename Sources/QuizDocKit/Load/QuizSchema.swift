import Foundation

/// The JSON Schema (draft-07, what yaml-language-server reads) of quiz files, for editors:
/// key completion and underlined mistakes while typing. Written to
/// `schema/quiz-v1.schema.json` by `build` and `quizdoc schema`, and kept fresh by `check`.
///
/// It says what a schema can: the keys and their types, required ones, the kinds, the id
/// and number formats, list lengths, text lengths, one-line titles and choices, a single
/// key for single questions, choices and key only for choice questions, expected words only
/// for free ones, known lint rules. Not expressible, and left to `quizdoc` itself: ids and
/// phase numbers unique across files and matching the file name, key numbers within the
/// number of choices, the content policy (raw HTML, URL schemes, open blocks, invisible
/// characters), an empty text, and a missing translation being a warning.
public enum QuizSchema {
    public static let path = "schema/quiz-v1.schema.json"

    public static func text(languages: [Language]) -> String {
        let codes = languages.map(\.code)
        func localized(maxLength: Int, oneLine: Bool) -> [String: Any] {
            var text: [String: Any] = ["type": "string", "maxLength": maxLength]
            if oneLine { text["pattern"] = "^[^\\n]*$" }
            var properties: [String: Any] = [:]
            for code in codes { properties[code] = text }
            return ["type": "object", "required": [Language.primaryCode], "additionalProperties": false, "properties": properties]
        }
        let lint: [String: Any] = [
            "type": "object", "additionalProperties": false, "required": ["allow"],
            "properties": ["allow": ["type": "array", "items": ["enum": LintRule.allCases.map(\.rawValue)]]],
        ]
        var expectedLists: [String: Any] = [:]
        for code in codes {
            expectedLists[code] = ["type": "array", "minItems": 1, "maxItems": Limits.expectedWords,
                                   "items": ["type": "string", "minLength": 1, "maxLength": Limits.expectedWordCharacters, "pattern": "^[^\\n]*$"]]
        }
        let position: [String: Any] = ["type": "integer", "minimum": 1, "maximum": Limits.choices.upperBound]
        let question: [String: Any] = [
            "type": "object",
            "additionalProperties": false,
            "required": ["id", "kind", "title", "prompt", "answer"],
            "properties": [
                "id": ["type": "string", "pattern": "^q-[0-9]{2,5}-[0-9]{2,}$",
                       "description": "q-<phase as the file name writes it>-<two or more digits>, unique across all files"],
                "kind": ["enum": Question.Kind.allCases.map(\.rawValue)],
                "title": localized(maxLength: Limits.inlineTextCharacters, oneLine: true),
                "prompt": localized(maxLength: Limits.textCharacters, oneLine: false),
                "choices": ["type": "array", "minItems": Limits.choices.lowerBound, "maxItems": Limits.choices.upperBound,
                            "items": localized(maxLength: Limits.inlineTextCharacters, oneLine: true)],
                "correct": ["oneOf": [position, ["type": "array", "minItems": 1, "uniqueItems": true, "items": position]]],
                "answer": localized(maxLength: Limits.textCharacters, oneLine: false),
                "expected": ["type": "object", "required": [Language.primaryCode], "additionalProperties": false,
                             "properties": expectedLists],
                "lint": lint,
            ],
            "allOf": [
                ["if": ["properties": ["kind": ["const": "free"]]],
                 "then": ["not": ["anyOf": [["required": ["choices"]], ["required": ["correct"]]]]],
                 "else": ["required": ["choices", "correct"], "not": ["required": ["expected"]]]],
                ["if": ["properties": ["kind": ["const": "single"]]],
                 "then": ["properties": ["correct": ["oneOf": [position, ["type": "array", "minItems": 1, "maxItems": 1, "items": position]]]]]],
            ],
        ]
        let schema: [String: Any] = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://quizdoc.invalid/schema/quiz-v1.schema.json",
            "title": "quizdoc quiz file (schema version 1)",
            "description": "One phase's self-assessment quiz, every text in \(codes.joined(separator: " and ")). Written by quizdoc; do not edit.",
            "type": "object",
            "additionalProperties": false,
            "required": ["phase", "title", "questions"],
            "properties": [
                "schema": ["const": 1],
                "phase": ["type": "integer", "minimum": 0, "maximum": 99_999],
                "title": localized(maxLength: Limits.inlineTextCharacters, oneLine: true),
                "questions": ["type": "array", "minItems": 1, "maxItems": Limits.questionsPerQuiz, "items": question],
                "lint": lint,
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: schema, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
