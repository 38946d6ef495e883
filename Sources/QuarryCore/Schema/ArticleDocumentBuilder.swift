import Xapian

/// Where an article came from: lets a re-run skip unchanged files and delete vanished ones.
public struct ArticleSource: Sendable, Hashable {
    public var path: String
    public var signature: String
    public init(path: String, signature: String) {
        self.path = path
        self.signature = signature
    }
}

/// Turns an article into a Xapian document laid out as `IndexSchema` says.
public struct ArticleDocumentBuilder {
    public let generator: TermGenerator
    public let titleWeight: Int
    /// Splits text into words as written, for the spelling data, when the generator's stemming strategy keeps
    /// only stems (`all`, `all_z`); nil when the document's unprefixed terms are those words.
    let wordSplitter: TermGenerator?

    /// `generator` is used as it is configured now (its stemming strategy decides `wordSplitter`).
    public init(generator: TermGenerator, titleWeight: Int) {
        self.generator = generator
        self.titleWeight = max(1, titleWeight)
        wordSplitter = generator.stemmingStrategy.keepsWordsAsWritten ? nil : TermGenerator()
    }

    /// `words`, when given, is called with each word of the article's title and text (lower-cased, unstemmed,
    /// before accent folding) and how many times it occurs: the words that spelling data is made of (the indexer
    /// adds them to the spelling table itself, instead of the term generator adding every occurrence as it goes).
    public func document(
        for article: Article, source: ArticleSource?, words: ((_ word: String, _ wdf: Int) -> Void)? = nil
    ) throws -> Document {
        typealias P = IndexSchema.Prefix
        typealias S = IndexSchema.Slot
        let doc = Document()
        try generator.setDocument(doc)

        // Title: prefixed for title: searches, and unprefixed with extra weight so it counts in free text.
        try generator.index(article.title, prefix: P.title)
        try generator.increaseTermPosition(by: IndexSchema.fieldGap)
        try generator.index(article.title, wdfIncrement: titleWeight)
        if let author = article.author, !author.isEmpty {
            try generator.increaseTermPosition(by: IndexSchema.fieldGap)
            try generator.index(author, prefix: P.author)
        }
        if let standfirst = article.standfirst, !standfirst.isEmpty {
            try generator.increaseTermPosition(by: IndexSchema.fieldGap)
            try generator.index(standfirst)
        }
        if !article.body.isEmpty {
            try generator.increaseTermPosition(by: IndexSchema.fieldGap)
            try generator.index(article.body)
        }
        if let words, wordSplitter != nil {
            try writtenWords(title: article.title, standfirst: article.standfirst, body: article.body, words)
        } else if let words {
            // The unprefixed terms are the words. A title word's wdf counts each of its title occurrences
            // titleWeight times, and the S term's wdf says how many those are.
            let terms = try doc.terms()
            var titleCounts: [Substring: Int] = [:]
            for entry in terms where entry.term.utf8.first == UInt8(ascii: "S") {
                titleCounts[entry.term.dropFirst()] = entry.count
            }
            for entry in terms where !Self.isPrefixed(entry.term) {
                let occurrences = entry.count - (titleWeight - 1) * (titleCounts[Substring(entry.term)] ?? 0)
                if occurrences > 0 { words(entry.term, occurrences) }
            }
        }
        try AccentFolding.addFoldedTerms(to: doc)

        try doc.addBooleanTerm(IndexSchema.uniqueTerm(for: article.id))
        if let category = article.category, !category.isEmpty {
            try doc.addBooleanTerm(IndexSchema.categoryTerm(for: category))
            try doc.addValue(S.category, category)
        }
        if let date = article.date {
            try doc.addBooleanTerm(P.day + date.yyyymmdd)
            try doc.addBooleanTerm(P.month + date.yyyymm)
            try doc.addBooleanTerm(P.year + String(date.yyyymmdd.prefix(4)))
            try doc.addValue(S.date, date.yyyymmdd)
            try doc.addValue(S.month, date.yyyymm)
            try doc.addValue(S.dayNumber, SortableNumber.serialise(Double(date.daysSinceEpoch)))
        }
        if let url = article.url, !url.isEmpty {
            try doc.addBooleanTerm(IndexSchema.boundedTerm(P.url + url))
        }
        try doc.addValue(S.titleKey, IndexSchema.titleKey(article.title))
        if let source {
            try doc.addValue(S.sourcePath, source.path)
            try doc.addValue(S.sourceSignature, source.signature)
        }
        let stored = StoredData(article: article)
        try doc.setData(stored.encoded())
        try doc.addValue(S.summary, HitSummary(stored).encoded())
        return doc
    }

    /// Each word of a title and text as written, and how many times it occurs, split apart from the document
    /// (for a stemming strategy that indexes stems only; see `wordSplitter`).
    func writtenWords(title: String, standfirst: String?, body: String, _ words: (_ word: String, _ count: Int) -> Void)
        throws(XapianError)
    {
        let splitter = wordSplitter ?? TermGenerator()
        let scratch = Document()
        try splitter.setDocument(scratch)
        for text in [title, standfirst ?? "", body] where !text.isEmpty {
            try splitter.index(text, positions: false)
        }
        for entry in try scratch.terms() { words(entry.term, entry.count) }
    }

    /// Xapian's convention: a term starting with an ASCII capital has a prefix (words are lower-cased).
    static func isPrefixed(_ term: String) -> Bool {
        guard let first = term.utf8.first else { return true }
        return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")
    }
}
