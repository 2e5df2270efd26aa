/// A deterministic synthetic course for benchmarks and stress tests: `phases` files of
/// 20 questions each, English and Spanish, with the Markdown real quizzes use (code spans,
/// bold, lists, a small table in some answers), about 150 words per question with its answer,
/// free, single and multiple questions mixed, words drawn from a realistic vocabulary (see
/// `vocabularies`). The `prose` style writes another shape of course: long plain paragraphs
/// with few inline marks, choices of 5–15 words, a list in a fifth of the answers and a table
/// in about a seventh. The same arguments give the same bytes.
public struct CorpusGenerator {
    public enum Style: String, CaseIterable, Sendable {
        case mixed, prose
    }

    public let phases: Int
    public let questionsPerPhase: Int
    public let style: Style

    public init(phases: Int, questionsPerPhase: Int = 20, style: Style = .mixed) {
        self.phases = phases
        self.questionsPerPhase = questionsPerPhase
        self.style = style
    }

    /// File name → YAML text, for `data/quizzes/`.
    public func files() -> [(name: String, yaml: String)] {
        (1...max(phases, 1)).map { phase in
            let digits = phase < 100 ? (phase < 10 ? "0\(phase)" : "\(phase)") : "\(phase)"
            return ("phase-\(digits)-topic-\(phase).yaml", yaml(phase: phase, digits: digits))
        }
    }

    func yaml(phase: Int, digits: String) -> String {
        style == .prose ? proseYAML(phase: phase, digits: digits) : mixedYAML(phase: phase, digits: digits)
    }

    /// Prose: plain paragraphs, rare marks, longer choices, some lists and tables.
    func proseYAML(phase: Int, digits: String) -> String {
        var random = SplitMix(seed: UInt64(phase) &+ 0x5EED)
        var out = "phase: \(phase)\ntitle: {en: \"Topic \(phase): \(sentence(&random, words: 3, language: 0))\", "
            + "es: \"Tema \(phase): \(sentence(&random, words: 3, language: 1))\"}\nquestions:\n"
        func prose(_ words: Int, _ language: Int) -> String {
            var parts: [String] = []
            for index in 0..<words {
                var word = self.word(&random, language: language)
                if index == 0 || parts.last?.hasSuffix(".") == true { word = word.prefix(1).uppercased() + word.dropFirst() }
                if random.next() % 90 == 0 { word = "**\(word)**" }
                parts.append(word)
                if index % 14 == 13 { parts[parts.count - 1] += random.next() % 3 == 0 ? "," : "." }
            }
            return parts.joined(separator: " ") + "."
        }
        for number in 1...questionsPerPhase {
            let id = "q-\(digits)-\(number < 10 ? "0\(number)" : "\(number)")"
            let kind = ["free", "single", "multiple"][Int(random.next() % 3)]
            out += "  - id: \(id)\n    kind: \(kind)\n"
            let titleWords = 6 + Int(random.next() % 4)
            out += "    title: {en: \"\(sentence(&random, words: titleWords, language: 0))\", es: \"\(sentence(&random, words: titleWords, language: 1))\"}\n"
            out += "    prompt:\n"
            let promptWords = 45 + Int(random.next() % 35)
            for language in 0...1 {
                out += "      \(language == 0 ? "en" : "es"): |-\n"
                out += indent(prose(promptWords, language))
            }
            if kind != "free" {
                out += "    choices:\n"
                for _ in 0..<4 {
                    let words = 5 + Int(random.next() % 11)
                    out += "      - {en: \"\(sentence(&random, words: words, language: 0))\", es: \"\(sentence(&random, words: words, language: 1))\"}\n"
                }
                out += kind == "single" ? "    correct: [\(1 + random.next() % 4)]\n" : "    correct: [1, \(2 + random.next() % 3)]\n"
            }
            let extra = random.next() % 20 // 0–3: a list (20 %); 4–6: a table (15 %)
            let answerWords = 70 + Int(random.next() % 50)
            out += "    answer:\n"
            for language in 0...1 {
                out += "      \(language == 0 ? "en" : "es"): |-\n"
                var answer = prose(answerWords / 2, language) + "\n\n" + prose(answerWords / 2, language)
                if extra < 4 {
                    answer += "\n\n" + (0..<3).map { _ in "- \(sentence(&random, words: 9, language: language))" }.joined(separator: "\n")
                } else if extra < 7 {
                    let cells = (0..<12).map { _ in self.word(&random, language: language) }
                    answer += "\n\n| \(cells[0]) | \(cells[1]) | \(cells[2]) |\n|---|---|---|\n"
                        + "| \(cells[3]) | \(cells[4]) | \(cells[5]) |\n| \(cells[6]) | \(cells[7]) | \(cells[8]) |\n"
                        + "| \(cells[9]) | \(cells[10]) | \(cells[11]) |"
                }
                out += indent(answer)
            }
        }
        return out
    }

    /// The first corpus: Markdown-heavy (code spans and bold in a sixth of the words, a
    /// list in every answer, a table in a quarter).
    func mixedYAML(phase: Int, digits: String) -> String {
        var random = SplitMix(seed: UInt64(phase))
        var out = "phase: \(phase)\ntitle: {en: \"Topic \(phase): \(sentence(&random, words: 2, language: 0))\", "
            + "es: \"Tema \(phase): \(sentence(&random, words: 2, language: 1))\"}\nquestions:\n"
        for number in 1...questionsPerPhase {
            let id = "q-\(digits)-\(number < 10 ? "0\(number)" : "\(number)")"
            let kind = ["free", "single", "multiple"][Int(random.next() % 3)]
            out += "  - id: \(id)\n    kind: \(kind)\n"
            out += "    title: {en: \"\(sentence(&random, words: 6, language: 0))\", es: \"\(sentence(&random, words: 6, language: 1))\"}\n"
            out += "    prompt:\n"
            for language in 0...1 {
                out += "      \(language == 0 ? "en" : "es"): |-\n"
                out += indent(paragraph(&random, words: 45, language: language))
            }
            if kind != "free" {
                out += "    choices:\n"
                for _ in 0..<4 {
                    out += "      - {en: \"\(sentence(&random, words: 7, language: 0))\", es: \"\(sentence(&random, words: 7, language: 1))\"}\n"
                }
                out += kind == "single" ? "    correct: [\(1 + random.next() % 4)]\n" : "    correct: [1, \(2 + random.next() % 3)]\n"
            }
            let withTable = random.next() % 4 == 0
            out += "    answer:\n"
            for language in 0...1 {
                out += "      \(language == 0 ? "en" : "es"): |-\n"
                var answer = paragraph(&random, words: 40, language: language)
                answer += "\n\n- \(sentence(&random, words: 8, language: language))\n- \(sentence(&random, words: 8, language: language))"
                if withTable {
                    answer += "\n\n| Variant | Bytes | Speed-up |\n|---|---|---|\n| `fp16` | 2 | 1.0× |\n| `int8` | 1 | 1.8× |"
                }
                out += indent(answer)
            }
        }
        return out
    }

    /// Each language's vocabulary, drawn Zipf-like (the word of rank r about 1/r as often):
    /// its function words first, then a few thousand made-up words with the language's
    /// spelling (accents and ñ in Spanish), a quarter of them also in the plural. A real
    /// course's vocabulary, not 30 words that every search query would match everywhere.
    static let vocabularies = [
        Vocabulary(seed: 0xE1, size: 3_000, function: [
            "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "with", "on", "by", "this", "be",
            "are", "from", "at", "or", "an", "which", "each", "per", "when", "kernel", "memory", "weights",
            "cache", "latency", "tensor", "batch", "model", "error", "quantization", "bandwidth", "layer",
        ], onsets: ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "cr",
                    "sh", "th", "ch", "gr", "br", "sp"],
        vowels: ["a", "e", "i", "o", "u", "ea", "io", "ou", "ai", "ee"],
        codas: ["", "n", "r", "s", "t", "l", "m", "nd", "st", "ct", "x", "rt", "ng"],
        suffixes: ["", "", "", "ing", "ion", "er", "ed", "ly", "ment", "ness", "ity", "al"],
        plural: { $0.hasSuffix("s") || $0.hasSuffix("x") || $0.hasSuffix("sh") || $0.hasSuffix("ch") ? $0 + "es" : $0 + "s" }),
        Vocabulary(seed: 0xE5, size: 3_000, function: [
            "de", "la", "que", "el", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con", "una",
            "su", "para", "es", "al", "lo", "como", "más", "o", "sin", "cada", "cuando", "kernel", "memoria", "pesos",
            "caché", "latencia", "tensor", "lote", "modelo", "error", "cuantización", "ancho", "capa", "año",
        ], onsets: ["b", "c", "d", "f", "g", "l", "m", "n", "ñ", "p", "r", "s", "t", "v", "ch", "ll", "tr", "pr",
                    "br", "gr", "qu", "rr", "cu"],
        vowels: ["a", "e", "i", "o", "u", "a", "e", "o", "á", "é", "í", "ó", "ú", "ia", "ue", "ie"],
        codas: ["", "", "n", "r", "s", "l", "z"],
        suffixes: ["", "", "", "ción", "dad", "mente", "ar", "er", "ado", "ento", "oso", "ista"],
        plural: { word in
            if word.hasSuffix("ción") { return word.dropLast(4) + "ciones" }
            if word.hasSuffix("z") { return word.dropLast() + "ces" }
            if let last = word.last, "aeiouáéó".contains(last) { return word + "s" }
            return word + "es"
        }),
    ]

    private func word(_ random: inout SplitMix, language: Int) -> String {
        Self.vocabularies[language].draw(&random)
    }

    private func sentence(_ random: inout SplitMix, words count: Int, language: Int) -> String {
        var parts: [String] = []
        for index in 0..<count {
            var word = word(&random, language: language)
            if index == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            parts.append(word)
        }
        return parts.joined(separator: " ")
    }

    private func paragraph(_ random: inout SplitMix, words count: Int, language: Int) -> String {
        var parts: [String] = []
        for index in 0..<count {
            var word = word(&random, language: language)
            switch random.next() % 12 {
            case 0: word = "**\(word)**"
            case 1: word = "`\(word)_\(index)`"
            default: break
            }
            parts.append(word)
            if index % 12 == 11 { parts[parts.count - 1] += "." }
        }
        return parts.joined(separator: " ") + "."
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "\n" : "        \($0)\n" }.joined()
    }
}

/// A language's words by rank, and a Zipf draw over them (exponent 1).
struct Vocabulary: Sendable {
    let words: [String]
    /// The running sums of 1/rank, for the draw.
    private let cumulative: [Double]

    init(seed: UInt64, size: Int, function: [String], onsets: [String], vowels: [String], codas: [String],
         suffixes: [String], plural: (String) -> String) {
        var random = SplitMix(seed: seed)
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        var words = function
        var seen = Set(function)
        while words.count < size {
            var word = ""
            for _ in 0..<(1 + Int(random.next() % 2)) { word += pick(onsets) + pick(vowels) }
            word += pick(codas) + pick(suffixes)
            guard word.count > 2, seen.insert(word).inserted else { continue }
            words.append(word)
            // A quarter of the words come in the plural too, a few ranks later.
            if random.next() % 4 == 0, seen.insert(plural(word)).inserted { words.append(plural(word)) }
        }
        self.words = words
        var sum = 0.0
        cumulative = words.indices.map { rank in
            sum += 1 / Double(rank + 1)
            return sum
        }
    }

    func draw(_ random: inout SplitMix) -> String {
        let target = Double(random.next() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        // The target is below the last sum, or at it when the product rounds up.
        return words[min(cumulative.lowerBound(of: target) { $0 }, words.count - 1)]
    }
}

/// A tiny deterministic random number generator (SplitMix64), independent of the platform.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
