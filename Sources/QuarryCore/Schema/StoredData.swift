import Foundation

/// What a Xapian document's data holds: everything the daemon needs to show a hit and build a snippet,
/// as a JSON object (readable with `delve -d` or the Python bindings).
public struct StoredData: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var standfirst: String?
    public var body: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?
    public var author: String?
    /// Fields of a JSON Lines record that Quarry doesn't interpret, kept as they were.
    public var extra: [String: JSONValue]?

    public init(article: Article) {
        id = article.id
        title = article.title
        standfirst = article.standfirst
        body = article.body
        date = article.date
        category = article.category
        url = article.url
        author = article.author
        extra = article.extra.isEmpty ? nil : article.extra
    }

    /// Standfirst and body: the text snippets are cut from.
    public var text: String {
        guard let standfirst, !standfirst.isEmpty else { return body }
        return body.isEmpty ? standfirst : standfirst + "\n\n" + body
    }

    public func encoded() throws -> [UInt8] {
        Array(try StoredData.encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8]) throws -> StoredData {
        try JSONDecoder().decode(StoredData.self, from: Data(bytes))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
