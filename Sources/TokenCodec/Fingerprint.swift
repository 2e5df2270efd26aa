import Foundation

/// 64-bit FNV-1a: a fast, stable content hash, for telling changed inputs from unchanged
/// ones between two builds and for the checksum of a sealed token stream (not a defence
/// against an adversary: a collision only costs a stale page until the next change).
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

