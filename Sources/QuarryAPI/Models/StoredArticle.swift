/// A stored article as `GET /documents/{id}` returns it.
public struct StoredArticle: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    public var author: String?
    public var text: String
    public init(id: String, title: String, date: ArticleDate?, category: String?, url: String?,
                author: String?, text: String) {
        self.id = id; self.title = title; self.date = date; self.category = category; self.url = url
        self.author = author; self.text = text
    }
}

