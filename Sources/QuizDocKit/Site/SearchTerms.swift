import Foundation

/// How a text becomes search terms, per language. `site.js` does exactly the same to a query
/// (`searchTerms` there); both are held to `Tests/js/search-terms.json`.
///
/// - Words are runs of letters and digits (Unicode categories L and N).
/// - Case and accents are folded: lowercase, canonical decomposition, combining marks
///   dropped; but in Spanish `ñ` stays distinct from `n` ("año" is not "ano"). Final sigma
///   is folded to sigma, so a word's end does not change its letters.
/// - Words of one character and the language's stopwords are not terms.
/// - A light stemmer takes the plural off (`caches` → `cache`, `cuantizaciones` →
///   `cuantizacion`), so that a query in the singular finds the plural, and the other way.
struct SearchTerms {
    let code: String
    private let keepsEñe: Bool
    private let stopwords: Set<String>
    /// The folded form of each non-ASCII scalar met so far.
    private var folded: [Unicode.Scalar: [Unicode.Scalar]] = [:]

    init(code: String) {
        self.code = code
        keepsEñe = code == "es"
        stopwords = Set(Self.stopwords[code] ?? [])
    }

    /// The language's stopwords, as they are folded: the search index gives them to
    /// `site.js`, which drops them from queries.
    static let stopwords: [String: [String]] = [
        "en": ["a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has", "have",
               "how", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "so", "than", "that", "the", "their",
               "then", "there", "these", "they", "this", "to", "was", "were", "what", "when", "which", "why", "will", "with"],
        "es": ["a", "al", "como", "con", "cual", "de", "del", "el", "en", "entre", "es", "esta", "este", "hay", "la", "las",
               "lo", "los", "mas", "o", "para", "pero", "por", "que", "se", "si", "sin", "sobre", "son", "su", "sus", "un",
               "una", "y"],
    ]

    /// The text's terms, in order, repeats included.
    mutating func terms(_ text: String) -> [String] {
        var terms: [String] = []
        let stopwords = stopwords, code = code
        forEachWord(text) { word in
            if word.unicodeScalars.count > 1, !stopwords.contains(word) { terms.append(Self.stem(word, code: code)) }
        }
        return terms
    }

    /// The folded words of a text.
    mutating func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append($0) }
        return words
    }

    private mutating func forEachWord(_ text: String, _ body: (String) -> Void) {
        var word = String.UnicodeScalarView()
        func end() {
            if !word.isEmpty {
                body(String(word))
                word = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                switch scalar.value {
                case 0x41...0x5A: word.append(Unicode.Scalar(scalar.value + 0x20)!)
                case 0x61...0x7A, 0x30...0x39: word.append(scalar)
                default: end()
                }
                continue
            }
            for part in fold(scalar) {
                switch part.properties.generalCategory {
                case .nonspacingMark:
                    if keepsEñe, part.value == 0x303, word.last == "n" {
                        word.removeLast()
                        word.append("ñ")
                    }
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                     .decimalNumber, .letterNumber, .otherNumber:
                    word.append(part.value == 0x3C2 ? "\u{3C3}" : part)
                default:
                    end()
                }
            }
        }
        end()
    }

    /// A non-ASCII scalar lowercased and decomposed.
    private mutating func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if let known = folded[scalar] { return known }
        let parts = Array(scalar.properties.lowercaseMapping.decomposedStringWithCanonicalMapping.unicodeScalars)
        folded[scalar] = parts
        return parts
    }

    /// The word without its plural ending, when it has one the language's rules know.
    func stem(_ word: String) -> String { Self.stem(word, code: code) }

    static func stem(_ word: String, code: String) -> String {
        let scalars = Array(word.unicodeScalars)
        let count = scalars.count
        guard count > 3 else { return word }
        func ends(_ suffix: String) -> Bool { word.hasSuffix(suffix) }
        func dropping(_ n: Int, adding tail: String = "") -> String {
            var view = String.UnicodeScalarView(scalars[..<(count - n)])
            view.append(contentsOf: tail.unicodeScalars)
            return String(view)
        }
        switch code {
        case "en":
            if ends("ies"), count > 4 { return dropping(3, adding: "y") }
            if ends("s"), !ends("ss"), !ends("us"), !ends("is") { return dropping(1) }
        case "es":
            if ends("ces") { return dropping(3, adding: "z") }
            if ends("es"), count > 4 {
                // capitales → capital, cuantizaciones → cuantizacion; but clases → clase.
                return "lnrdj".unicodeScalars.contains(scalars[count - 3]) ? dropping(2) : dropping(1)
            }
            if ends("s"), "aeiou".unicodeScalars.contains(scalars[count - 2]) { return dropping(1) }
        default:
            break
        }
        return word
    }
}
