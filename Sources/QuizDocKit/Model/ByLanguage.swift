/// Values by language code, for the two or three languages of a course: a list in code
/// order, looked up by a scan. A phase's summary holds three of these (titles, link texts,
/// texts to review), and an edit reads 1,000 summaries back from the manifest: as
/// dictionaries, each made room for and hashed its two keys, a sixth of their decoding.
struct ByLanguage<Value: Sendable & Hashable>: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    struct Entry: Sendable, Hashable {
        var code: String
        var value: Value
    }

    /// Sorted by code, each code once.
    private(set) var entries: [Entry] = []

    init() {}

    init(_ dictionary: [String: Value]) {
        for (code, value) in dictionary { self[code] = value }
    }

    init(dictionaryLiteral elements: (String, Value)...) {
        for (code, value) in elements { self[code] = value }
    }

    /// The value for `code`; setting nil removes it.
    subscript(code: String) -> Value? {
        get { entries.first { $0.code == code }?.value }
        set {
            let index = entries.firstIndex { $0.code >= code } ?? entries.count
            let present = index < entries.count && entries[index].code == code
            switch (present, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?): entries.insert(Entry(code: code, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    var isEmpty: Bool { entries.isEmpty }

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }
}
