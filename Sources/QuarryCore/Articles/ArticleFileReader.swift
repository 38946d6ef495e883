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
        // The id is the file's relative path: a name with control characters or over the limit is refused.
        guard ArticleID.problem(with: id) == nil else { return .failure(.invalidID) }
        return ArticleFileHandle.readAll(path: path, limit: min(maxFileBytes, hardByteLimit))
            .flatMap { ArticleDecoding.decodeText(bytes: $0) }
            .flatMap { TextArticleParser.parse($0, id: id, category: category) }
    }

    /// One `.jsonl` file → one result per non-blank line; a line over `maxLineBytes` is a `.tooLarge` failure.
    /// Throws only when the file itself cannot be read.
    public static func readJSONLines(
        entry: CorpusEntry, maxLineBytes: Int = JSONLinesReader.defaultMaxLineBytes,
        _ body: (_ lineNumber: Int, _ result: Result<Article, JSONLineError>) -> Void
    ) throws(JSONLineError) {
        var reader = JSONLinesReader(url: entry.url)
        reader.maxLineBytes = maxLineBytes
        try reader.read(body)
    }
}
