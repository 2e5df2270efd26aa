import CByteScan
import Foundation

extension RandomAccessCollection where Index == Int {
    /// The first index whose element's `key` is not below `value` (`endIndex` when none is),
    /// the collection sorted by `key`: a binary search.
    func lowerBound<Key: Comparable>(of value: Key, by key: (Element) -> Key) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if key(self[middle]) < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Array {
    /// Puts the elements in the order `sources` gives, the one at `sources[i]` going to `i`,
    /// by moving their bytes: none is copied (a large value's references are not retained and
    /// released again, as building a new array of them did). `sources` holds each index of the
    /// array once.
    mutating func permute(to sources: [Int]) {
        // Checked, as moving an element twice would free it twice.
        precondition(sources.count == count, "a permutation names every element")
        var named = [Bool](repeating: false, count: count)
        for source in sources {
            precondition(!named[source], "a permutation names each element once")
            named[source] = true
        }
        guard count > 1 else { return }
        withUnsafeMutableBufferPointer { elements in
            let base = elements.baseAddress!
            let moved = UnsafeMutablePointer<Element>.allocate(capacity: elements.count)
            defer { moved.deallocate() }
            // Each moved out in its new order, then all moved back: every place is filled again.
            for (position, source) in sources.enumerated() { (moved + position).moveInitialize(from: base + source, count: 1) }
            base.moveInitialize(from: moved, count: elements.count)
        }
    }
}

extension Array where Element == String {
    /// The strings in `sorted()`'s order, compared as numbers when they are all ASCII, where
    /// that order is the bytes' order: each string's first sixteen bytes as two big-endian
    /// numbers, and only strings alike in those by all their bytes. The listing of a course's
    /// quiz files, sorted by the standard library's comparison (Unicode's canonical order,
    /// made for any string), cost 3.2 M instructions for 1,000 names in the plan of every
    /// build.
    func sortedAsBytes() -> [String] {
        guard allSatisfy(\.isPlainASCII) else { return sorted() }
        var keys: [(high: UInt64, low: UInt64, index: Int)] = []
        keys.reserveCapacity(count)
        for index in indices {
            var words: (UInt64, UInt64) = (0, 0)
            _ = self[index].utf8.withContiguousStorageIfAvailable { bytes in
                Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).prefix(16))) }
            }
            keys.append((UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), index))
        }
        keys.sort { first, second in
            if first.high != second.high { return first.high < second.high }
            if first.low != second.low { return first.low < second.low }
            return compareUTF8(self[first.index], self[second.index]) < 0
        }
        return keys.map { self[$0.index] }
    }
}

extension RandomAccessCollection where Element == String {
    /// The strings with `separator` between them, as the standard library's `joined` makes
    /// them, which this one stands in for on arrays and their slices: that one is written
    /// for any bidirectional collection of strings and runs unspecialized, its first call
    /// resolving the collection's associated types at run time (450,000 instructions in
    /// every build, which joins strings from its first stage on).
    func joined(separator: String = "") -> String {
        guard count > 1 else { return first ?? "" }
        var separator = separator
        let length = reduce(separator.utf8.count * (count - 1)) { $0 + $1.utf8.count }
        return separator.withUTF8 { between in
            String(unsafeUninitializedCapacity: length) { buffer in
                var end = 0
                func append(_ bytes: UnsafeBufferPointer<UInt8>) {
                    guard !bytes.isEmpty, let start = bytes.baseAddress else { return }
                    (buffer.baseAddress! + end).initialize(from: start, count: bytes.count)
                    end += bytes.count
                }
                for index in indices {
                    if index != startIndex { append(between) }
                    var part = self[index]
                    part.withUTF8(append)
                }
                return end
            }
        }
    }
}

/// The sign of the first difference of two strings' UTF-8 bytes (`memcmp`, then their
/// lengths): `String`'s order where both are ASCII, without its Unicode machinery, and
/// the bytes' order otherwise (a comparison a byte at a time, `lexicographicallyPrecedes`,
/// cost 5 % of a new course's first build in sorting its translation locks).
func compareUTF8(_ x: String, _ y: String) -> Int {
    let order = x.utf8.withContiguousStorageIfAvailable { x in
        y.utf8.withContiguousStorageIfAvailable { y in
            let common = Swift.min(x.count, y.count)
            let order = common == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, common))
            return order != 0 ? order : x.count - y.count
        }
    }
    if let order, let order { return order }
    return x.utf8.elementsEqual(y.utf8) ? 0 : x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
}

/// Whether two buffers hold the same bytes: their lengths, then `memcmp` (`elementsEqual`
/// goes a byte at a time).
func sameBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
}

extension String {
    /// Whether every byte is ASCII, found sixteen bytes at a time.
    var isPlainASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty || quizdoc_below_run(bytes.baseAddress!, bytes.count, 0x80) == bytes.count
        } ?? utf8.allSatisfy { $0 < 0x80 }
    }
}
