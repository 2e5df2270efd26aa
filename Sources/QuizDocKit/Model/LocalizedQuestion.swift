import CByteScan
import TokenCodec

/// A text as one language shows it: its own translation, or the English text standing in
/// for a missing one.
public struct ShownText: Hashable, Sendable {
    /// Markdown (inline for titles and choices, block for prompts and answers).
    public var markdown: String
    /// The English text stands in for a translation that is missing.
    public var isFallback: Bool
    /// The language code of `markdown` (the reader's, or `en` for a fallback).
    public var code: String
    /// Where that value is in the YAML, for problems found in it.
    public var location: SourceLocation
}

extension LocalizedText {
    /// This text as `language` shows it.
    public func shown(in language: Language) -> ShownText {
        let code = self[language.code] != nil ? language.code : Language.primaryCode
        return ShownText(markdown: self[code] ?? "", isFallback: code != language.code, code: code,
                         location: valueLocation(code) ?? location)
    }
}

/// One question in one language, made once and only formatted by each output (the Markdown
/// mirror, the site's page, and any later one): which texts it shows, which of them fell
/// back to English, and the lead-in generated from the key.
public struct LocalizedQuestion: Sendable {
    /// The fields, in one object its copies share: the site and the mirror each take a
    /// phase's questions in turn, and a copy of the fields themselves retained (and then
    /// released) their twenty strings and arrays, 12,000 times in a 100-phase course.
    private let fields: Fields

    public var id: String { fields.id }
    public var kind: Question.Kind { fields.kind }
    public var language: Language { fields.language }
    /// Inline Markdown.
    public var title: ShownText { fields.title }
    /// Block Markdown.
    public var prompt: ShownText { fields.prompt }
    /// Inline Markdown each; empty for a free question.
    public var choices: [ShownText] { fields.choices }
    /// Block Markdown: the model answer (free) or the explanation.
    public var answer: ShownText { fields.answer }
    /// "Choices 2 and 4.", from the key, so it can never contradict it; nil for a free question.
    public var leadIn: String? { fields.leadIn }
    /// Whether the lead-in opens the answer's first paragraph rather than standing as a
    /// paragraph of its own: only when the answer (or the untranslated mark before it) starts
    /// with a plain paragraph, so that a prefix cannot change what the text means.
    public var leadInJoinsAnswer: Bool { fields.leadInJoinsAnswer }
    /// "free" for a free question, in this language; nil otherwise.
    public var kindMark: String? { fields.kindMark }
    /// How the question is answered, in this language: "Choose one.", …
    public var howToAnswer: String { fields.howToAnswer }
    /// Words a good answer contains (free questions), inline Markdown each; may be empty.
    public var expected: [ShownText] { fields.expected }
    /// The choice numbers of the key (1-based), for the page's self-check.
    public var correct: [Int] { fields.correct }
    /// See `Question.fingerprint`.
    public var fingerprint: String { fields.fingerprint }
    /// A text of it in this language may be outdated (its English changed since).
    public var isOutdated: Bool { fields.isOutdated }

    private final class Fields: Sendable {
        let id: String
        let kind: Question.Kind
        let language: Language
        let title, prompt, answer: ShownText
        let choices, expected: [ShownText]
        let leadIn, kindMark: String?
        let leadInJoinsAnswer: Bool
        let howToAnswer: String
        let correct: [Int]
        let fingerprint: String
        let isOutdated: Bool

        init(_ question: Question, phrases: inout Phrases, fingerprint: String?, isOutdated: Bool) {
            let language = phrases.language
            id = question.id
            kind = question.kind
            self.language = language
            title = question.title.shown(in: language)
            prompt = question.prompt.shown(in: language)
            choices = question.choices.map { $0.shown(in: language) }
            answer = question.answer.shown(in: language)
            let leadIn = question.kind.hasChoices ? phrases.leadIn(question.correct) : nil
            self.leadIn = leadIn
            let firstBlock = answer.isFallback ? phrases.untranslatedBlock : answer.markdown
            // Only a first paragraph of several lines can turn out to be a setext heading or a
            // table; a one-line one needs no parse.
            leadInJoinsAnswer = leadIn != nil && LocalizedQuestion.startsWithParagraph(firstBlock)
                && (!LocalizedQuestion.continuesPastFirstLine(firstBlock) || Markdown.opensWithParagraph(firstBlock))
            kindMark = question.kind == .free ? phrases.freeMark : nil
            howToAnswer = phrases.howToAnswer(question.kind)
            expected = question.expected?.shown(in: language) ?? []
            correct = question.correct
            self.fingerprint = fingerprint ?? question.fingerprint
            self.isOutdated = isOutdated
        }
    }

    /// `fingerprint`: the question's (`Question.fingerprint`), when already made.
    public init(_ question: Question, in language: Language, fingerprint: String? = nil) {
        var phrases = Phrases(language)
        self.init(question, phrases: &phrases, fingerprint: fingerprint)
    }

    /// The words a question's lead-in and marks take from the language's UI strings, each
    /// made once for the questions of a quiz (a lead-in, once for each key): made for every
    /// question, they cost 3 % of the instructions that localized it.
    struct Phrases {
        let language: Language
        let untranslatedBlock: String
        let freeMark: String
        private let howSingle, howMultiple, howFree: String
        private var leadIns: [[Int]: String] = [:]

        init(_ language: Language) {
            self.language = language
            untranslatedBlock = language.text(.untranslatedBlock)
            freeMark = language.text(.freeMark)
            (howSingle, howMultiple, howFree) = (language.text(.howSingle), language.text(.howMultiple), language.text(.howFree))
        }

        /// "Choose one.", …
        func howToAnswer(_ kind: Question.Kind) -> String {
            switch kind {
            case .single: howSingle
            case .multiple: howMultiple
            case .free: howFree
            }
        }

        /// "Choice 2.", "Choices 2 and 4.": the lead-in of an answer with this key.
        mutating func leadIn(_ correct: [Int]) -> String {
            if let known = leadIns[correct] { return known }
            let key: UIString = correct.count == 1 ? .choiceLeadOne : .choiceLeadMany
            let leadIn = language.text(key, ["list": language.list(correct.map(String.init))])
            leadIns[correct] = leadIn
            return leadIn
        }
    }

    init(_ question: Question, phrases: inout Phrases, fingerprint: String?, isOutdated: Bool = false) {
        fields = Fields(question, phrases: &phrases, fingerprint: fingerprint, isOutdated: isOutdated)
    }

    /// Every question of a quiz in one language, with what the translation lock says.
    /// `fingerprints`: the questions', in order, when already made (one quiz is localized
    /// in every language).
    public static func all(_ quiz: Quiz, in language: Language, fingerprints: [String]? = nil) -> [LocalizedQuestion] {
        let outdated = quiz.outdated[language.code] ?? []
        // Each question read where it is: bound to a name, each was copied whole (its dozens
        // of strings retained, and released again), twice a phase's question.
        var phrases = Phrases(language)
        return quiz.questions.indices.map { index in
            LocalizedQuestion(quiz.questions[index], phrases: &phrases, fingerprint: fingerprints?[index],
                              isOutdated: outdated.contains(quiz.questions[index].id))
        }
    }

    /// Whether a Markdown text's first line can open a plain paragraph, which the lead-in can
    /// join: a cheap first test, before the parse that decides (`Markdown.opensWithParagraph`).
    /// Anything that would change meaning after a prefix (a list, heading, quote, fence,
    /// table, indented code, HTML) makes the lead-in a paragraph of its own.
    static func startsWithParagraph(_ markdown: String) -> Bool {
        markdown.withUTF8Bytes { startsWithParagraph(firstLine: $0[..<lineEnd($0)]) }
    }

    private static func startsWithParagraph(firstLine: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var line = firstLine
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else { return false }
        if blockStarts.contains(where: { line.starts(with: $0) }) { return false }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        // A bullet before a space or a tab, or alone on its line (an empty item, for cmark),
        // opens a list; three or more of one of -, * and _ make a thematic break.
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+"),
           line.dropFirst().first.map(isBlank) ?? true {
            return false
        }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "_") {
            let marks = line.filter { !isBlank($0) }
            if marks.count >= 3, marks.allSatisfy({ $0 == first }) { return false }
        }
        if ASCII.isDigit(first) {
            line = line.drop(while: ASCII.isDigit)
            if let after = line.first, after == UInt8(ascii: ".") || after == UInt8(ascii: ")") { return false }
        }
        return true
    }

    /// Whether the line after the first one is part of the same block (not blank, not the end).
    static func continuesPastFirstLine(_ markdown: String) -> Bool {
        markdown.withUTF8Bytes { bytes in
            let newline = lineEnd(bytes)
            guard newline < bytes.count else { return false }
            let second = bytes[(newline + 1)...]
            return second[..<lineEnd(bytes, from: newline + 1)].contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        }
    }

    /// Where the line starting at `start` ends: its newline's index, or the end. (Over the
    /// contiguous bytes, by `memchr`: a loop over them cost 0.7 % of a prose course's full
    /// build, for the first lines of its answers.)
    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        guard start < bytes.count else { return bytes.count }
        return start + quizdoc_run_before(bytes.baseAddress! + start, bytes.count - start, UInt8(ascii: "\n"))
    }

    /// Line starts that open another block (list bullets are tested on their own).
    private static let blockStarts: [[UInt8]] = ["#", ">", "```", "~~~", "|", "<"].map { Array($0.utf8) }
}
