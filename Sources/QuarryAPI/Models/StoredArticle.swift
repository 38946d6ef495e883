/// A stored article as `GET /documents/{id}` returns it: its parts as the index keeps them, and, for a JSON
/// Lines record, the fields Quarry does not interpret (`extra`, e.g. Reuters' `topics` and `places`).
public struct StoredArticle: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    /// The short summary paragraph under the title, when the source has one.
    public var standfirst: String?
    /// The paragraphs after the standfirst (photo captions included), joined by blank lines.
    public var body: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    public var author: String?
    public var extra: [String: JSONValue]?

    public init(id: String, title: String, standfirst: String? = nil, body: String, date: ArticleDate? = nil,
                category: String? = nil, url: String? = nil, author: String? = nil, extra: [String: JSONValue]? = nil) {
        self.id = id; self.title = title; self.standfirst = standfirst; self.body = body; self.date = date
        self.category = category; self.url = url; self.author = author; self.extra = extra
    }

    /// Standfirst and body, as one text.
    public var text: String { Self.text(standfirst: standfirst, body: body) }

    /// An article's standfirst and body as one text (what snippets are cut from): a blank line between them.
    public static func text(standfirst: String?, body: String) -> String {
        guard let standfirst, !standfirst.isEmpty else { return body }
        return body.isEmpty ? standfirst : standfirst + "\n\n" + body
    }
}
