/// The text of an HTML fragment as cmark-gfm writes it: tags dropped, its five entities
/// decoded, runs of white space collapsed to one space. For `<title>` and the search index;
/// a byte scanner, because the search index reads every question of the course.
func plainText(_ html: String) -> String { plainText(html, scalarLimit: .max) }

/// The start of `plainText(html)`: its first `scalarLimit` Unicode scalars and the first byte
/// of the next one, if any (for a snippet, which needs to know where the text goes on).
func plainText(_ html: String, scalarLimit: Int) -> String {
    html.withUTF8Bytes { bytes in
        String(unsafeUninitializedCapacity: bytes.count) { out in
            var count = 0
            var index = 0
            var pendingSpace = false
            var scalars = 0
            // Whether a byte starting a scalar may be written: all but those after the limit's next.
            func fits(_ byte: UInt8) -> Bool {
                guard byte & 0xC0 != 0x80 else { return true }
                guard scalars <= scalarLimit else { return false }
                scalars += 1
                return true
            }
            while index < bytes.count {
                var byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "<"):
                    while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                    index += 1
                    continue
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    pendingSpace = true
                    continue
                case UInt8(ascii: "&"):
                    for entity in plainTextEntities where bytes[index...].starts(with: entity.name) {
                        byte = entity.value
                        index += entity.name.count
                        break
                    }
                default:
                    break
                }
                // Every byte written stands for at least one byte read, so `out` never overflows.
                if pendingSpace, count > 0 {
                    guard fits(UInt8(ascii: " ")) else { break }
                    out[count] = UInt8(ascii: " ")
                    count += 1
                }
                pendingSpace = false
                guard fits(byte) else { break }
                out[count] = byte
                count += 1
            }
            return count
        }
    }
}

let plainTextEntities: [(name: [UInt8], value: UInt8)] = [
    (Array("amp;".utf8), UInt8(ascii: "&")), (Array("lt;".utf8), UInt8(ascii: "<")),
    (Array("gt;".utf8), UInt8(ascii: ">")), (Array("quot;".utf8), UInt8(ascii: "\"")),
    (Array("#39;".utf8), UInt8(ascii: "'")),
]
