import Foundation

/// Which translations of a phase are current, outdated or missing, against the lock: per
/// text and language (any language of `templates/strings/` against English).
///
/// - no translation: **missing** (shown in English, marked, as before);
/// - English and translation as the lock has them, or no lock entry yet: **current**;
/// - the English changed since, the translation did not: **outdated** (a warning at the
///   translation, with the English before and after; the lock keeps the old English);
/// - both changed, or only the translation: the translator updated it, **current**, and the
///   lock follows.
public struct TranslationHealth: Sendable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case current, outdated, missing
    }

    public struct Field: Sendable, Equatable {
        public var key: TranslationLock.Key
        public var status: Status
        public var location: SourceLocation
    }

    public var fields: [Field] = []
    /// The lock's entries for this phase, as this build leaves them.
    public var entries: [TranslationLock.Key: TranslationLock.Entry] {
        Dictionary(newEntries, uniquingKeysWith: { _, last in last })
    }
    /// The same, in the order of the quiz (a dictionary is made only when one is asked for).
    private var newEntries: [(TranslationLock.Key, TranslationLock.Entry)] = []
    /// The phase's lock file, as this build leaves it.
    public var lockFile: [UInt8] { unchangedLock ?? TranslationLock.file(entries) }
    /// The lock file as read, when this build keeps every entry of it as it was.
    private var unchangedLock: [UInt8]?
    /// The lock file's stamp when it was read, when `lockFile` is its bytes as read.
    private(set) var unchangedLockStamp: FileStamp?
    public var diagnostics: [Diagnostic] = []

    /// Question ids (`-` for the phase title) with an outdated text, per language code.
    public var outdated: [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for field in fields where field.status == .outdated { result[field.key.language, default: []].insert(field.key.question) }
        return result
    }

    /// Texts to review (outdated or missing) per language code.
    public var pending: [String: Int] {
        var result: [String: Int] = [:]
        for field in fields where field.status != .current { result[field.key.language, default: 0] += 1 }
        return result
    }

    public init(_ quiz: Quiz, languages: [Language], root: URL) {
        guard languages.contains(where: { !$0.isPrimary }) else { return }
        var problems = DiagnosticBag()
        let lock = TranslationLock.read(root: root, phase: quiz.baseName, bag: &problems)
        diagnostics = problems.diagnostics
        var keptAll = true
        // Room for every text of the quiz in every translation, made once.
        let texts = languages.count * (1 + quiz.questions.reduce(0) { $0 + 4 + $1.choices.count })
        fields.reserveCapacity(texts)
        newEntries.reserveCapacity(texts)
        func check(_ question: String, _ field: String, in locked: [Int], english: String, translation: (String) -> String?,
                   location place: (String) -> SourceLocation?, fallback: SourceLocation) {
            for language in languages where !language.isPrimary {
                let key = TranslationLock.Key(phase: quiz.baseName, question: question, field: field, language: language.code)
                let location = place(language.code) ?? fallback
                guard let translation = translation(language.code) else {
                    fields.append(Field(key: key, status: .missing, location: location))
                    continue
                }
                let old = lock.entry(locked, field: field, language: language.code)
                // The English the lock has, when it is today's text byte for byte, is not
                // fingerprinted again: a comparison costs a fifth of a fingerprint. (A lock
                // whose fingerprint was edited by hand away from its text then keeps its word.)
                let lockedPrint = old.flatMap { $0.madeFrom(english) ? $0.english : nil }
                let englishPrint = lockedPrint ?? TranslationLock.fingerprint(of: english)
                let translationPrint = TranslationLock.fingerprint(of: translation)
                if let before = old, before.english != englishPrint, before.translation == translationPrint {
                    fields.append(Field(key: key, status: .outdated, location: location))
                    newEntries.append((key, before))
                    let what = question == "-" ? "the phase title" : "the '\(language.code)' \(field) of \(question)"
                    let fix = question == "-" ? quiz.baseName : question
                    let (was, now) = Self.change(from: before.englishText, to: english)
                    diagnostics.append(.warning(at: location, """
                        \(what) may be outdated: its English changed from "\(was)" to "\(now)"; \
                        update the translation, or run `quizdoc i18n accept \(fix) --field \(field)` if it still says the same
                        """))
                } else if let before = old, before.english == englishPrint, before.translation == translationPrint {
                    // Current, as the lock has it (its English may differ in white space only).
                    fields.append(Field(key: key, status: .current, location: location))
                    newEntries.append((key, before))
                } else {
                    fields.append(Field(key: key, status: .current, location: location))
                    // A new entry's fingerprint is always its text's own.
                    let print = lockedPrint == nil ? englishPrint : TranslationLock.fingerprint(of: english)
                    newEntries.append((key, TranslationLock.Entry(englishText: english, english: print, translation: translationPrint)))
                    keptAll = false
                }
            }
        }
        func check(_ question: String, _ field: String, in locked: [Int], _ text: LocalizedText) {
            check(question, field, in: locked, english: text[Language.primaryCode] ?? "", translation: { text[$0] },
                  location: { text.valueLocation($0) }, fallback: text.location)
        }
        check("-", "title", in: lock.entries(of: "-"), quiz.title)
        for question in quiz.questions {
            let locked = lock.entries(of: question.id)
            check(question.id, "title", in: locked, question.title)
            check(question.id, "prompt", in: locked, question.prompt)
            for (index, choice) in question.choices.enumerated() {
                check(question.id, index < Self.choiceFields.count ? Self.choiceFields[index] : "choice-\(index + 1)", in: locked, choice)
            }
            check(question.id, "answer", in: locked, question.answer)
            if let expected = question.expected {
                check(question.id, "expected", in: locked, english: (expected.lists[Language.primaryCode] ?? []).joined(separator: "\n"),
                      translation: { expected.lists[$0]?.joined(separator: "\n") },
                      location: { expected.itemLocations[$0]?.first }, fallback: expected.location)
            }
        }
        // A canonical file has each key once, in order: kept whole when every entry is kept
        // and no other remains.
        if keptAll, newEntries.count == lock.count {
            unchangedLock = lock.canonical
            unchangedLockStamp = lock.canonical == nil ? nil : lock.stamp
        }
    }

    /// `choice-1` … `choice-26`, made once, not once a choice.
    private static let choiceFields = (1...Limits.choices.upperBound).map { "choice-\($0)" }

    /// The words that changed between two texts, with up to three words of context on
    /// each side, "…" where words were left out: `…differs from naive round-to-nearest…` →
    /// `…differs from plain round-to-nearest…`.
    static func change(from old: String, to new: String) -> (String, String) {
        let a = old.split(whereSeparator: \.isWhitespace), b = new.split(whereSeparator: \.isWhitespace)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        func excerpt(_ words: [Substring]) -> String {
            let start = max(0, prefix - 3), end = min(words.count, words.count - suffix + 3)
            let middle = words[start..<max(start, end)]
            let cut = middle.count > 24 ? Array(middle.prefix(12)) + ["…"] + Array(middle.suffix(12)) : Array(middle)
            return (start > 0 ? "…" : "") + cut.joined(separator: " ") + (end < words.count ? "…" : "")
        }
        return (excerpt(a), excerpt(b))
    }
}
