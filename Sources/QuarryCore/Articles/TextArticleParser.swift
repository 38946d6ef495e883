/// Reads the plain-text export format: title line, optional short standfirst paragraph,
/// then body paragraphs, with date lines ("Updated: ...") and site boilerplate mixed in.
public enum TextArticleParser {
    /// The first paragraph after the title is the standfirst only up to this length.
    public static let maxStandfirstLength = 300

    public static func parse(_ text: String, id: String, category: String?) -> Result<Article, SkipReason> {
        var content = text[...]
        if content.unicodeScalars.first == "\u{FEFF}" { content = content.dropFirst() }

        var title: Substring?
        var paragraphs: [Substring] = []
        var publishedDate: ArticleDate?
        var updatedDate: ArticleDate?

        // Every non-blank line is a paragraph: the export separates paragraphs by blank
        // lines, but captions and boilerplate often sit on single-newline lines.
        for rawLine in ArticleLines.split(content) {
            let line = ArticleLines.trim(rawLine)
            if line.isEmpty { continue }
            if let (kind, date) = DateLineParser.classifyDateLine(line) {
                switch kind {
                case .published: if publishedDate == nil { publishedDate = date }
                case .updated: if updatedDate == nil { updatedDate = date }
                }
                continue
            }
            if title == nil {
                title = line
                continue
            }
            if ArticleLines.isBoilerplate(line) { continue }
            paragraphs.append(line)
        }

        guard let title else { return .failure(.empty) }

        var standfirst: String?
        var bodyStart = 0
        // A standfirst needs a body after it; a lone short paragraph is the body itself.
        if paragraphs.count >= 2, let first = paragraphs.first,
           first.unicodeScalars.count <= maxStandfirstLength, !ArticleLines.isPhotoCaption(first) {
            standfirst = String(first)
            bodyStart = 1
        }
        let body = paragraphs[bodyStart...].joined(separator: "\n\n")

        return .success(Article(
            id: id,
            title: String(title),
            standfirst: standfirst,
            body: body,
            date: publishedDate ?? updatedDate,
            category: category
        ))
    }
}
