import CByteScan

extension String {
    /// A string of UTF-8 bytes already known to be valid, copied without validating them
    /// again: bytes of a file checked whole before it was read (a YAML quiz file), slices of
    /// them cut next to ASCII bytes, or bytes made of such slices and ASCII (rendered HTML).
    /// `String(decoding:as:)` validates every byte of its input, and its repairs can never
    /// happen here; it was 7 % of a prose course's full build (instructions).
    ///
    /// Whether the bytes are all ASCII is found sixteen at a time and recorded, as the
    /// validating initializer records it, so that the string compares and hashes as fast.
    /// Bytes that are not valid UTF-8 would make a string that breaks the standard library's
    /// assumptions: debug builds (every test) check each call against the validator.
    package init(validatedUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        assert(String(validating: bytes, as: UTF8.self) != nil, "not valid UTF-8: \(Array(bytes))")
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            self = ""
            return
        }
        let isASCII = quizdoc_below_run(start, bytes.count, 0x80) == bytes.count
        self = unsafe String(copying: UTF8Span(unchecked: Span(_unsafeElements: bytes), isKnownASCII: isASCII))
    }

    /// The same for an array's bytes.
    package init(validatedUTF8 bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { String(validatedUTF8: $0) }
    }
}
