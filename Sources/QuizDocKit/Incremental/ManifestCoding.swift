/// The manifest's file format: a stream of tokens, each followed by one space or line break.
/// A number is written in decimal; a text as its byte count, `:`, then its bytes, so any
/// text (spaces, line breaks, quotes) round-trips without escaping.
///
/// Not JSON: a no-op build of a large course is mostly reading this file, and Foundation's
/// JSON decoder spent over half of such a build on it. This format reads at memory speed,
/// and stays readable enough to debug with a pager (one line per phase).
struct ManifestWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1 << 20)
    }

    mutating func int<Number: BinaryInteger>(_ value: Number) {
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: " "))
    }

    mutating func text(_ value: String) {
        bytes.append(contentsOf: String(value.utf8.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: " "))
    }

    /// Ends a line (after a phase), for whoever reads the file.
    mutating func newline() {
        if bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        bytes.append(UInt8(ascii: "\n"))
    }
}

/// Reads what `ManifestWriter` wrote. Any surprise (a truncated or edited file) throws, and
/// the build then behaves as if there were no manifest.
struct ManifestReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func int() throws(Malformed) -> Int {
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let value = Int(exactly: try digits()) else { throw Malformed() }
        try separator()
        return negative ? -value : value
    }

    mutating func uint64() throws(Malformed) -> UInt64 {
        let value = try digits()
        try separator()
        return value
    }

    mutating func text() throws(Malformed) -> String {
        guard let count = Int(exactly: try digits()) else { throw Malformed() }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":"), count <= bytes.count - index - 1 else { throw Malformed() }
        let start = index + 1
        index = start + count
        let value = String(decoding: bytes[start..<index], as: UTF8.self)
        try separator()
        return value
    }

    /// A count of items to follow, bounded by what the rest of the file could hold.
    mutating func count() throws(Malformed) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count - index else { throw Malformed() }
        return value
    }

    private mutating func digits() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { throw Malformed() }
            value = sum
            index += 1
        }
        guard index > start else { throw Malformed() }
        return value
    }

    private mutating func separator() throws(Malformed) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") else { throw Malformed() }
        index += 1
    }
}

// MARK: - The manifest's types

extension Manifest {
    static let magic = "quizdoc-manifest"

    func encoded() -> [UInt8] {
        var out = ManifestWriter()
        out.text(Self.magic)
        out.int(format)
        out.int(global.value)
        out.int(site)
        out.int(phases.count)
        out.newline()
        for phase in phases {
            phase.write(to: &out)
            out.newline()
        }
        return out.bytes
    }

    init(decoding bytes: [UInt8]) throws(ManifestReader.Malformed) {
        var reader = ManifestReader(bytes)
        guard try reader.text() == Self.magic, try reader.int() == Self.currentFormat else { throw ManifestReader.Malformed() }
        global = Fingerprint(value: try reader.uint64())
        site = try reader.uint64()
        phases = []
        for _ in 0..<(try reader.count()) {
            phases.append(try Phase(from: &reader))
        }
        guard reader.isAtEnd else { throw ManifestReader.Malformed() }
    }
}

extension Manifest.Phase {
    func write(to out: inout ManifestWriter) {
        out.text(file)
        stamp.write(to: &out)
        out.int(hash.value)
        summary.write(to: &out)
        out.int(ids.count)
        for place in ids {
            out.text(place.id)
            place.location.write(to: &out)
        }
        out.int(warnings.count)
        for warning in warnings {
            out.text(warning.severity.rawValue)
            warning.location.write(to: &out)
            out.text(warning.message)
        }
        for neighbour in [previous, next] {
            out.int(neighbour == nil ? 0 : 1)
            neighbour?.write(to: &out)
        }
        out.int(mirrors.count)
        for (path, stamp) in mirrors.sorted(by: { $0.key < $1.key }) {
            out.text(path)
            stamp.write(to: &out)
        }
        out.int(search.count)
        for (code, place) in search.sorted(by: { $0.key < $1.key }) {
            out.text(code)
            out.int(place.shard)
            out.int(place.range.lowerBound)
            out.int(place.range.upperBound)
        }
    }

    init(from reader: inout ManifestReader) throws(ManifestReader.Malformed) {
        file = try reader.text()
        stamp = try FileStamp(from: &reader)
        hash = Fingerprint(value: try reader.uint64())
        summary = try SiteBuilder.PhaseSummary(from: &reader)
        ids = []
        for _ in 0..<(try reader.count()) {
            ids.append(QuizLoader.QuestionPlace(id: try reader.text(), location: try SourceLocation(from: &reader)))
        }
        warnings = []
        for _ in 0..<(try reader.count()) {
            guard let severity = Diagnostic.Severity(rawValue: try reader.text()) else { throw ManifestReader.Malformed() }
            warnings.append(Diagnostic(severity, at: try SourceLocation(from: &reader), try reader.text()))
        }
        previous = try reader.int() == 1 ? try SiteBuilder.PhaseSummary(from: &reader) : nil
        next = try reader.int() == 1 ? try SiteBuilder.PhaseSummary(from: &reader) : nil
        mirrors = [:]
        for _ in 0..<(try reader.count()) {
            let path = try reader.text()
            mirrors[path] = try FileStamp(from: &reader)
        }
        search = [:]
        for _ in 0..<(try reader.count()) {
            let code = try reader.text()
            let shard = try reader.int()
            let lower = try reader.int()
            let upper = try reader.int()
            guard shard >= 0, lower >= 0, lower <= upper else { throw ManifestReader.Malformed() }
            search[code] = SearchIndex.Place(shard: shard, range: lower..<upper)
        }
    }
}

extension SiteBuilder.PhaseSummary {
    func write(to out: inout ManifestWriter) {
        out.text(baseName)
        out.int(phase)
        out.text(sourcePath)
        out.int(questionCount)
        out.int(titles.count)
        for (code, title) in titles.sorted(by: { $0.key < $1.key }) {
            out.text(code)
            out.text(title)
        }
    }

    init(from reader: inout ManifestReader) throws(ManifestReader.Malformed) {
        baseName = try reader.text()
        phase = try reader.int()
        sourcePath = try reader.text()
        questionCount = try reader.int()
        titles = [:]
        for _ in 0..<(try reader.count()) {
            let code = try reader.text()
            titles[code] = try reader.text()
        }
    }
}

extension FileStamp {
    func write(to out: inout ManifestWriter) {
        out.int(size)
        out.int(modified)
    }

    init(from reader: inout ManifestReader) throws(ManifestReader.Malformed) {
        self.init(size: Int64(try reader.int()), modified: Int64(try reader.int()))
    }
}

extension SourceLocation {
    func write(to out: inout ManifestWriter) {
        out.text(path)
        out.int(line)
        out.int(column)
    }

    init(from reader: inout ManifestReader) throws(ManifestReader.Malformed) {
        self.init(path: try reader.text(), line: try reader.int(), column: try reader.int())
    }
}
