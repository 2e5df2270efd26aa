import CByteScan
import Foundation
import TokenCodec
import ValidatedUTF8

/// The lint stage: item-writing flaws that let learners guess (`LintRule`), found in the
/// validated model, each a located warning (an error for a duplicate choice) carrying its
/// rule id. Phases are linted one by one as they load (`lint(_:languages:)`); the key
/// positions of the whole course once all have (`course(_:)`).
enum Linter {
    /// A phase's findings, less the rules it or a question allows.
    static func lint(_ quiz: Quiz, languages: [Language]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for question in quiz.questions {
            // A set of the rules allowed made only when there are some: most questions allow none.
            let allowed: Set<String> = quiz.lintAllowed.isEmpty && question.lintAllowed.isEmpty ? [] : Set(quiz.lintAllowed + question.lintAllowed)
            let findings = questionFindings(question, languages: languages)
            found += allowed.isEmpty ? findings : findings.filter { !allowed.contains($0.rule ?? "") }
            if !allowed.contains(LintRule.translationLength.rawValue) {
                found += translationLength(question, languages: languages)
            }
        }
        if !quiz.lintAllowed.contains(LintRule.translationLength.rawValue) {
            found += translationLength([quiz.title], languages: languages)
        }
        if !quiz.lintAllowed.contains(LintRule.keyPosition.rawValue) {
            found += phaseKeyPositions(quiz.keyPlacements.filter { !$0.allowsKeyPosition })
        }
        return found
    }

    private static func warning(_ rule: LintRule, _ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(rule == .duplicateChoice ? .error : .warning, at: location, message, rule: rule.rawValue)
    }

    // MARK: - One question

    private static func questionFindings(_ question: Question, languages: [Language]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let keyPlace = question.correctLocation ?? question.location
        if question.kind == .multiple, question.correct.count == question.choices.count {
            found.append(warning(.allCorrect, keyPlace, "every choice of \(question.id) is correct, so ticking everything wins; add a wrong choice or make one of them wrong"))
        }
        if question.kind == .multiple, question.correct.count == 1 {
            found.append(warning(.oneCorrect, keyPlace, "\(question.id) has one correct choice; make it 'kind: single' so the page says \"Choose one.\""))
        }
        guard question.kind.hasChoices else { return found }
        for language in languages {
            let choices = question.choices.map { $0[language.code] }
            // Duplicate choices, after case, space and accent folding.
            var seen: [(key: String, index: Int)] = [] // a handful: a list, not a dictionary
            var folded: [String] = [] // the choices folded, for the stem-echo rule
            for (index, choice) in choices.enumerated() {
                guard let choice else { continue }
                let key = fold(choice)
                folded.append(key)
                if let first = seen.first(where: { $0.key == key })?.index {
                    found.append(warning(.duplicateChoice, question.choices[index].valueLocation(language.code) ?? keyPlace,
                                         "choices \(first + 1) and \(index + 1) of \(question.id) say the same thing ('\(choice)'); reword or remove one"))
                } else {
                    seen.append((key, index))
                }
                if isAllOrNone(key) {
                    found.append(warning(.allNoneOfTheAbove, question.choices[index].valueLocation(language.code) ?? keyPlace,
                                         "'\(choice)' as a choice rewards partial knowledge and reading order; write a real option instead"))
                }
            }
            if let prompt = question.prompt[language.code], let word = unemphasizedNegative(prompt, code: language.code) {
                found.append(warning(.negativeStem, question.prompt.valueLocation(language.code) ?? question.location,
                                     "the prompt of \(question.id) asks for the one that is '\(word)' without emphasis; write it in bold (**\(word)**) or ask positively"))
            }
            if question.kind == .single, let key = question.correct.first, choices.allSatisfy({ $0 != nil }) {
                found += longestChoice(question, key: key, choices: choices.map { $0! }, code: language.code)
                found += stemEcho(question, key: key, folded: folded, code: language.code)
            }
        }
        return found
    }

    /// The correct choice is strictly the longest, at least 1.5 times the mean of the others
    /// and 8 characters longer than it: short pairs like "Yes" / "No" never count.
    private static func longestChoice(_ question: Question, key: Int, choices: [String], code: String) -> [Diagnostic] {
        let lengths = choices.map { Double(plainLength($0)) }
        let correct = lengths[key - 1]
        let others = lengths.enumerated().filter { $0.offset != key - 1 }.map(\.element)
        let mean = others.reduce(0, +) / Double(others.count)
        guard correct > (others.max() ?? 0), correct >= 1.5 * mean, correct - mean >= 8 else { return [] }
        let location = question.choices[key - 1].valueLocation(code) ?? question.location
        return [warning(.longestChoice, location, "the correct choice of \(question.id) is the longest (\(Int(correct)) characters; the others average \(Int(mean.rounded(.toNearestOrEven)))), the classic cue; shorten it or lengthen the others")]
    }

    /// The correct choice alone shares a content word (5 letters or more) with the prompt;
    /// `folded` holds the choices, folded.
    private static func stemEcho(_ question: Question, key: Int, folded choices: [String], code: String) -> [Diagnostic] {
        guard let prompt = question.prompt[code] else { return [] }
        // The correct choice's few content words, each searched for in the folded prompt
        // (`memmem`) as a whole word: most questions' occur nowhere in it, and then the
        // prompt's words are not read one by one, nor the wrong choices at all.
        var folded = fold(prompt)
        var echoed: String?
        var correct = choices[key - 1]
        correct.withUTF8 { choice in
            folded.withUTF8 { text in
                forEachContentWord(in: choice) { word in
                    guard occursAsWord(word, in: text) else { return }
                    let found = String(validatedUTF8: word)
                    if echoed.map({ found < $0 }) ?? true { echoed = found }
                }
            }
        }
        guard let echoed else { return [] }
        let stem = FoldedWords(folded)
        guard choices.indices.allSatisfy({ index in
            guard index != key - 1 else { return true }
            var choice = choices[index], shares = false
            choice.withUTF8 { text in forEachContentWord(in: text) { if !shares, stem.contains($0) { shares = true } } }
            return !shares
        }) else { return [] }
        let location = question.choices[key - 1].valueLocation(code) ?? question.location
        return [warning(.stemEcho, location, "only the correct choice of \(question.id) repeats a word of the prompt ('\(echoed)'), which points at it; use the word in a wrong choice too, or reword")]
    }

    /// A translation 3 times longer or shorter than its English text (texts of 20
    /// characters or more): often a wrong or partial translation.
    private static func translationLength(_ question: Question, languages: [Language]) -> [Diagnostic] {
        // Each text read where it is (gathered into an array, a question's were copied).
        var found: [Diagnostic] = []
        translationLength(question.title, languages: languages, into: &found)
        translationLength(question.prompt, languages: languages, into: &found)
        translationLength(question.answer, languages: languages, into: &found)
        for index in question.choices.indices { translationLength(question.choices[index], languages: languages, into: &found) }
        return found
    }

    private static func translationLength(_ texts: [LocalizedText], languages: [Language]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for text in texts { translationLength(text, languages: languages, into: &found) }
        return found
    }

    private static func translationLength(_ text: LocalizedText, languages: [Language], into found: inout [Diagnostic]) {
        guard let english = text[Language.primaryCode] else { return }
        for language in languages where !language.isPrimary {
            guard let translation = text[language.code] else { continue }
            let (a, b) = (Double(plainLength(english)), Double(plainLength(translation)))
            guard max(a, b) >= 20, b > 3 * a || b * 3 < a else { continue }
            found.append(warning(.translationLength, text.valueLocation(language.code) ?? text.location,
                                 "the '\(language.code)' text is \(Int(b)) characters where the English is \(Int(a)); check that it translates all of it, and only it"))
        }
    }

    // MARK: - Key positions

    /// Skew in one phase of 4 or more choice questions: one position holds more than half
    /// of the keys (and at least 3), or a position every question has holds none while
    /// another holds 3 or more.
    static func phaseKeyPositions(_ keys: [KeyPlacement]) -> [Diagnostic] {
        guard keys.count >= 4 else { return [] }
        let positions = keys.flatMap(\.positions)
        let shared = keys.map(\.choiceCount).min() ?? 0
        var counts = [Int](repeating: 0, count: (keys.map(\.choiceCount).max() ?? 0) + 1)
        for position in positions { counts[position] += 1 }
        let top = counts.indices.dropFirst().max { counts[$0] < counts[$1] } ?? 1
        let crowded = counts[top] >= 3 && counts[top] * 2 > positions.count
        let empty = (1...max(shared, 1)).first { counts[$0] == 0 && counts[top] >= 3 }
        guard crowded || empty != nil, let first = keys.first(where: { $0.positions.contains(top) }) else { return [] }
        let spread = (1..<counts.count).map { "\(counts[$0])" }.joined(separator: ", ")
        let why = crowded ? "position \(top) holds \(counts[top]) of the \(positions.count) keys"
                          : "position \(empty!) holds none while position \(top) holds \(counts[top])"
        return [warning(.keyPosition, first.location, "the keys of this phase's \(keys.count) choice questions are skewed: \(why) (positions 1–\(counts.count - 1): \(spread)); reorder choices and update 'correct'")]
    }

    /// The course's key positions against uniform, by a chi-square test at p < 0.05: each
    /// question of n choices and k keys expects k/n keys at each of its positions. Needs 10
    /// keys or more.
    static func course(_ keys: [KeyPlacement]) -> [Diagnostic] {
        course(phases: [keys])
    }

    /// `course(_:)` over the phases' key placements, in order, without joining them: an edit
    /// of a 1,000-phase course tests 20,000 of them.
    static func course<Phase: KeyPlacements>(phases: [Phase]) -> [Diagnostic] {
        var width = 0, keyCount = 0
        for phase in phases {
            phase.forEachKey { choiceCount, positions, allowsKeyPosition in
                guard !allowsKeyPosition else { return }
                width = max(width, choiceCount)
                keyCount += positions.count
            }
        }
        guard keyCount >= 10 else { return [] }
        var observed = [Double](repeating: 0, count: width + 1)
        var expected = [Double](repeating: 0, count: width + 1)
        for phase in phases {
            phase.forEachKey { choiceCount, positions, allowsKeyPosition in
                guard !allowsKeyPosition else { return }
                for position in positions { observed[position] += 1 }
                for position in 1...choiceCount { expected[position] += Double(positions.count) / Double(choiceCount) }
            }
        }
        let cells = (1...width).filter { expected[$0] > 0 }
        let chiSquare = cells.reduce(0.0) { $0 + pow(observed[$1] - expected[$1], 2) / expected[$1] }
        let p = chiSquareUpperTail(chiSquare, degrees: cells.count - 1)
        guard p < 0.05, let most = cells.max(by: { observed[$0] - expected[$0] < observed[$1] - expected[$1] }),
              let first = phases.lazy.joined().first(where: { !$0.allowsKeyPosition && $0.positions.contains(most) }) else { return [] }
        let spread = cells.map { "\(Int(observed[$0])) (\(fixed(expected[$0], digits: 1)) expected)" }.joined(separator: ", ")
        return [warning(.keyPosition, first.location, "across the course the keys are not spread evenly over positions 1–\(width): \(spread); chi-square \(fixed(chiSquare, digits: 1)), p = \(fixed(p, digits: 3)) (position \(most) is over-used first here); reorder choices and update 'correct'")]
    }

    /// `value` with `digits` decimals, as `String(format: "%.<digits>f")` writes it: the
    /// double's exact value rounded half to even. Without `String(format:)`, whose arguments
    /// are cast at run time: a program's first casts search every conformance it has, and
    /// this warning cost an edit 1 % of its instructions.
    static func fixed(_ value: Double, digits: Int) -> String {
        precondition((0...18).contains(digits))
        let sign = value.sign == .minus ? "-" : ""
        guard value.isFinite else { return sign + (value.isNaN ? "nan" : "inf") }
        // value = significand × 2^exponent exactly.
        let subnormal = value.exponentBitPattern == 0
        let significand = UInt128(value.significandBitPattern) | (subnormal ? 0 : 1 << 52)
        let exponent = Int(subnormal ? 1 : value.exponentBitPattern) - 1075
        guard exponent <= 0 else { return String(format: "%.\(digits)f", value) } // beyond 2^53: never in a warning
        var power: UInt128 = 1
        for _ in 0..<digits { power *= 10 }
        // value × 10^digits, as a whole number rounded half to even.
        let scaled = significand * power, shift = -exponent
        var rounded: UInt128 = shift < 128 ? scaled >> shift : 0
        if shift > 0, shift < 128 {
            let rest = scaled - (rounded << shift), half = UInt128(1) << (shift - 1)
            if rest > half || (rest == half && rounded & 1 == 1) { rounded += 1 }
        }
        let whole = String(rounded / power)
        guard digits > 0 else { return sign + whole }
        let fraction = String(rounded % power)
        return sign + whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// Q(k/2, x/2): the probability of a chi-square of `degrees` degrees of freedom being at
    /// least `x` (the regularized upper incomplete gamma function, by its series below a + 1
    /// and its continued fraction above, as in Numerical Recipes §6.2).
    static func chiSquareUpperTail(_ x: Double, degrees: Int) -> Double {
        guard degrees > 0, x > 0 else { return 1 }
        let a = Double(degrees) / 2, z = x / 2
        let logPrefix = -z + a * log(z) - lgamma(a)
        if z < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<500 {
                n += 1
                term *= z / n
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        var b = z + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1...500 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < 1e-300 { d = 1e-300 }
            c = b + an / c
            if abs(c) < 1e-300 { c = 1e-300 }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return min(1, exp(logPrefix) * h)
    }

    // MARK: - Text helpers

    /// Lowercased, accents and surrounding punctuation removed, white space collapsed. Text
    /// in ASCII and Latin-1 letters (most English and Spanish) takes a byte loop; anything else
    /// Foundation's folding, which is ten times slower.
    static func fold(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { fold($0) } ?? foundationFold(text)
    }

    /// The byte loop of `fold`; nil for text it leaves to Foundation. The folded text is
    /// never longer than the text: it is written straight into room for that many bytes.
    private static func fold(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        var leftToFoundation = false
        // Straight into the string's own storage: no array between (a choice's fold was
        // two allocations).
        let folded = String(unsafeUninitializedCapacity: utf8.count) { out in
            var space = false
            var position = 0, written = 0
            @inline(__always) func put(_ byte: UInt8) {
                out[written] = byte
                written += 1
            }
            asciiFolds.withUnsafeBufferPointer { asciiFolds in
                while position < utf8.count {
                    let byte = utf8[position]
                    position += 1
                    var folded = byte
                    if byte < 0x80 {
                        // Most bytes: one look-up, no chain of comparisons.
                        folded = asciiFolds[Int(byte)]
                        if folded == whiteSpace {
                            space = written > 0
                            continue
                        }
                        if space { put(0x20); space = false }
                        put(folded)
                        continue
                    }
                    // Latin-1 letters (U+00C0…U+00FF, but ß) and ¡ ¿ « » ·; anything else goes to Foundation.
                    guard byte == 0xC3 || byte == 0xC2, position < utf8.count, utf8[position] != 0x9F || byte == 0xC2 else {
                        leftToFoundation = true
                        break
                    }
                    let next = utf8[position]
                    position += 1
                    if byte == 0xC2 {
                        guard isLatin1Punctuation(next) else {
                            leftToFoundation = true
                            break
                        }
                        if space { put(0x20); space = false }
                        put(byte)
                        put(next)
                        continue
                    }
                    if let base = latin1Base[Int(next & 0x1F)] {
                        folded = base
                    } else {
                        if space { put(0x20); space = false }
                        put(byte)
                        put(next >= 0x80 && next <= 0x9E && next != 0x97 ? next | 0x20 : next)
                        continue
                    }
                    if space { put(0x20); space = false }
                    put(folded)
                }
            }
            guard !leftToFoundation else { return 0 }
            // Foundation's punctuation set, less the symbols it leaves alone ($ + < = > ^ ` | ~).
            let isPunctuation = { (byte: UInt8) in
                switch byte {
                case UInt8(ascii: "$"), UInt8(ascii: "+"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
                     UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): false
                default: (byte >= 0x21 && byte <= 0x2F) || (byte >= 0x3A && byte <= 0x40) || (byte >= 0x5B && byte <= 0x60) || (byte >= 0x7B && byte <= 0x7E)
                }
            }
            var start = 0, end = written
            while start < end {
                if isPunctuation(out[start]) { start += 1 } else if out[start] == 0xC2, start + 1 < end { start += 2 } else { break }
            }
            while end > start {
                if isPunctuation(out[end - 1]) { end -= 1 } else if end - start >= 2, out[end - 2] == 0xC2 { end -= 2 } else { break }
            }
            if start > 0, end > start { memmove(out.baseAddress!, out.baseAddress! + start, end - start) }
            return end - start
        }
        return leftToFoundation ? nil : folded
    }

    /// What `fold` writes for each ASCII byte: letters lowercased, `whiteSpace` for a space,
    /// tab, line feed or carriage return, any other byte as it is.
    private static let asciiFolds: [UInt8] = (0..<128).map { (byte: UInt8) in
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D: whiteSpace
        case 0x41...0x5A: byte | 0x20
        default: byte
        }
    }

    /// Not an ASCII byte: white space in `asciiFolds`.
    private static let whiteSpace: UInt8 = 0xFF

    /// ¡ « · » ¿ (second UTF-8 bytes after 0xC2): punctuation to Foundation too.
    private static func isLatin1Punctuation(_ secondByte: UInt8) -> Bool {
        switch secondByte {
        case 0xA1, 0xAB, 0xB7, 0xBB, 0xBF: true
        default: false
        }
    }

    private static func foundationFold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .trimmingCharacters(in: .punctuationCharacters)
    }

    /// The base letter of each Latin-1 letter U+00C0…U+00FF (by its second UTF-8 byte's low
    /// six bits), lowercased; nil for ×, ÷, Æ, Ð, Þ, ß and the like, kept as they are.
    private static let latin1Base: [UInt8?] = {
        let upper = "aaaaaa" + "_" + "ceeeeiiii" + "_" + "nooooo" + "_" + "_" + "uuuuy" + "__"
        return upper.utf8.map { $0 == UInt8(ascii: "_") ? nil : $0 }
    }()

    private static let allOrNone: Set<String> = [
        "all of the above", "none of the above", "all the above", "all of these", "none of these",
        "both of the above", "neither of the above", "all of them", "none of them", "all are correct",
        "none is correct", "none are correct",
        "todas las anteriores", "ninguna de las anteriores", "todas las opciones anteriores",
        "ninguna de las opciones anteriores", "todas son correctas", "ninguna es correcta", "ambas anteriores",
        "todas ellas", "ninguna de ellas",
    ]

    static func isAllOrNone(_ folded: String) -> Bool {
        // Most choices are longer than any of these: not hashed.
        folded.utf8.count <= allOrNoneLongest && allOrNone.contains(folded)
    }

    private static let allOrNoneLongest = allOrNone.map(\.utf8.count).max() ?? 0

    /// A negative that asks for the wrong option ("which is not", "all except"; "¿cuál no",
    /// "excepto", "salvo"), unless it is emphasised (bold, italics or capitals).
    static func unemphasizedNegative(_ prompt: String, code: String) -> String? {
        let spanish = code == "es"
        // Most prompts hold no negative word at all: a byte search before any regex.
        guard containsAnyWord(prompt, spanish ? spanishCues : englishCues) else { return nil }
        let regexes = spanish ? spanishNegatives : englishNegatives
        for regex in regexes {
            let range = NSRange(prompt.startIndex..., in: prompt)
            for match in regex.matches(in: prompt, range: range) {
                let group = match.range(at: match.numberOfRanges - 1)
                guard let wordRange = Range(group, in: prompt) else { continue }
                let word = String(prompt[wordRange])
                let before = prompt[..<wordRange.lowerBound].suffix(2), after = prompt[wordRange.upperBound...].prefix(2)
                let emphasised = word == word.uppercased() || before.hasSuffix("*") || before.hasSuffix("_")
                    || after.hasPrefix("*") || after.hasPrefix("_")
                if !emphasised { return word }
            }
        }
        return nil
    }

    private static let englishCues = ["not", "except"].map { Array($0.utf8) }
    private static let spanishCues = ["no", "excepto", "salvo"].map { Array($0.utf8) }

    private static let englishNegatives = [
        "\\b(except)\\b", "\\b(which|what)\\b[^.?!]*?\\b(not)\\b",
    ].compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    private static let spanishNegatives = [
        "\\b(excepto|salvo)\\b", "(cu[aá]l(es)?|qu[eé])\\b[^.?!]*?\\b(no)\\b",
    ].compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// Characters a reader sees (Unicode scalars): Markdown's emphasis and code marks not counted.
    static func plainLength(_ markdown: String) -> Int {
        markdown.withUTF8Bytes { quizdoc_plain_length($0.baseAddress, $0.count) }
    }

    /// Content words: 5 letters or more, folded. Bytes of non-ASCII letters count as
    /// letters (a folded accent-free word stays whole).
    static func words(_ text: String) -> [String] {
        var folded = fold(text)
        var result: [String] = []
        folded.withUTF8 { text in forEachContentWord(in: text) { result.append(String(decoding: $0, as: UTF8.self)) } }
        return result
    }

    /// Calls `body` with each content word of `folded`, a text `fold(_:)` made: each run of
    /// word bytes with 5 letters or more.
    static func forEachContentWord(in folded: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0, letters = 0
        for index in 0...folded.count {
            if index < folded.count, isWordByte(folded[index]) {
                if folded[index] & 0xC0 != 0x80 { letters += 1 }
                continue
            }
            if letters >= 5 { body(UnsafeBufferPointer(rebasing: folded[start..<index])) }
            start = index + 1
            letters = 0
        }
    }

    /// The content words of a folded text, as a set of their bytes.
    struct FoldedWords {
        private var table = TermTable()

        init(_ folded: String) {
            var folded = folded
            folded.withUTF8 { text in forEachContentWord(in: text) { _ = table.number(of: $0) } }
        }

        func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool { table.contains(word) }

        func contains(_ word: String) -> Bool {
            word.withUTF8Bytes { table.contains($0) }
        }
    }

    /// Whether `word` (a content word of a folded text) is one of the content words of the
    /// folded `text`: found with word bytes on neither side.
    static func occursAsWord(_ word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, let needle = word.baseAddress, !word.isEmpty else { return false }
        var from = 0
        while true {
            let start = from + quizdoc_find(base + from, text.count - from, needle, word.count), end = start + word.count
            guard end <= text.count else { return false }
            if (start == 0 || !isWordByte(text[start - 1])) && (end == text.count || !isWordByte(text[end])) { return true }
            from = start + 1
        }
    }

    /// The bytes `words(_:)` keeps in a word.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || ASCII.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    /// Whether `text` holds one of `words` (lowercase ASCII) as a whole word, in any case:
    /// one pass over its runs of letters, each compared with the words of its length.
    static func containsAnyWord(_ text: String, _ words: [[UInt8]]) -> Bool {
        text.withUTF8Bytes { bytes in
            // A word: a run of letters, ASCII in either case or any byte of a non-ASCII
            // character, found sixteen bytes at a time (`quizdoc_letter_run`; a byte at a
            // time, this look cost 1.4 % of a prose course's full build).
            var start = 0
            while start < bytes.count {
                let length = quizdoc_letter_run(bytes.baseAddress! + start, bytes.count - start)
                for word in words where word.count == length {
                    if word.indices.allSatisfy({ bytes[start + $0] | 0x20 == word[$0] }) { return true }
                }
                start += length + 1
            }
            return false
        }
    }
}

/// Where the key of one choice question lies, in a form a phase's manifest record keeps, so
/// that the course-wide test sees reused phases too.
struct KeyPlacement: Hashable, Sendable {
    var choiceCount: Int
    var positions: KeyPositions
    var location: SourceLocation
    /// The question allows `key-position`.
    var allowsKeyPosition: Bool
}

/// Key placements whose counts can be read without their places: the course-wide lint reads
/// the 20,000 keys of a 1,000-phase course on every edit, and names one place at most.
protocol KeyPlacements: Sequence<KeyPlacement> {
    /// Each key's choice count, positions, and whether its question allows `key-position`.
    func forEachKey(_ body: (_ choiceCount: Int, _ positions: KeyPositions, _ allowsKeyPosition: Bool) -> Void)
}

extension Array: KeyPlacements where Element == KeyPlacement {
    func forEachKey(_ body: (_ choiceCount: Int, _ positions: KeyPositions, _ allowsKeyPosition: Bool) -> Void) {
        for key in self { body(key.choiceCount, key.positions, key.allowsKeyPosition) }
    }
}

/// A phase's key placements as its summary and its manifest record keep them, packed: four
/// little-endian 32-bit numbers a key (its choice count, with bit 8 set when it allows
/// `key-position`; the bits of its positions; its line; its column), all in the phase's file
/// (`path`). An edit reads 1,000 records: their 20,000 placements, five numbers each, were
/// read one by one into values that each held the path (5 M instructions of an edit's 221 M).
struct KeyLayout: Hashable, Sendable, KeyPlacements, ExpressibleByArrayLiteral {
    let path: String
    private(set) var packed: ArraySlice<UInt8>

    /// Placements all in the file at `path` (a quiz's, `Quiz.keyLayout`).
    init(_ placements: some Sequence<KeyPlacement>, path: String) {
        self.path = path
        var packed: [UInt8] = []
        packed.reserveCapacity(16 * placements.underestimatedCount)
        func append(_ word: UInt32) { withUnsafeBytes(of: word.littleEndian) { packed += $0 } }
        for key in placements {
            append(UInt32(key.choiceCount) | (key.allowsKeyPosition ? 1 << 8 : 0))
            append(key.positions.bits)
            append(UInt32(clamping: key.location.line))
            append(UInt32(clamping: key.location.column))
        }
        self.packed = packed[...]
    }

    /// Placements from a test, all in the first one's file.
    init(arrayLiteral placements: KeyPlacement...) {
        self.init(placements, path: placements.first?.location.path ?? "")
    }

    /// What `packed` gave back, checked: nil unless it holds whole keys, each with 1 to 31
    /// choices and its positions among them.
    init?(packed: ArraySlice<UInt8>, path: String) {
        guard packed.count % 16 == 0 else { return nil }
        self.path = path
        self.packed = packed
        for key in 0..<count {
            let head = word(key, 0)
            let choices = head & 0xFF
            guard (1...31).contains(choices), head >> 9 == 0,
                  UInt64(word(key, 1)) & ~(UInt64(2) << choices - 2) == 0 else { return nil }
        }
    }

    var count: Int { packed.count / 16 }

    private func word(_ key: Int, _ index: Int) -> UInt32 {
        packed.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: key * 16 + index * 4, as: UInt32.self)) }
    }

    subscript(key: Int) -> KeyPlacement {
        let head = word(key, 0)
        return KeyPlacement(choiceCount: Int(head & 0xFF), positions: KeyPositions(bits: word(key, 1)),
                            location: SourceLocation(path: path, line: Int(word(key, 2)), column: Int(word(key, 3))),
                            allowsKeyPosition: head & 1 << 8 != 0)
    }

    func makeIterator() -> some IteratorProtocol<KeyPlacement> {
        (0..<count).lazy.map { self[$0] }.makeIterator()
    }

    /// Without a place made of each key (the path retained and released 20,000 times).
    func forEachKey(_ body: (_ choiceCount: Int, _ positions: KeyPositions, _ allowsKeyPosition: Bool) -> Void) {
        for key in 0..<count {
            let head = word(key, 0)
            body(Int(head & 0xFF), KeyPositions(bits: word(key, 1)), head & 1 << 8 != 0)
        }
    }
}

/// The positions of a key's correct choices (1 to 26, `Limits.choices`), in ascending order,
/// as the bits of one number: a course's 20,000 keys are not 20,000 arrays, made again from
/// the manifest by every edit.
struct KeyPositions: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    /// Bit `n` set for position `n`.
    let bits: UInt32

    init(bits: UInt32) {
        self.bits = bits
    }

    /// Positions from 1 to 31; any other is not one, and left out.
    init(_ positions: some Sequence<Int>) {
        bits = positions.reduce(0) { bits, position in (1...31).contains(position) ? bits | 1 << UInt32(position) : bits }
    }

    init(arrayLiteral positions: Int...) {
        self.init(positions)
    }

    var count: Int { bits.nonzeroBitCount }

    func contains(_ position: Int) -> Bool {
        (1...31).contains(position) && bits & 1 << UInt32(position) != 0
    }

    func makeIterator() -> Iterator {
        Iterator(rest: bits)
    }

    struct Iterator: IteratorProtocol {
        var rest: UInt32

        mutating func next() -> Int? {
            guard rest != 0 else { return nil }
            let position = rest.trailingZeroBitCount
            rest &= rest - 1
            return position
        }
    }
}

extension Quiz {
    var keyLayout: KeyLayout {
        KeyLayout(keyPlacements, path: sourcePath)
    }

    var keyPlacements: [KeyPlacement] {
        // By index, each field read where it is: filtered, the questions were copied whole.
        let rule = LintRule.keyPosition.rawValue
        return questions.indices.compactMap { index in
            guard questions[index].kind.hasChoices else { return nil }
            return KeyPlacement(choiceCount: questions[index].choices.count, positions: KeyPositions(questions[index].correct),
                                location: questions[index].correctLocation ?? questions[index].location,
                                allowsKeyPosition: lintAllowed.contains(rule) || questions[index].lintAllowed.contains(rule))
        }
    }
}
