extension String {
    /// Calls `body` with the text's UTF-8 where it is. `withUTF8` is mutating: the `var` it
    /// needs is a copy, which retains the text's storage and releases it again, hundreds of
    /// thousands of times in a build (texts scanned, measured, fingerprinted, appended).
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var result: R?
        // Run at most once: `body` may return nil itself (an optional `R`).
        if try utf8.withContiguousStorageIfAvailable({ result = try body($0) }) != nil {
            return result!
        }
        var copy = self
        return try copy.withUTF8(body)
    }
}
