import CByteScan
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
/// others), in four lanes, word `i` in lane `i % 4`, each from its own start, so that a
/// processor runs the four multiplications at once (one chain waited for each product: 3 MB
/// took a millisecond and a half); the lanes are then folded by the same step, and the bytes
/// left over taken one at a time. Each step is a bijection of a lane's state for a given
/// word and changes it for a changed word, and the fold a bijection of each lane's, so a
/// change within one word (any one changed byte) changes the checksum. The manifest's 3 MB
/// are sealed on every build that makes something and checked when read.
public enum Checksum {
    /// In C (`quizdoc_checksum`), where each step is one multiplication and a rotation: the
    /// compiler made the rotation written with shifts a second multiplication, in Swift as
    /// in C (a one-question edit of a 1,000-phase course checksums some 7 MB: 11.5 → 7.0 M
    /// instructions). `TokenCodecTests` holds it to this comment's definition in Swift.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        quizdoc_checksum(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// `of` the bytes of parts given one after the other, as if they were one: a stream
    /// written in pieces (the manifest's unchanged records, where they were read) is not
    /// copied into one to be sealed.
    public struct Running {
        private var state = quizdoc_checksum_state()

        public init() {
            quizdoc_checksum_start(&state)
        }

        public mutating func add(_ bytes: UnsafeRawBufferPointer) {
            quizdoc_checksum_add(&state, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        }

        public var value: UInt64 {
            withUnsafePointer(to: state) { quizdoc_checksum_end($0) }
        }
    }
}
