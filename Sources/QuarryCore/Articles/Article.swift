/// One news article as read from a text file or a JSON line, before indexing.
public struct Article: Sendable, Equatable {
    /// Stable identifier: the relative path for text files, the `id` field for JSON lines.
    public var id: String
    public var title: String
    /// The short summary paragraph under the title, when the source has one.
    public var standfirst: String?
    /// Paragraphs after the title (standfirst excluded, date lines and boilerplate removed), joined by "\n\n".
    public var body: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    public var author: String?
    /// Source fields Quarry has no column for, kept so stored data loses nothing.
    public var extra: [String: JSONValue]

    public init(
        id: String, title: String, standfirst: String? = nil, body: String, date: ArticleDate? = nil,
        category: String? = nil, url: String? = nil, author: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.title = title
        self.standfirst = standfirst
        self.body = body
        self.date = date
        self.category = category
        self.url = url
        self.author = author
        self.extra = extra
    }

    /// Everything below the title: the standfirst and the body.
    public var text: String { StoredArticle.text(standfirst: standfirst, body: body) }
}
