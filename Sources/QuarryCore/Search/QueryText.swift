import QuarryAPI

/// Preparing a user's query text for Xapian's QueryParser. On every search's path, so it works on UTF-8
/// bytes rather than Characters.
public enum QueryText {
    private static let operatorBytes: [[UInt8]] = ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"].map { Array($0.utf8) }

    /// AND, OR, NOT, XOR, NEAR, ADJ, and NEAR/n, ADJ/n.
    static func isOperator(_ word: Substring) -> Bool {
        isOperator(Array(word.utf8)[...])
    }

    static func isOperator(_ word: ArraySlice<UInt8>) -> Bool {
        let head = word.firstIndex(of: UInt8(ascii: "/")).map { word[word.startIndex..<$0] } ?? word
        return operatorBytes.contains { $0.elementsEqual(head) }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool { QuerySyntax.isSeparator(byte) }

    /// Bytes the term generator reads as part of a word: ASCII letters and digits, and every byte of a non-ASCII
    /// character.
    static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
    }

    /// Lower-cases every word except the boolean operators, so "Gaza AND Israel" stays a boolean query
    /// while "GAZA CEASEFIRE" is stemmed like "gaza ceasefire". NEAR/3 and ADJ/2 keep their case too.
    static func lowercasingWords(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if isSeparator(bytes[index]) {
                output.append(bytes[index])
                index += 1
                continue
            }
            let start = index
            var ascii = true
            while index < bytes.count && !isSeparator(bytes[index]) {
                if bytes[index] >= 0x80 { ascii = false }
                index += 1
            }
            let word = bytes[start..<index]
            if isOperator(word) {
                output.append(contentsOf: word)
            } else {
                output.append(contentsOf: lowercased(word, ascii: ascii).utf8)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// One word lower-cased: byte by byte when it is ASCII, by Unicode's rules otherwise.
    static func lowercased(_ word: ArraySlice<UInt8>, ascii: Bool) -> String {
        guard ascii else { return String(decoding: word, as: UTF8.self).lowercased() }
        return String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The text without leading and trailing white space.
    static func trimmed(_ text: String) -> String {
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? start
        return start < end ? String(text[start..<end]) : ""
    }
}
