/// The text of an HTML fragment as cmark-gfm writes it: tags dropped, its five entities
/// decoded, runs of white space collapsed to one space. For `<title>` and the search index;
/// a byte scanner, because the search index reads every question of the course.
func plainText(_ html: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(html.utf8.count)
    var inTag = false
    var pendingSpace = false
    let entities: [(name: [UInt8], value: UInt8)] = [
        (Array("amp;".utf8), UInt8(ascii: "&")), (Array("lt;".utf8), UInt8(ascii: "<")),
        (Array("gt;".utf8), UInt8(ascii: ">")), (Array("quot;".utf8), UInt8(ascii: "\"")),
        (Array("#39;".utf8), UInt8(ascii: "'")),
    ]
    html.utf8.withContiguousStorageIfAvailable { bytes in
        var index = 0
        func emit(_ byte: UInt8) {
            if pendingSpace, !out.isEmpty { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inTag {
                if byte == UInt8(ascii: ">") { inTag = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                inTag = true
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pendingSpace = true
            case UInt8(ascii: "&"):
                var decoded: UInt8?
                for entity in entities where index + entity.name.count <= bytes.count
                    && bytes[index..<(index + entity.name.count)].elementsEqual(entity.name) {
                    decoded = entity.value
                    index += entity.name.count
                    break
                }
                emit(decoded ?? byte)
            default:
                emit(byte)
            }
        }
    }
    return String(decoding: out, as: UTF8.self)
}
