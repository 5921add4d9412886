// ByteSearch.swift — finding a key in document text by its UTF-8 bytes.
// Documents and keys are NFC, so equal text is equal bytes; a search by
// Characters (grapheme breaking) or Foundation's `range(of:)` (which bridges
// to NSString on every call) made reading prose 5 s a megabyte.

extension StringProtocol {
    /// Whether the text holds `key`, by its bytes. In this module it is the `contains` a text literal picks
    /// (a non-generic overload wins over Foundation's, which bridges to NSString on every call); as
    /// Foundation's, an empty key is never held.
    func contains(_ key: String) -> Bool { byteRange(of: key) != nil }

    /// Whether the text holds a TAB (a table's cell separator), from its bytes.
    var hasTab: Bool { utf8.contains(UInt8(ascii: "\t")) }

    /// The first occurrence of `key`, or nil.
    func byteRange(of key: String) -> Range<Index>? {
        let k = Array(key.utf8), bytes = Array(utf8)
        guard !k.isEmpty, k.count <= bytes.count else { return nil }
        var start = 0
        while start + k.count <= bytes.count {
            if bytes[start] == k[0] && bytes[start..<start + k.count].elementsEqual(k) {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                return lower..<utf8.index(lower, offsetBy: k.count)
            }
            start += 1
        }
        return nil
    }
}

/// Where the last occurrence of `key` in `bytes` ends, or nil.
func lastEnd(of key: [UInt8], in bytes: [UInt8]) -> Int? {
    guard !key.isEmpty, key.count <= bytes.count else { return nil }
    var start = bytes.count - key.count
    while start >= 0 {
        if bytes[start] == key[0] && bytes[start..<start + key.count].elementsEqual(key) { return start + key.count }
        start -= 1
    }
    return nil
}
