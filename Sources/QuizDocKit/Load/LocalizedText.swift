/// A text written in several languages, keyed by language code (`en`, `es`), with the place
/// of its mapping in the YAML. English is always present once loading succeeded.
public struct LocalizedText: Hashable, Sendable {
    public var translations: [String: String]
    public var location: SourceLocation

    public init(_ translations: [String: String], at location: SourceLocation) {
        self.translations = translations
        self.location = location
    }

    /// The text in `language`, or nil when it has not been translated.
    public subscript(language: String) -> String? { translations[language] }
}
