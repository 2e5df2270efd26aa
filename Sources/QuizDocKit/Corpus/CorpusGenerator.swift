/// A deterministic synthetic course for benchmarks and stress tests: `phases` files of
/// 20 questions each, English and Spanish, with the Markdown real quizzes use (code spans,
/// bold, lists, a small table in some answers), about 150 words per question with its answer,
/// free, single and multiple questions mixed. The same arguments give the same bytes.
public struct CorpusGenerator {
    public let phases: Int
    public let questionsPerPhase: Int

    public init(phases: Int, questionsPerPhase: Int = 20) {
        self.phases = phases
        self.questionsPerPhase = questionsPerPhase
    }

    /// File name → YAML text, for `data/quizzes/`.
    public func files() -> [(name: String, yaml: String)] {
        (1...max(phases, 1)).map { phase in
            let digits = phase < 100 ? (phase < 10 ? "0\(phase)" : "\(phase)") : "\(phase)"
            return ("phase-\(digits)-topic-\(phase).yaml", yaml(phase: phase, digits: digits))
        }
    }

    func yaml(phase: Int, digits: String) -> String {
        var random = SplitMix(seed: UInt64(phase))
        var out = "phase: \(phase)\ntitle: {en: \"Topic \(phase)\", es: \"Tema \(phase)\"}\nquestions:\n"
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

    private static let words = [
        ["the", "kernel", "reads", "weights", "from", "memory", "while", "tensor", "cores", "multiply", "each", "tile",
         "bandwidth", "limits", "decode", "latency", "because", "activations", "stay", "small", "cache", "scales",
         "per", "channel", "error", "grows", "with", "outliers", "batch", "size", "raises", "intensity"],
        ["el", "kernel", "lee", "pesos", "desde", "memoria", "mientras", "núcleos", "tensoriales", "multiplican", "cada",
         "bloque", "ancho", "limita", "decodificación", "latencia", "porque", "activaciones", "quedan", "pequeñas",
         "caché", "escala", "por", "canal", "error", "crece", "con", "atípicos", "lote", "tamaño", "eleva", "intensidad"],
    ]

    private func sentence(_ random: inout SplitMix, words count: Int, language: Int) -> String {
        var parts: [String] = []
        for index in 0..<count {
            var word = Self.words[language][Int(random.next() % UInt64(Self.words[language].count))]
            if index == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            parts.append(word)
        }
        return parts.joined(separator: " ")
    }

    private func paragraph(_ random: inout SplitMix, words count: Int, language: Int) -> String {
        var parts: [String] = []
        for index in 0..<count {
            var word = Self.words[language][Int(random.next() % UInt64(Self.words[language].count))]
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
