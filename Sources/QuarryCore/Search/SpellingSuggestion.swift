import Xapian

/// "Did you mean": each word the index has never seen as written is replaced by its spelling correction;
/// known words, operators and punctuation stay as they are. A word is a run of alphabetic characters.
/// The query's syntax is kept: a field name (`title:`) is never corrected, nor a boolean field's value
/// (`id:tech/003.txt`, `category:sport`, `date:20240101..20241231`) nor a wildcard's stem (`semi*`).
///
/// Runs on every search, so it scans UTF-8 bytes and decodes Unicode scalars only for non-ASCII bytes;
/// Xapian's own lookups are the real cost (the raw C++ reference makes the same ones).
struct SpellingSuggestion {
    let database: Database
    /// The spelling data's database when it is not `database` (SearchSettings.spellingIndex).
    var spelling: Database? = nil
    /// Fields whose values are exact terms, not words (QueryParser's boolean prefixes and ranges).
    var booleanFields: Set<String> = Searcher.booleanFields
    /// For text read as words (prose): a word whose stem the index has is no misspelling ("surveyed" matches
    /// "surveys"), so only words that match nothing are corrected. nil: any word not indexed as written is.
    var stemmer: Stem? = nil
    /// Whether the index keeps each word as written (a stemming strategy other than `all` and `all_z`); if not,
    /// the spelling data says which words it has seen.
    var indexKeepsWordsAsWritten = true

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
            let next = index < bytes.count ? bytes[index] : 0
            if next == UInt8(ascii: ":") {
                // A field name: kept; a boolean field's value is skipped whole.
                let field = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
                index += 1
                if booleanFields.contains(field) { index = Self.endOfValue(bytes, from: index) }
                continue
            }
            let partOfLargerToken = (start > 0 && Self.joins(bytes, at: start - 1)) || Self.joins(bytes, at: index)
            if !partOfLargerToken, let replacement = try correction(for: bytes[start..<index]) {
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
        // An unknown word is one that never occurs as written (its stem may still match: "earthquak" finds
        // earthquakes, yet it is worth correcting). An index of stems only has its words in the spelling data.
        if indexKeepsWordsAsWritten {
            if try database.termFrequency(lower) > 0 { return nil }
        } else if try (spelling ?? database).spellingFrequency(lower) > 0 {
            return nil
        }
        if let stemmer, try database.termFrequency("Z" + stemmer(lower)) > 0 { return nil }
        return try (spelling ?? database).spellingSuggestion(for: lower)
    }

    /// Where a field's value ends: at white space or a closing bracket, or after its closing quote.
    private static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
            return min(index + 1, bytes.count)
        }
        while index < bytes.count, !QuerySyntax.isSeparator(bytes[index]) { index += 1 }
        return index
    }

    /// True when the byte at `index` joins the letters beside it into a larger token that is not a word to
    /// correct: a digit (`covid19`), a wildcard (`semi*`), a path or file name (`tech/003.txt`, `a_b`). A full
    /// stop joins only between two letters or digits, so a sentence's last word is still a word.
    private static func joins(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "_"): return true
        case UInt8(ascii: "."):
            func isAlphanumeric(_ at: Int) -> Bool {
                guard at >= 0, at < bytes.count else { return false }
                let byte = bytes[at] | 0x20
                return (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (bytes[at] >= 0x30 && bytes[at] <= 0x39)
            }
            return isAlphanumeric(index - 1) && isAlphanumeric(index + 1)
        default: return false
        }
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
