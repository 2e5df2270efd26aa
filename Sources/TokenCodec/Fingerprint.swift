import Foundation

/// 64-bit FNV-1a: a fast, stable content hash, for telling changed inputs from unchanged
/// ones between two builds (not a defence against an adversary: a collision only costs a
/// stale page until the next change). A sealed token stream's checksum is `Checksum`.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    /// A hash as remembered in the manifest.
    public init(value: UInt64) {
        self.value = value
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        value = hash
    }

    public mutating func add(_ data: Data) {
        data.withUnsafeBytes { add($0) }
    }

    /// The text's bytes, then a 0 byte (so that "ab" + "c" and "a" + "bc" differ).
    public mutating func add(_ text: String) {
        addBytes(of: text)
        add(byte: 0)
    }

    /// The text's bytes alone.
    public mutating func addBytes(of text: String) {
        var copy = text
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
    }

    public var description: String { String(value, radix: 16) }

    /// The fingerprint of some bytes.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> Fingerprint where Bytes.Element == UInt8 {
        var value = Fingerprint().value
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return Fingerprint(value: value)
    }
}

/// The checksum of a sealed stream (`TokenWriter.sealed`): FNV-1a's step over eight bytes at
/// a time (a little-endian word, the state then rotated so that every bit reaches the
/// others), the bytes left over one at a time. Each step is a bijection of the state for a
/// given word and changes it for a changed word, so a change within one word (any one
/// changed byte) changes the checksum. The manifest's 3 MB are sealed on every build that
/// makes something and checked when read: a byte at a time, that was 4 ms each way.
public enum Checksum {
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01B3
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* prime
            hash = hash << 29 | hash >> 35
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* prime
            offset += 1
        }
        return hash
    }
}
