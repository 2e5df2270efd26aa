import Foundation
import TokenCodec

// MARK: - The manifest's types

/// The manifest in `TokenCodec`'s sealed format, two sections each behind its header line
/// (magic, length, checksum): the header (a line of globals, one of the files' stamps, one of
/// the site's inode, folders and spare, one of the diagnostics), then the phases, one line
/// each. A truncated or edited manifest is refused (its header when it is read, its phases
/// when they are), and the build then behaves as if there were none.
extension Manifest {
    static let magic = "quizdoc-manifest"

    static let phasesMagic = "phases"

    /// Two sealed sections: the header (globals, files, diagnostics), which every build
    /// reads, and the phases, which only a build with something to make reads and hashes.
    func encoded() -> [UInt8] {
        Array(encodedParts().joined())
    }

    /// `encoded()` in the parts that follow each other in the file (header lines apart from
    /// the sections they seal, each section in pieces), which `save` writes without joining
    /// them; `prepared`, when given, is this manifest's `prepared()`.
    func encodedParts(_ prepared: Prepared? = nil) -> [ArraySlice<UInt8>] {
        let prepared = prepared ?? self.prepared()
        var siteTokens = TokenWriter(capacity: 1 << 12)
        siteTokens.int(site)
        siteTokens.dictionary(folders) { out, stamp in stamp.write(to: &out) }
        siteTokens.dictionary(committedFolders) { out, stamp in stamp.write(to: &out) }
        siteTokens.int(siteFiles)
        siteTokens.int(spare == nil ? 0 : 1)
        if let spare {
            siteTokens.int(spare.stale.count)
            for path in spare.stale { siteTokens.text(path) }
            siteTokens.int(spare.files ?? -1)
            siteTokens.dictionary(spare.folders) { out, stamp in stamp.write(to: &out) }
        }
        siteTokens.dictionary(homePages) { out, page in
            page.stamp.write(to: &out)
            out.text(bytes: page.bounds)
        }
        siteTokens.newline()
        // The header in its three pieces, not copied into one (0.7–1.0 MB in a 1,000-phase
        // course's edit).
        let header = [prepared.header.files.bytes[...], siteTokens.bytes[...], prepared.header.reported[...]]
        return [TokenWriter.sealHeader(magic: Self.magic, body: header)[...]] + header
            + [prepared.phases.header[...]] + prepared.phases.body
    }

    /// The bulk of the encoding, all but what only the committed site tells (its inode and
    /// folders, the spare): `build` makes it on another core while it commits the site.
    struct Prepared: Sendable {
        fileprivate var header: Header
        /// The phases' section, sealed.
        fileprivate var phases: (header: [UInt8], body: [ArraySlice<UInt8>])
        /// The manifest's `sources` and `committed`, made from its phases.
        var sources: [(path: String, stamp: FileStamp)] { header.sources }
        var committed: [(path: String, stamp: FileStamp)] { header.committed }

        /// Of the header, what comes before the site's own tokens and after them.
        fileprivate struct Header: Sendable {
            /// The tokens up to the site's own: format, globals, the files' stamps.
            var files: TokenWriter
            /// The diagnostics, which close the header, the line's end included.
            var reported: [UInt8]
            var sources: [(path: String, stamp: FileStamp)]
            var committed: [(path: String, stamp: FileStamp)]
        }
    }

    func prepared() -> Prepared {
        precondition(unreadPhases == nil, "a manifest is written with its phases")
        return Prepared(header: preparedHeader(), phases: preparedRecords())
    }

    /// The same, its records (most of the bytes) encoded on another core meanwhile: `build`
    /// makes it while it commits the site, which leaves one core idle.
    func preparedOnTwoCores() async -> Prepared {
        precondition(unreadPhases == nil, "a manifest is written with its phases")
        async let records = preparedRecords()
        let header = preparedHeader()
        return Prepared(header: header, phases: await records)
    }

    /// The header's files and diagnostics.
    private func preparedHeader() -> Prepared.Header {
        let (sources, committed) = lastFiles.flatMap { Self.files(of: phases, updating: $0) } ?? Self.files(of: phases)
        // Room for what follows as the files and chunks need it (a path and its stamp, 70–80
        // bytes each), the kernel backing it at once: not a megabyte whatever the course.
        let files = [sources, committed].reduce(0) { room, files in files.reduce(room) { $0 + $1.path.utf8.count + 44 } }
        var out = TokenWriter(capacity: 4096 + files + searchChunks.count * 64)
        out.int(format)
        out.int(global.value)
        out.newline()
        for files in [sources, committed] {
            out.int(files.count)
            for (path, stamp) in files {
                out.text(path)
                stamp.write(to: &out)
            }
        }
        out.dictionary(searchChunks) { out, file in
            out.int(file.checksum)
            file.stamp.write(to: &out)
        }
        out.newline()
        var reported: [UInt8]
        switch self.reported {
        case .list(let diagnostics):
            // Room for them all at once, not by doubling (a course's thousands of warnings: 700 KB).
            var tokens = TokenWriter(capacity: diagnostics.reduce(32) { $0 + $1.textByteCount + 48 })
            tokens.int(diagnostics.count)
            for index in diagnostics.indices { diagnostics[index].write(to: &tokens) }
            tokens.newline()
            reported = tokens.bytes
        case .tokens(let tokens):
            reported = Array(tokens) // as read, the line's end included
        }
        return Prepared.Header(files: out, reported: reported, sources: sources, committed: committed)
    }

    /// The phases' section, sealed, its body in pieces: the records written again as they
    /// were read are pieces of the section they were read from (runs of them one piece each),
    /// not copied (2.0–2.4 MB of a 1,000-phase course, memory the kernel zeroed first);
    /// the count and the records encoded anew are in room of their own.
    private func preparedRecords() -> (header: [UInt8], body: [ArraySlice<UInt8>]) {
        // Room for the records to encode, as much as a record of 20 questions needs.
        var encoded = TokenWriter(capacity: phases.reduce(64) { $0 + ($1.line == nil ? 4 << 10 : 0) })
        // The count, then where the second half of the records starts: a build decodes the
        // two halves at once, on two cores.
        encoded.int(phases.count)
        let secondHalf = encoded.numberToSet()
        encoded.newline()
        // The pieces as ranges of the encoded room or of a section read (`sections`, by
        // index), the run being made last; slices are made once the room is written.
        var pieces: [(section: Int?, range: Range<Int>)] = [(nil, 0..<encoded.offset)]
        var sections: [[UInt8]] = []
        var written = encoded.offset
        var secondHalfStart = written // no phases: an empty half
        // By index: a loop over the phases copied each record (a few dozen references).
        for index in phases.indices {
            if index == phases.count / 2 { secondHalfStart = written }
            let piece: (section: Int?, range: Range<Int>)
            if let line = phases[index].line {
                if sections.last.map({ Self.sharesStorage($0, line.section) }) != true { sections.append(line.section) }
                piece = (sections.count - 1, line.range)
            } else {
                let start = encoded.offset
                phases[index].write(to: &encoded)
                encoded.newline()
                piece = (nil, start..<encoded.offset)
            }
            written += piece.range.count
            if let last = pieces.last, last.section == piece.section, last.range.upperBound == piece.range.lowerBound {
                pieces[pieces.count - 1].range = last.range.lowerBound..<piece.range.upperBound
            } else {
                pieces.append(piece)
            }
        }
        encoded.setNumber(UInt64(secondHalfStart), at: secondHalf)
        let bytes = encoded.bytes
        let body = pieces.map { piece in piece.section.map { sections[$0][piece.range] } ?? bytes[piece.range] }
        return (TokenWriter.sealHeader(magic: Self.phasesMagic, body: body), body)
    }

    /// Whether two arrays share their storage (the records read from one section).
    private static func sharesStorage(_ one: [UInt8], _ other: [UInt8]) -> Bool {
        one.withUnsafeBufferPointer { one in other.withUnsafeBufferPointer { other in one.baseAddress == other.baseAddress } }
    }

    /// Reads the header; the phases are left for `readPhases`, their length checked now and
    /// their checksum when they are read.
    init(decoding bytes: [UInt8]) throws(TokenReader.Malformed) {
        var file = TokenReader(bytes)
        var reader = try file.sealedSection(magic: Self.magic)
        let phases = try file.sealedSection(magic: Self.phasesMagic, checkLater: true)
        guard file.isAtEnd else { throw TokenReader.Malformed() }
        try self.init(header: &reader, phases: .section(phases))
    }

    /// Reads the header section alone (its header line included), the phases being
    /// elsewhere (`load` leaves them in the file).
    init(decodingHeader bytes: [UInt8], phases: UnreadPhases) throws(TokenReader.Malformed) {
        var file = TokenReader(bytes)
        var reader = try file.sealedSection(magic: Self.magic)
        guard file.isAtEnd else { throw TokenReader.Malformed() }
        try self.init(header: &reader, phases: phases)
    }

    private init(header reader: inout TokenReader, phases unread: UnreadPhases) throws(TokenReader.Malformed) {
        unreadPhases = unread
        guard try reader.int() == Self.currentFormat else { throw TokenReader.Malformed() }
        global = Fingerprint(value: try reader.uint64())
        sources = try Self.files(from: &reader)
        committed = try Self.files(from: &reader)
        searchChunks = try reader.dictionary { (reader) throws(TokenReader.Malformed) in
            SearchFile(checksum: try reader.uint64(), stamp: try FileStamp(from: &reader))
        }
        site = try reader.uint64()
        folders = try reader.dictionary { (reader) throws(TokenReader.Malformed) in try FileStamp(from: &reader) }
        committedFolders = try reader.dictionary { (reader) throws(TokenReader.Malformed) in try FileStamp(from: &reader) }
        // A number, not a count of what follows: only the diagnostics come after it.
        siteFiles = try reader.int()
        guard siteFiles >= 0 else { throw TokenReader.Malformed() }
        switch try reader.int() {
        case 0: spare = nil
        case 1:
            let stale = try reader.list { (reader) throws(TokenReader.Malformed) in try reader.text() }
            let files = try reader.int()
            guard files >= -1 else { throw TokenReader.Malformed() }
            spare = Spare(stale: stale, files: files < 0 ? nil : files,
                          folders: try reader.dictionary { (reader) throws(TokenReader.Malformed) in try FileStamp(from: &reader) })
        default: throw TokenReader.Malformed()
        }
        homePages = try reader.dictionary { (reader) throws(TokenReader.Malformed) in
            HomePage(stamp: try FileStamp(from: &reader), packed: try reader.textBytes())
        }
        // The diagnostics close the header: kept as tokens until a build reports them again.
        reported = .tokens(reader.rest())
        phases = []
    }

    static func diagnostics(from tokens: ArraySlice<UInt8>) throws(TokenReader.Malformed) -> [Diagnostic] {
        var reader = TokenReader(Array(tokens))
        // Sorted by path: each diagnostic's path is most often the one before's.
        var path = ""
        let diagnostics = try reader.list { (reader) throws(TokenReader.Malformed) in
            let diagnostic = try Diagnostic(from: &reader, path: path)
            path = diagnostic.location.path
            return diagnostic
        }
        guard reader.isAtEnd else { throw TokenReader.Malformed() }
        return diagnostics
    }

    private static func files(from reader: inout TokenReader) throws(TokenReader.Malformed) -> [(path: String, stamp: FileStamp)] {
        try reader.list { (reader) throws(TokenReader.Malformed) in (try reader.text(), try FileStamp(from: &reader)) }
    }

    /// The phases' section (`prepared()`): its two halves decoded at once.
    static func phases(from reader: TokenReader) async throws(TokenReader.Malformed) -> [Phase] {
        guard reader.checksumMatches() else { throw TokenReader.Malformed() }
        var firstHalf = reader
        let count = try firstHalf.count()
        let secondHalf = try firstHalf.split(at: Int(exactly: try firstHalf.uint64()) ?? -1)
        async let second = Result { () throws(TokenReader.Malformed) in try records(count - count / 2, from: secondHalf) }
        let first = Result { () throws(TokenReader.Malformed) in try records(count / 2, from: firstHalf) }
        return try first.get() + (await second).get()
    }

    /// `count` records, which must be all the reader holds.
    private static func records(_ count: Int, from reader: TokenReader) throws(TokenReader.Malformed) -> [Phase] {
        try StageTimes.measure(.previousPhases) { () throws(TokenReader.Malformed) in
            var reader = reader
            var phases: [Phase] = []
            phases.reserveCapacity(count)
            for _ in 0..<count {
                let start = reader.offset
                var phase = try Phase(from: &reader)
                let (section, range) = reader.span(from: start)
                phase.line = Phase.Line(section: section, range: range)
                phases.append(phase)
            }
            guard reader.isAtEnd else { throw TokenReader.Malformed() }
            return phases
        }
    }
}

extension Diagnostic {
    func write(to out: inout TokenWriter) {
        if let tokens {
            out.tokens(tokens)
            return
        }
        out.text(severity.rawValue)
        location.write(to: &out)
        out.text(message)
        out.text(rule ?? "")
    }

    /// What `write` wrote. `path`: the path most diagnostics of the stream have (a phase's
    /// quiz file, or the diagnostic's before), not made again when it is this one's; the
    /// severity and the lint rule are not made of the bytes either (an edit reads a
    /// course's thousands of warnings).
    init(from reader: inout TokenReader, path: String = "") throws(TokenReader.Malformed) {
        let start = reader.offset
        let name = try reader.textBytes()
        let severity: Severity
        if Self.same(name, Self.warningName) {
            severity = .warning
        } else if Self.same(name, Self.errorName) {
            severity = .error
        } else {
            throw TokenReader.Malformed()
        }
        let location = SourceLocation(path: try reader.text(reusing: path), line: try reader.int(), column: try reader.int())
        let message = try reader.text()
        let ruleName = try reader.textBytes()
        let rule = ruleName.isEmpty ? nil
            : Self.ruleNames.first { Self.same(ruleName, $0.bytes) }?.name ?? String(decoding: ruleName, as: UTF8.self)
        // Without the separator after the last token: a space, or the line's end.
        self.init(severity, at: location, message, rule: rule, tokens: reader.bytes(from: start).dropLast())
    }

    private static let warningName = Array(Severity.warning.rawValue.utf8)
    private static let errorName = Array(Severity.error.rawValue.utf8)
    private static let ruleNames = LintRule.allCases.map { (bytes: Array($0.rawValue.utf8), name: $0.rawValue) }

    /// Whether a token's bytes are `bytes` (not empty).
    @inline(__always)
    private static func same(_ token: ArraySlice<UInt8>, _ bytes: [UInt8]) -> Bool {
        token.count == bytes.count && token.withUnsafeBufferPointer { token in
            bytes.withUnsafeBufferPointer { memcmp(token.baseAddress!, $0.baseAddress!, $0.count) == 0 }
        }
    }
}

extension Manifest.Phase {
    func write(to out: inout TokenWriter) {
        out.text(file)
        stamp.write(to: &out)
        out.int(hash.value)
        summary.write(to: &out)
        ids.write(to: &out)
        out.int(warnings.count)
        for warning in warnings { warning.write(to: &out) }
        out.int(navigation.value)
        // As a dictionary is written: its count, then each path (sorted) and its stamp.
        out.int(mirrors.count)
        for (path, stamp) in mirrors {
            out.text(path)
            stamp.write(to: &out)
        }
        search.write(to: &out) { out, checksum in out.int(checksum) }
    }

    init(from reader: inout TokenReader) throws(TokenReader.Malformed) {
        let file = try reader.text()
        let stamp = try FileStamp(from: &reader)
        let hash = Fingerprint(value: try reader.uint64())
        let summary = try SiteBuilder.PhaseSummary(from: &reader)
        let path = summary.sourcePath
        let ids = try QuizLoader.QuestionIds(decoding: &reader, path: path)
        let warnings = try reader.list { (reader) throws(TokenReader.Malformed) in try Diagnostic(from: &reader, path: path) }
        let navigation = Fingerprint(value: try reader.uint64())
        let mirrors = try reader.list { (reader) throws(TokenReader.Malformed) -> Manifest.CommittedStamps.Entry in
            (try reader.text(), try FileStamp(from: &reader))
        }
        // Sorted, each path once, as written.
        guard zip(mirrors, mirrors.dropFirst()).allSatisfy({ $0.path < $1.path }) else { throw TokenReader.Malformed() }
        let search = try ByLanguage(from: &reader) { (reader) throws(TokenReader.Malformed) in try reader.uint64() }
        self.init(file: file, stamp: stamp, hash: hash, summary: summary, ids: ids, warnings: warnings, navigation: navigation,
                  mirrors: Manifest.CommittedStamps(sorted: mirrors), search: search)
    }
}

extension SiteBuilder.PhaseSummary {
    func write(to out: inout TokenWriter) {
        link.write(to: &out)
        out.text(sourcePath)
        out.int(questionCount)
        out.text(progressKeys)
        pendingTranslations.write(to: &out) { out, count in out.int(count) }
        linkTexts.write(to: &out) { out, text in out.text(text) }
        out.text(bytes: keyLayout.packed)
    }

    init(from reader: inout TokenReader) throws(TokenReader.Malformed) {
        let link = try SiteBuilder.PhaseLink(from: &reader)
        let sourcePath = try reader.text()
        let questionCount = try reader.int()
        let progressKeys = try reader.text()
        let pendingTranslations = try ByLanguage(from: &reader) { (reader) throws(TokenReader.Malformed) in try reader.int() }
        let linkTexts = try ByLanguage(from: &reader) { (reader) throws(TokenReader.Malformed) in try reader.text() }
        guard let layout = KeyLayout(packed: try reader.textBytes(), path: sourcePath) else { throw TokenReader.Malformed() }
        self.init(baseName: link.baseName, phase: link.phase, sourcePath: sourcePath, questionCount: questionCount, titles: link.titles,
                  progressKeys: progressKeys, keyLayout: layout, pendingTranslations: pendingTranslations, linkTexts: linkTexts)
    }
}

extension FileStamp {
    func write(to out: inout TokenWriter) {
        out.int(size)
        out.int(modified)
    }

    init(from reader: inout TokenReader) throws(TokenReader.Malformed) {
        self.init(size: Int64(try reader.int()), modified: Int64(try reader.int()))
    }
}

extension SourceLocation {
    func write(to out: inout TokenWriter) {
        out.text(path)
        out.int(line)
        out.int(column)
    }

    init(from reader: inout TokenReader) throws(TokenReader.Malformed) {
        self.init(path: try reader.text(), line: try reader.int(), column: try reader.int())
    }
}

extension SiteBuilder.PhaseLink {
    func write(to out: inout TokenWriter) {
        out.text(baseName)
        out.int(phase)
        titles.write(to: &out) { out, title in out.text(title) }
    }

    init(from reader: inout TokenReader) throws(TokenReader.Malformed) {
        baseName = try reader.text()
        phase = try reader.int()
        titles = try ByLanguage(from: &reader) { (reader) throws(TokenReader.Malformed) in try reader.text() }
    }
}

extension ByLanguage {
    /// As `TokenWriter.dictionary` writes a dictionary: the count, then each code in order
    /// and what `value` writes of its value.
    func write(to out: inout TokenWriter, _ value: (inout TokenWriter, Value) -> Void) {
        out.int(entries.count)
        for entry in entries {
            out.text(entry.code)
            value(&out, entry.value)
        }
    }

    /// What `write` wrote (or `TokenWriter.dictionary`), each value read by `value`.
    init(from reader: inout TokenReader, _ value: (inout TokenReader) throws(TokenReader.Malformed) -> Value) throws(TokenReader.Malformed) {
        self.init()
        let count = try reader.count()
        reserveCapacity(min(count, 8))
        for _ in 0..<count {
            let code = try reader.text()
            self[code] = try value(&reader)
        }
    }
}

extension QuizLoader.QuestionIds {
    /// Their count, their hashes (eight little-endian bytes each, as one text token), then
    /// the ids themselves as one text token: each id, its line and its column. Every id is in
    /// the phase's file: its line and column are enough.
    func write(to out: inout TokenWriter) {
        out.int(count)
        switch storage {
        case .encoded(let ids, _, let hashes):
            // As they were read.
            out.text(bytes: hashes)
            out.text(bytes: ids)
        case .places(let places):
            var packed = [UInt8](repeating: 0, count: count * 8)
            packed.withUnsafeMutableBytes { raw in
                for (index, hash) in self.hashes.enumerated() {
                    raw.storeBytes(of: hash.littleEndian, toByteOffset: index * 8, as: UInt64.self)
                }
            }
            out.text(bytes: packed[...])
            var ids = TokenWriter(capacity: places.reduce(0) { $0 + $1.id.utf8.count + 16 })
            for place in places {
                ids.text(place.id)
                ids.int(place.location.line)
                ids.int(place.location.column)
            }
            out.text(bytes: ids.bytes[...])
        }
    }

    /// What `write` wrote, the ids left as they are: read when asked (iterating), which only
    /// the look across files does, for an id whose hash another id has. A record's hashes
    /// are taken as written, as the rest of a record is (the manifest's checksum held).
    init(decoding reader: inout TokenReader, path: String) throws(TokenReader.Malformed) {
        let count = try reader.count()
        let hashes = try reader.textBytes()
        guard hashes.count % 8 == 0, hashes.count / 8 == count else { throw TokenReader.Malformed() }
        self.init(encoded: try reader.textBytes(), count: count, path: path, hashes: hashes)
    }

    /// The next id of the tokens `write` wrote, with its place; an id whose tokens do not
    /// read (a manifest made by hand, its checksum made again) is empty, at line 0.
    static func place(from reader: inout TokenReader, path: String) -> QuizLoader.QuestionPlace {
        guard let id = try? reader.text(), let line = try? reader.int(), let column = try? reader.int() else {
            return QuizLoader.QuestionPlace(id: "", location: SourceLocation(path: path, line: 0, column: 0))
        }
        return QuizLoader.QuestionPlace(id: id, location: SourceLocation(path: path, line: line, column: column))
    }
}
