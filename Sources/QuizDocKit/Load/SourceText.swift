import Foundation

/// The bytes of a quiz file turned into text libyaml can read: UTF-8 checked, a UTF-8 byte
/// order mark dropped, CRLF and CR line ends made LF, so the same content in any of those
/// encodings loads identically. Anything else (UTF-16, NUL bytes, invalid UTF-8) is refused
/// with the place of the first bad byte.
enum SourceText {
    static func decode(_ bytes: [UInt8], path: String) -> Result<String, Diagnostic> {
        func fail(_ line: Int, _ column: Int, _ message: String) -> Result<String, Diagnostic> {
            .failure(.error(at: SourceLocation(path: path, line: line, column: column), message))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return fail(1, 1, "the file is UTF-16; save it as UTF-8 (without a byte order mark)")
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // The common case, valid UTF-8 with LF line ends and no NUL, in one validating pass.
        let plain = body.withUnsafeBytes { buffer in
            buffer.isEmpty || (memchr(buffer.baseAddress!, 0, buffer.count) == nil
                && memchr(buffer.baseAddress!, Int32(UInt8(ascii: "\r")), buffer.count) == nil)
        }
        if plain, let text = String(validating: body, as: UTF8.self) {
            return .success(text)
        }

        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(body.count)
        var iterator = body.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        var previousWasCR = false
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\0" {
                    return fail(line, column, "the file contains a NUL byte; is it UTF-16 or binary? Save it as UTF-8 text")
                }
                if scalar == "\r" {
                    scalars.append("\n")
                    line += 1; column = 1
                    previousWasCR = true
                    continue decoding
                }
                if scalar == "\n" {
                    if !previousWasCR {
                        scalars.append("\n")
                        line += 1; column = 1
                    }
                } else {
                    scalars.append(scalar)
                    column += 1
                }
                previousWasCR = false
            case .emptyInput:
                break decoding
            case .error:
                return fail(line, column, "the file is not valid UTF-8 here; save it as UTF-8 text")
            }
        }
        return .success(String(scalars))
    }
}
