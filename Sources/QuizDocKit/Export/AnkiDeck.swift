import Foundation
import MustacheEngine
import TokenCodec

/// An Anki package (`.apkg`) per language: a zip holding an SQLite collection in Anki's
/// schema 11 (`collection.anki2`, which every Anki since 2.1 imports) and an empty media
/// list. One deck, named after the course; one note per question: Front (prompt and
/// choices), Back (lead-in, answer, expected words), Id; tagged with its phase.
///
/// A note's GUID is its question id and language (`q-26-02/en`), so importing an edited
/// course again updates its notes instead of adding copies; and its modification time is
/// when its phase last changed (`ExportPhase.modified`), because Anki updates a note only
/// from a newer one.
enum AnkiDeck {
    static func package(_ course: ExportCourse, language: Language) throws -> Data {
        let collection = try ExternalTools.withScratchFolder("anki") { folder -> Data in
            let path = folder.appendingPathComponent("collection.anki2").path
            do {
                let database = try SQLiteDatabase(creating: path)
                try write(course, language: language, to: database)
            }
            guard let collection = FileManager.default.contents(atPath: path) else {
                throw WriteError(path: path, reason: "the collection was not written")
            }
            return collection
        }
        return try ZipArchive.make([("collection.anki2", collection), ("media", Data("{}".utf8))])
    }

    /// Stable ids for the note type and the deck, so a second import finds them again.
    static func id(_ name: String) -> Int64 {
        var hash = Fingerprint()
        hash.add(name)
        return Int64(hash.value >> 23) + 1_000_000_000_000
    }

    private static func write(_ course: ExportCourse, language: Language, to database: SQLiteDatabase) throws {
        let title = course.siteTitle[language.code] ?? "quizdoc"
        let modelID = id("quizdoc note type")
        let deckID = id("quizdoc deck \(title)")
        let modified = Int64(course.phases.map(\.modified).max() ?? 0)
        try database.execute(schema)
        try database.execute("BEGIN")
        try database.run("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", [
            .int(modified), .int(modified * 1000), .int(modified * 1000),
            .text(configuration), .text(model(id: modelID, deck: deckID, modified: modified)),
            .text(decks(id: deckID, name: title, modified: modified)), .text(deckConfiguration),
        ])
        var position: Int64 = 0
        for phase in course.phases {
            for item in phase.items[language.code] ?? [] {
                position += 1
                let html = item.html
                var front = html.prompt
                if !html.choices.isEmpty {
                    front += "<ol>\n" + html.choices.map { "<li>\($0)</li>\n" }.joined() + "</ol>\n"
                }
                let fields = [front, html.answer + (html.expected.isEmpty ? "" : "<p>\(html.expected)</p>\n"), html.id]
                let sortField = plainText(fields[0])
                let checksum = SHA1.digest(Array(sortField.utf8)).prefix(4).reduce(Int64(0)) { $0 << 8 | Int64($1) }
                let noteID = 1_500_000_000_000 + position
                let modified = Int64(phase.modified)
                try database.run("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')", [
                    .int(noteID), .text("\(html.id)/\(language.code)"), .int(modelID), .int(modified),
                    .text(" \(phase.quiz.baseName) "), .text(fields.joined(separator: "\u{1F}")), .text(sortField), .int(checksum),
                ])
                try database.run("INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')", [
                    .int(noteID), .int(noteID), .int(deckID), .int(modified), .int(position),
                ])
            }
        }
        try database.execute("COMMIT")
    }

    private static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func model(id: Int64, deck: Int64, modified: Int64) -> String {
        let fields = ["Front", "Back", "Id"].enumerated().map { order, name -> [String: Any] in
            ["name": name, "ord": order, "sticky": false, "rtl": false, "font": "Arial", "size": 20, "media": [Any]()]
        }
        let template: [String: Any] = [
            "name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
            "bqfmt": "", "bafmt": "", "did": NSNull(), "bfont": "", "bsize": 0,
        ]
        let model: [String: Any] = [
            "id": id, "name": "quizdoc question", "type": 0, "mod": modified, "usn": -1, "sortf": 0, "did": deck,
            "tmpls": [template], "flds": fields,
            "css": ".card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: black; background: white; }",
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}", "latexsvg": false, "req": [[0, "any", [0]]], "tags": [Any](), "vers": [Any](),
        ]
        return json(["\(id)": model])
    }

    private static func decks(id: Int64, name: String, modified: Int64) -> String {
        func deck(_ id: Int64, _ name: String) -> [String: Any] {
            ["id": id, "name": name, "mod": modified, "usn": -1, "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0],
             "timeToday": [0, 0], "collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1,
             "extendNew": 0, "extendRev": 0]
        }
        return json(["1": deck(1, "Default"), "\(id)": deck(id, name)])
    }

    private static let configuration = json([
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200, "timeLim": 0, "estTimes": true,
        "dueCounts": true, "curModel": NSNull(), "nextPos": 1, "sortType": "noteFld", "sortBackwards": false, "addToCur": true,
    ] as [String: Any])

    private static let deckConfiguration = json(["1": [
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true, "timer": 0, "replayq": true,
        "dyn": false,
        "new": ["bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20] as [String: Any],
        "lapse": ["delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0] as [String: Any],
        "rev": ["bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2] as [String: Any],
    ] as [String: Any]])

    /// Anki's schema 11.
    private static let schema = """
        CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
          ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
          models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
        CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
          usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
          flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
          mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
          ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,
          odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
          ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
        CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
        CREATE INDEX ix_notes_usn ON notes (usn);
        CREATE INDEX ix_cards_usn ON cards (usn);
        CREATE INDEX ix_revlog_usn ON revlog (usn);
        CREATE INDEX ix_cards_nid ON cards (nid);
        CREATE INDEX ix_cards_sched ON cards (did, queue, due);
        CREATE INDEX ix_revlog_cid ON revlog (cid);
        CREATE INDEX ix_notes_csum ON notes (csum);
        """
}
