/// Preparing a user's query text for Xapian's QueryParser.
enum QueryText {
    private static let operators: Set<Substring> = ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"]

    /// AND, OR, NOT, XOR, NEAR, ADJ, and NEAR/n, ADJ/n.
    static func isOperator(_ word: Substring) -> Bool {
        operators.contains(word.split(separator: "/", maxSplits: 1).first ?? word)
    }

    /// Lower-cases every word except the boolean operators, so "Gaza AND Israel" stays a boolean query
    /// while "GAZA CEASEFIRE" is stemmed like "gaza ceasefire". NEAR/3 and ADJ/2 keep their case too.
    static func lowercasingWords(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var word = Substring()
        var start = text.startIndex
        func flush(_ end: String.Index) {
            word = text[start..<end]
            result += isOperator(word) ? String(word) : word.lowercased()
        }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index].isWhitespace || text[index] == "(" || text[index] == ")" || text[index] == "\"" {
                flush(index)
                result.append(text[index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        flush(text.endIndex)
        return result
    }
}
