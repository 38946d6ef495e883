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

    public init(generator: TermGenerator, titleWeight: Int) {
        self.generator = generator
        self.titleWeight = max(1, titleWeight)
    }

    public func document(for article: Article, source: ArticleSource?) throws -> Document {
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
}
