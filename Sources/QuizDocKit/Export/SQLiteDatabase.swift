import CSQLite
import Foundation

/// Just enough of SQLite's C API (Debian's libsqlite3) to write a database file: statements
/// run with bound values, errors thrown with SQLite's message.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    init(creating path: String) throws {
        self.path = path
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            defer { sqlite3_close(handle) }
            throw WriteError(path: path, reason: "SQLite cannot create it: \(String(cString: sqlite3_errmsg(handle)))")
        }
    }

    deinit { sqlite3_close(handle) }

    enum Value {
        case int(Int64)
        case text(String)
    }

    /// Runs statements that take no values (a script).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            defer { sqlite3_free(message) }
            throw WriteError(path: path, reason: "SQLite: \(message.map { String(cString: $0) } ?? "error")")
        }
    }

    /// Runs one statement with its values bound in order.
    func run(_ sql: String, _ values: [Value]) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure() }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case .int(let number): status = sqlite3_bind_int64(statement, position, number)
            case .text(let text): status = sqlite3_bind_text(statement, position, text, -1, transient)
            }
            guard status == SQLITE_OK else { throw failure() }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure() }
    }

    private func failure() -> WriteError {
        WriteError(path: path, reason: "SQLite: \(String(cString: sqlite3_errmsg(handle)))")
    }
}
