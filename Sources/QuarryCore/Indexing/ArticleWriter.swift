import Xapian

/// Turns articles into documents and stores them, replacing an earlier version with the same id: the indexer's
/// own writer, and each shard's in a parallel build (a term generator is not thread-safe, so each has its own).
final class ArticleWriter {
    let builder: ArticleDocumentBuilder
    /// The words of the articles stored so far, for the spelling data (see `Indexer`); nil when spelling is off.
    private(set) var spellingWords: [String: Int]?

    /// The same terms for the same settings, whichever writer builds a document.
    init(settings: IndexSettings, options: IndexerOptions) throws(IndexerError) {
        let generator = TermGenerator()
        do {
            try generator.setStemmer(Stem(language: settings.language))
        } catch {
            throw .unknownLanguage(settings.language)
        }
        do {
            try generator.setStemmingStrategy(settings.stemming)
        } catch {
            throw .database(path: options.databasePath, error)
        }
        builder = ArticleDocumentBuilder(generator: generator, titleWeight: settings.titleWeight)
        if options.spelling { spellingWords = [:] }
    }

    /// Stores `article` in `database`; `existed` says it replaced a document with the same id.
    func store(_ article: Article, source: ArticleSource, in database: WritableDatabase) throws
        -> (docid: DocumentID, existed: Bool)
    {
        let document: Document
        if spellingWords != nil {
            document = try builder.document(for: article, source: source) { word, wdf in
                self.spellingWords![word, default: 0] += wdf
            }
        } else {
            document = try builder.document(for: article, source: source)
        }
        let term = IndexSchema.uniqueTerm(for: article.id)
        let existed = try database.firstDocument(withTerm: term) != nil
        return (try database.replaceDocument(uniqueTerm: term, with: document), existed)
    }

    /// The words collected so far, handed over (and forgotten here).
    func takeSpellingWords() -> [String: Int] {
        guard let words = spellingWords else { return [:] }
        spellingWords = [:]
        return words
    }
}
