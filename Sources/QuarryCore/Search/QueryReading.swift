import QuarryAPI
import Xapian

/// How a query's text goes to Xapian's QueryParser (issue 18: queries as people type them). People who write
/// Xapian's syntax keep it; people who paste prose (a headline in capitals, a question, a paragraph with
/// hyphens) are not turned into a strict boolean or phrase search by accident.
///
/// - `syntax`: Xapian's syntax, as the parser reads it: AND/OR/NOT/XOR/NEAR/ADJ in capitals, "phrases",
///   hyphenated words as phrases, `+`/`-`, `word*`, `field:value`. Words are lower-cased, operators kept.
/// - `words`: every word counts, nothing is an operator: the text lower-cased (so `AND` is the word "and"),
///   with the characters that make syntax (quotes, brackets, `+ - * : / \ @`) and punctuation read as spaces,
///   so `covid-19` is the words "covid" and "19" (a document with the phrase has both and ranks first).
/// - `auto` (the default) reads syntax when the text uses it on purpose and words otherwise:
///   syntax if it has a quote, `field:`, a `+word` or `-word` (a letter after the sign: "-20" is a number), or
///   a `word*`; or if it has an operator word among lower-case text and at most `maxOperatorQueryWords` other
///   words ("Gaza AND Israel", "harbour (cranes OR ferries)"). Brackets alone group nothing, so "(2023)" in
///   prose is no sign. All-capitals text ("WAR AND PEACE"), long prose and everything else is read as words.
struct QueryReading: Equatable {
    /// The text for the parser.
    let text: String
    /// `.words` or `.syntax`: how it was read.
    let mode: QueryMode

    /// Longest query (words other than operators) whose capitalised AND/OR/NOT are taken as operators.
    static let maxOperatorQueryWords = 10

    init(_ query: String, mode requested: QueryMode, lowercase: Bool) {
        let mode = requested == .auto ? Self.looksLikeSyntax(query) ? .syntax : .words : requested
        self.mode = mode
        switch mode {
        case .words: text = Self.words(of: query)
        case .syntax, .auto: text = lowercase ? QueryText.lowercasingWords(query) : query
        }
    }

    /// Prose rather than a search phrase: read as words, and longer than `maxOperatorQueryWords` words.
    var isProse: Bool {
        mode == .words && text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).count
            > Self.maxOperatorQueryWords
    }

    /// The parser's flags for this reading.
    var flags: QueryParser.Flags { mode == .words ? [] : Searcher.parserFlags }

    /// The text lower-cased, with the characters of Xapian's syntax and the punctuation between words as spaces.
    /// Punctuation matters: the parser keeps stopwords that a comma or a question mark isolates ("…, that is,
    /// …" would search for "that" and "is"), so a sentence is made one run of words; a full stop inside a token
    /// ("e.g", "3.5", "U.S.A") stays, as the term generator reads it.
    static func words(of query: String) -> String {
        var bytes = Array(query.utf8)
        for index in bytes.indices {
            let byte = bytes[index]
            if syntaxBytes[Int(byte)] {
                bytes[index] = 0x20
            } else if byte == UInt8(ascii: "."), index + 1 == bytes.count || isSpace(bytes[index + 1]) {
                bytes[index] = 0x20
            }
        }
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }

    private static let syntaxBytes: [Bool] = (0..<256).map { byte in
        "\"()+-*:/\\@,;?!".utf8.contains(UInt8(byte))
    }

    /// Whether the text uses Xapian's syntax on purpose (see the type's documentation).
    static func looksLikeSyntax(_ query: String) -> Bool {
        let bytes = Array(query.utf8)
        if bytes.contains(UInt8(ascii: "\"")) { return true }
        var words = 0
        var operators = 0
        var lowercase = false
        var index = 0
        while index < bytes.count {
            guard !isSpace(bytes[index]) else {
                index += 1
                continue
            }
            // One whitespace-delimited word.
            let start = index
            while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
            let word = bytes[start..<index]
            if isLoveOrHate(word) || endsInWildcard(word) || hasField(word) { return true }
            if QueryText.isOperator(word) {
                operators += 1
            } else {
                words += 1
                if word.contains(where: { $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x80 }) { lowercase = true }
            }
        }
        return operators > 0 && lowercase && words <= maxOperatorQueryWords
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// `+word` or `-word`.
    private static func isLoveOrHate(_ word: ArraySlice<UInt8>) -> Bool {
        guard let first = word.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-"),
              let second = word.dropFirst().first else { return false }
        return ((second | 0x20) >= 0x61 && (second | 0x20) <= 0x7A) || second >= 0x80
    }

    /// `word*`.
    private static func endsInWildcard(_ word: ArraySlice<UInt8>) -> Bool {
        guard word.last == UInt8(ascii: "*"), let before = word.dropLast().last else { return false }
        return QueryText.isWordByte(before)
    }

    /// `name:value` with a letters-only name (`title:harbour`, `category:world`), not "10:30" or "note: ".
    private static func hasField(_ word: ArraySlice<UInt8>) -> Bool {
        guard let colon = word.firstIndex(of: UInt8(ascii: ":")), colon > word.startIndex,
              colon + 1 < word.endIndex, QueryText.isWordByte(word[colon + 1]) else { return false }
        return word[word.startIndex..<colon].allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
    }
}
