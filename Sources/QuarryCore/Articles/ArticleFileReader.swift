/// Reads the article files a CorpusScanner found.
public enum ArticleFileReader {
    /// No single article file is read beyond this, whatever the caller allows (1 GiB).
    public static let hardByteLimit = 1 << 30

    /// One `.txt` file → one article, with id = relative path and category from the entry.
    /// `maxFileBytes` guards against a file that grew after the scan.
    public static func readText(entry: CorpusEntry, maxFileBytes: Int = .max) -> Result<Article, SkipReason> {
        readText(path: entry.url.path, id: entry.relativePath, category: entry.category, maxFileBytes: maxFileBytes)
    }

    public static func readText(path: String, id: String, category: String?,
                                maxFileBytes: Int = .max) -> Result<Article, SkipReason> {
        ArticleFileHandle.readAll(path: path, limit: min(maxFileBytes, hardByteLimit))
            .flatMap { ArticleDecoding.decodeText(bytes: $0) }
            .flatMap { TextArticleParser.parse($0, id: id, category: category) }
    }

    /// One `.jsonl` file → one result per non-blank line. Throws only when the file itself cannot be read.
    public static func readJSONLines(
        entry: CorpusEntry, _ body: (_ lineNumber: Int, _ result: Result<Article, JSONLineError>) -> Void
    ) throws(JSONLineError) {
        try JSONLinesReader(url: entry.url).read(body)
    }
}
