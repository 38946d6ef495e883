import Xapian

/// Where in a long article a hit's snippet should come from, found with a byte search for the query's words,
/// so that Xapian's MSet::snippet tokenises (and stems) a window of about a kilobyte instead of the whole
/// text. Built once per search; `window(in:)` runs once per hit.
///
/// The search looks, at the start of each word of the text (ASCII case-folded), for a prefix every form of a
/// query word shares: the common prefix of the word and its stem ("running"/"run" → "run", "happy"/"happi"
/// → "happ"), the pattern of a wildcard ("oil*" → "oil"). The window is the stretch of `size` bytes holding
/// the most distinct query words (a phrase's words together), earliest on ties. A false find only moves the
/// window; when no word is found at all, the whole text goes to Xapian, as before, so a match the byte search
/// cannot see (a non-ASCII case difference, a stem that rewrites the word's start) still gets its highlight.
struct SnippetWindow: Sendable {
    /// Lower-case ASCII-folded prefixes, at most one per distinct query word.
    let needles: [[UInt8]]
    /// Bytes of text handed to Xapian around the chosen spot.
    let size: Int
    /// Whether finding needles[i] counts towards a window's score (stopwords found for phrases do not).
    let counted: [Bool]
    /// Quoted phrases of more than one word, as needle indices in order: a window holding one whole counts
    /// it as one more find, so it wins over a window with the same words apart.
    let phrases: [[Int]]

    init(query: String, stemmer: Stem?, stopwords: Set<String>, size: Int) {
        self.size = size
        // Words in order, with whether each ends in "*" and which quoted phrase (if any) it is in.
        var words: [(word: String, wildcard: Bool, phrase: Int?)] = []
        var current = ""
        var phraseCount = 0
        var inPhrase = false
        func flush(wildcard: Bool) {
            if !current.isEmpty { words.append((current, wildcard, inPhrase ? phraseCount : nil)) }
            current = ""
        }
        for character in query {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                flush(wildcard: character == "*")
                if character == "\"" {
                    if inPhrase { phraseCount += 1 }
                    inPhrase.toggle()
                }
            }
        }
        flush(wildcard: false)
        var index: [[UInt8]: Int] = [:]
        var needles: [[UInt8]] = []
        var stop: [Bool] = []
        var phrases: [Int: [Int]] = [:]
        // Operators (AND, NEAR, ...) are query syntax, not words to find.
        for (word, wildcard, phrase) in words where !QueryText.isOperator(word[...]) {
            let lower = word.lowercased()
            var needle = Array(lower.utf8)
            if !wildcard, let stem = try? stemmer?(lower), !stem.isEmpty {
                let common = zip(needle, Array(stem.utf8)).prefix { $0 == $1 }.count
                needle = Array(needle.prefix(max(common, min(needle.count, 2))))
            }
            guard !needle.isEmpty else { continue }
            let isStop = stopwords.contains(lower)
            let n: Int
            if let known = index[needle] {
                n = known
                stop[n] = stop[n] && isStop
            } else {
                n = needles.count
                index[needle] = n
                needles.append(needle)
                stop.append(isStop)
            }
            if let phrase { phrases[phrase, default: []].append(n) }
        }
        // Stopwords are dropped from the query unless they are all there is, or inside a phrase (where they
        // only help find the phrase): other stopwords are not looked for.
        let inPhrases = Set(phrases.values.filter { $0.count > 1 }.joined())
        let keep = needles.indices.filter { !stop[$0] || inPhrases.contains($0) || stop.allSatisfy { $0 } }
        var renumber: [Int: Int] = [:]
        for (new, old) in keep.enumerated() { renumber[old] = new }
        self.needles = keep.map { needles[$0] }
        self.counted = keep.map { !stop[$0] || stop.allSatisfy { $0 } }
        self.phrases = phrases.keys.sorted().compactMap { key in
            let run = phrases[key]!.compactMap { renumber[$0] }
            return run.count > 1 ? run : nil
        }
    }

    /// The part of `text` to build the snippet from, with whether text was cut off before and after it; nil
    /// when the whole text should be used (short enough, or no query word found).
    func window(in text: String) -> (text: Substring, cutBefore: Bool, cutAfter: Bool)? {
        let utf8 = text.utf8
        guard utf8.count > size, !needles.isEmpty else { return nil }
        var text = text
        let bounds: (start: Int, end: Int)? = text.withUTF8 { bytes in
            let hits = scoredFinds(in: bytes)
            guard !hits.isEmpty else { return nil }
            // The stretch of `size` bytes (a third of it before its first find) with the most distinct words.
            let lead = size / 3
            var best = (count: 0, first: 0)
            var counts = [Int](repeating: 0, count: needles.count + phrases.count)
            var distinct = 0
            var tail = 0
            for head in hits.indices {
                if counts[hits[head].needle] == 0 { distinct += 1 }
                counts[hits[head].needle] += 1
                while hits[head].offset - hits[tail].offset > size - lead {
                    counts[hits[tail].needle] -= 1
                    if counts[hits[tail].needle] == 0 { distinct -= 1 }
                    tail += 1
                }
                if distinct > best.count { best = (distinct, hits[tail].offset) }
            }
            var start = max(0, best.first - lead)
            var end = min(bytes.count, start + size)
            if end == bytes.count { start = max(0, end - size) }
            // Whole words only: move the cuts to whitespace (never inside a word or a UTF-8 sequence).
            if start > 0 {
                while start < best.first, !Self.isSpace(bytes[start - 1]) { start += 1 }
            }
            if end < bytes.count {
                while end > best.first, !Self.isSpace(bytes[end]) { end -= 1 }
            }
            return (start, end)
        }
        guard let bounds else { return nil }
        let startIndex = utf8.index(utf8.startIndex, offsetBy: bounds.start)
        let endIndex = utf8.index(utf8.startIndex, offsetBy: bounds.end)
        return (text[startIndex..<endIndex], bounds.start > 0, bounds.end < utf8.count)
    }

    /// The finds that count, with each whole phrase as a find of its own (key needles.count + phrase index).
    private func scoredFinds(in bytes: UnsafeBufferPointer<UInt8>) -> [(offset: Int, needle: Int)] {
        let finds = Self.occurrences(of: needles, in: bytes)
        var result: [(offset: Int, needle: Int)] = []
        result.reserveCapacity(finds.count)
        for (i, find) in finds.enumerated() {
            if counted[find.needle] { result.append((find.offset, find.needle)) }
            for (p, phrase) in phrases.enumerated() where phrase[0] == find.needle {
                // The phrase's next needles must start the next words (finds are in word order; a word may
                // hold several finds, so look ahead by word number).
                var word = find.word
                var k = 1
                var j = i + 1
                while k < phrase.count, j < finds.count, finds[j].word <= word + 1 {
                    if finds[j].word == word + 1, finds[j].needle == phrase[k] { word += 1; k += 1 }
                    j += 1
                }
                if k == phrase.count { result.append((find.offset, needles.count + p)) }
            }
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// QueryText.isWordByte as a table, for the byte loop below.
    private static let wordBytes: [Bool] = (0..<256).map { QueryText.isWordByte(UInt8($0)) }

    /// ASCII lower-casing of one byte.
    private static let folded: [UInt8] = (0..<256).map { byte in
        UInt8((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
    }

    /// Offsets (ascending) where a needle starts a word, case-folded for ASCII letters, with the word's number.
    private static func occurrences(of needles: [[UInt8]], in bytes: UnsafeBufferPointer<UInt8>)
        -> [(offset: Int, needle: Int, word: Int)]
    {
        var hits: [(offset: Int, needle: Int, word: Int)] = []
        // Which needles start with each byte: most words start with none and cost one lookup.
        var starting = [[Int]](repeating: [], count: 256)
        for (n, needle) in needles.enumerated() { starting[Int(needle[0])].append(n) }
        var word = 0
        var index = 0
        let count = bytes.count
        wordBytes.withUnsafeBufferPointer { isWord in
            folded.withUnsafeBufferPointer { fold in
                while index < count {
                    while index < count, !isWord[Int(bytes[index])] { index += 1 }
                    guard index < count else { break }
                    for n in starting[Int(fold[Int(bytes[index])])] {
                        let needle = needles[n]
                        guard index + needle.count <= count else { continue }
                        var k = 1
                        while k < needle.count, fold[Int(bytes[index + k])] == needle[k] { k += 1 }
                        if k == needle.count { hits.append((index, n, word)) }
                    }
                    while index < count, isWord[Int(bytes[index])] { index += 1 }
                    word += 1
                }
            }
        }
        return hits
    }
}
