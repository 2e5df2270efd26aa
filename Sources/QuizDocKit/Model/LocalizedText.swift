/// A text written in several languages, keyed by language code (`en`, `es`), with the place
/// of its mapping in the YAML. English is always present once loading succeeded.
public struct LocalizedText: Hashable, Sendable {
    public var translations: [String: String]
    /// Where the mapping starts.
    public var location: SourceLocation
    /// Where each translation's value starts, for errors about one language's text.
    public var valueLocations: [String: SourceLocation]

    public init(_ translations: [String: String], at location: SourceLocation, valueLocations: [String: SourceLocation] = [:]) {
        self.translations = translations
        self.location = location
        self.valueLocations = valueLocations
    }

    /// The text in `language`, or nil when it has not been translated.
    public subscript(language: String) -> String? { translations[language] }
}
