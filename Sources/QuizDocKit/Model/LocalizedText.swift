/// A text written in several languages, keyed by language code (`en`, `es`), with the place
/// of its mapping in the YAML. English is always present once loading succeeded.
public struct LocalizedText: Hashable, Sendable {
    /// One language's text and where its value starts.
    struct Value: Hashable, Sendable {
        var code: String
        var text: String
        var location: SourceLocation?
    }

    /// Sorted by language code. An array, not two dictionaries: a course holds hundreds of
    /// thousands of texts at once, and a dictionary apiece made most of its memory.
    private var values: [Value]
    /// Where the mapping starts.
    public var location: SourceLocation

    public init(_ translations: [String: String], at location: SourceLocation, valueLocations: [String: SourceLocation] = [:]) {
        values = translations.keys.sorted().map { Value(code: $0, text: translations[$0]!, location: valueLocations[$0]) }
        self.location = location
    }

    /// The texts, in any order (a loaded text's are in the order of the course's languages,
    /// and so are sorted already unless a language sorts before English).
    init(_ values: [Value], at location: SourceLocation) {
        self.values = values
        if !values.indices.dropFirst().allSatisfy({ values[$0 - 1].code < values[$0].code }) {
            self.values.sort { $0.code < $1.code }
        }
        self.location = location
    }

    /// Where the value in `language` starts (for errors about one language's text), if it has one.
    public func valueLocation(_ language: String) -> SourceLocation? {
        values.first { $0.code == language }?.location
    }

    /// The text in `language`, or nil when it has not been translated.
    public subscript(language: String) -> String? { values.first { $0.code == language }?.text }
}
