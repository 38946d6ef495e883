import Foundation

/// What a Xapian document's data holds: the article as `GET /documents/{id}` returns it (`StoredArticle`), as
/// a JSON object (readable with `delve -d` or the Python bindings). Everything the daemon needs to show a hit
/// and build a snippet.
public typealias StoredData = StoredArticle

extension StoredArticle {
    public init(article: Article) {
        self.init(id: article.id, title: article.title, standfirst: article.standfirst, body: article.body,
                  date: article.date, category: article.category, url: article.url, author: article.author,
                  extra: article.extra.isEmpty ? nil : article.extra)
    }

    public func encoded() throws -> [UInt8] {
        Array(try StoredData.encoder.encode(self))
    }

    /// Reads document data back. On the search path for every hit, so it uses the byte-level JSON parser
    /// (several times faster than JSONDecoder here) rather than Codable.
    public static func decode(_ bytes: [UInt8]) throws -> StoredData {
        guard case .object(let fields) = try JSONValue(parsing: bytes),
              let id = fields["id"]?.stringValue, let title = fields["title"]?.stringValue
        else { throw StoredDataError.malformed }
        var extra: [String: JSONValue]?
        if case .object(let values)? = fields["extra"] { extra = values }
        return StoredData(
            id: id, title: title, standfirst: fields["standfirst"]?.stringValue,
            body: fields["body"]?.stringValue ?? "",
            date: fields["date"]?.stringValue.flatMap { ArticleDate(yyyymmdd: $0) },
            category: fields["category"]?.stringValue, url: fields["url"]?.stringValue,
            author: fields["author"]?.stringValue, extra: extra)
    }

    /// Sorted keys: the same article always gives the same bytes (Swift's key order is per process otherwise).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}

enum StoredDataError: Error {
    case malformed
}

/// What a hit shows without the article's text: kept in its own value slot so a search without snippets
/// never reads (and inflates) the document data.
public struct HitSummary: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var category: String?
    public var url: String?

    public init(_ data: StoredData) {
        id = data.id; title = data.title; date = data.date; category = data.category; url = data.url
    }

    public func encoded() throws -> [UInt8] { Array(try HitSummary.encoder.encode(self)) }

    /// Decodes ten of these per search: straight into the fields, without a dictionary in between.
    public static func decode(_ bytes: [UInt8]) throws -> HitSummary {
        try decode(bytes, skippingOtherValues: false) { _, _ in }
    }

    /// Decodes the summary's fields from JSON holding them (a summary, or the whole document data), handing every
    /// other string field to `otherField`. `skippingOtherValues` steps over nested values (`extra`) unbuilt.
    static func decode(_ bytes: [UInt8], skippingOtherValues: Bool, otherField: (String, String) -> Void) throws
        -> HitSummary
    {
        var id: String?, title: String?, date: String?, category: String?, url: String?
        try bytes.withUnsafeBytes { raw in
            try JSONByteParser.parseStringFields(raw, skippingOtherValues: skippingOtherValues) { key, value in
                switch key {
                case "id": id = value
                case "title": title = value
                case "date": date = value
                case "category": category = value
                case "url": url = value
                default: otherField(key, value)
                }
            }
        }
        guard let id, let title else { throw StoredDataError.malformed }
        return HitSummary(id: id, title: title, date: date.flatMap { ArticleDate(yyyymmdd: $0) }, category: category,
                          url: url)
    }

    init(id: String, title: String, date: ArticleDate?, category: String?, url: String?) {
        self.id = id; self.title = title; self.date = date; self.category = category; self.url = url
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}
