import Xapian

/// Term proximity (issue 18): documents where neighbouring words of the query occur near each other count more,
/// as in the sequential-dependence models that lift BM25 on ad-hoc collections. Built from Xapian's own
/// operators: each pair of neighbouring query words (stopwords left out) is an `OP_NEAR` subquery within
/// `window` positions; their OR, scaled by `weight`, is added to the query with `OP_AND_MAYBE`, so it changes
/// the order of what the query matches and matches nothing by itself.
///
/// Only for a words reading (a query in Xapian's syntax says what it wants), and only the words as written:
/// positions are kept for the unstemmed terms only.
enum ProximityBoost {
    /// At most this many pairs (a pasted paragraph would otherwise add dozens of position checks).
    static let maxPairs = 12

    /// `query` with the boost, or `query` unchanged when there is nothing to pair or the weight is 0.
    static func boosting(_ query: Query, text: String, stopwords: Set<String>, weight: Double, window: Int)
        throws(XapianError) -> Query
    {
        guard weight > 0 else { return query }
        let words = self.words(of: text).filter { !stopwords.contains($0) }
        guard words.count > 1 else { return query }
        var pairs: [Query] = []
        for (first, second) in zip(words, words.dropFirst()).prefix(maxPairs) where first != second {
            pairs.append(try Query(.near, [try Query(term: first), try Query(term: second)], parameter: window))
        }
        guard !pairs.isEmpty else { return query }
        let boost = try Query(.or, pairs).scaled(by: weight)
        return try Query(.andMaybe, [query, boost])
    }

    /// The words of `text` (already lower-cased), in order (QueryText.isWordByte).
    static func words(of text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if QueryText.isWordByte(byte) {
                current.append(byte)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }
}
