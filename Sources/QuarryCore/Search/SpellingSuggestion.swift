import Xapian

/// "Did you mean": each word the index has never seen as written is replaced by its spelling correction;
/// known words, operators and punctuation stay as they are. A word is a run of alphabetic characters.
///
/// Runs on every search, so it scans UTF-8 bytes and decodes Unicode scalars only for non-ASCII bytes;
/// Xapian's own lookups are the real cost (the raw C++ reference makes the same ones).
struct SpellingSuggestion {
    let database: Database

    func suggestion(for text: String) throws(XapianError) -> String? {
        var corrections: [(range: Range<Int>, replacement: String)] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard let first = Self.alphabeticLength(bytes, at: index) else {
                index += Self.scalarLength(bytes[index])
                continue
            }
            let start = index
            index += first
            while index < bytes.count, let length = Self.alphabeticLength(bytes, at: index) { index += length }
            if let replacement = try correction(for: bytes[start..<index]) {
                corrections.append((start..<index, replacement))
            }
        }
        guard !corrections.isEmpty else { return nil }
        var corrected: [UInt8] = []
        corrected.reserveCapacity(bytes.count + 16)
        var copied = 0
        for (range, replacement) in corrections {
            corrected.append(contentsOf: bytes[copied..<range.lowerBound])
            corrected.append(contentsOf: replacement.utf8)
            copied = range.upperBound
        }
        corrected.append(contentsOf: bytes[copied...])
        return String(decoding: corrected, as: UTF8.self)
    }

    private func correction(for word: ArraySlice<UInt8>) throws(XapianError) -> String? {
        let ascii = word.allSatisfy { $0 < 0x80 }
        let lower = QueryText.lowercased(word, ascii: ascii)
        guard (ascii ? lower.utf8.count : lower.count) > 2, !QueryText.isOperator(word) else { return nil }
        // Every indexed word is also kept unstemmed, so an unknown word is one that never occurs as written
        // (its stem may still match: "earthquak" finds earthquakes, yet it is worth correcting).
        if try database.termFrequency(lower) > 0 { return nil }
        return try database.spellingSuggestion(for: lower)
    }

    /// The byte length of the scalar at `index` when it is alphabetic, else nil.
    private static func alphabeticLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let byte = bytes[index]
        if byte < 0x80 {
            return (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") ? 1 : nil
        }
        let length = min(scalarLength(byte), bytes.count - index)
        var decoder = UTF8()
        var iterator = bytes[index..<(index + length)].makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return scalar.properties.isAlphabetic ? length : nil
    }

    /// The length of a UTF-8 sequence from its first byte (1 for stray continuation bytes, to move on).
    private static func scalarLength(_ byte: UInt8) -> Int {
        switch byte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
