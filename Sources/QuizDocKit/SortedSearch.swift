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
