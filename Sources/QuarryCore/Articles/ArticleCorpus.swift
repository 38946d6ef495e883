import Foundation

/// Every article under some roots, read as quarry-index reads them (ids, categories and skips alike), all at
/// once: for tools and tests that need the whole corpus in memory. The Indexer streams instead.
public enum ArticleCorpus {
    public static func read(roots: [URL], maxFileBytes: Int = IndexerOptions(databasePath: "-").maxFileBytes)
        -> [Article]
    {
        var articles: [Article] = []
        for entry in CorpusScanner(roots: roots, maxFileBytes: maxFileBytes).scanAll().entries {
            switch entry.kind {
            case .text:
                if case .success(let article) = ArticleFileReader.readText(entry: entry) { articles.append(article) }
            case .jsonLines:
                try? JSONLinesReader(url: entry.url).read { _, result in
                    if case .success(var article) = result {
                        article.category = article.category ?? entry.category
                        articles.append(article)
                    }
                }
            }
        }
        return articles
    }
}
