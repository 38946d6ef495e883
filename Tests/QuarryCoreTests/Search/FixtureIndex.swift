import Foundation
@testable import QuarryCore
import QuarryTestSupport
import Xapian

/// The fixture articles (Fixtures/articles), indexed once per test process by the real Indexer into a temporary
/// folder (removed at exit), and read again with QuarryCore's own scanner and parsers, so tests can compute by
/// brute force what a search must return. Read-only: a test that changes an index builds its own.
enum FixtureIndex {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The index's path (in a folder of its own).
    private static let built: Result<String, Failure> = {
        do {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-fixtures-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            atexit { FixtureIndex.remove() }
            let databasePath = root.appendingPathComponent("db").path
            var options = IndexerOptions(databasePath: databasePath)
            options.spelling = false
            let indexer = try Indexer(options: options)
            _ = try indexer.run(roots: [ArticleTestSupport.fixtures])
            try indexer.close()
            return .success(databasePath)
        } catch {
            return .failure(Failure(description: "cannot index the fixtures: \(error)"))
        }
    }()

    static var databasePath: String {
        get throws { try built.get() }
    }

    /// A fresh searcher on the shared index (one per test: a Searcher is not shared across threads).
    static func searcher() throws -> Searcher {
        try Searcher(path: try databasePath)
    }

    /// Every article the index holds, ids as the index has them, categories as the Indexer assigns them.
    static let articles: [Article] = ArticleCorpus.read(roots: [ArticleTestSupport.fixtures])

    static func article(_ id: String) -> Article? {
        articles.first { $0.id == id }
    }

    /// The category a facet counts an article under (none when missing or empty).
    static func category(of article: Article) -> String? {
        guard let category = article.category, !category.isEmpty else { return nil }
        return category
    }

    /// The month a facet counts an article under, as YYYY-MM.
    static func month(of article: Article) -> String? {
        article.date.map { String($0.iso.prefix(7)) }
    }

    /// The index's own terms for an article (for checking what two articles share).
    static func terms(of id: String) throws -> Set<String> {
        let database = try Database(path: try databasePath)
        guard let docid = try database.firstDocument(withTerm: IndexSchema.uniqueTerm(for: id)) else { return [] }
        return Set(try database.termList(docid).map(\.term))
    }

    private static func remove() {
        if case .success(let databasePath) = built {
            try? FileManager.default.removeItem(atPath: (databasePath as NSString).deletingLastPathComponent)
        }
    }
}

extension Dictionary where Key == String, Value == Int {
    /// Brute-force counts of the values `key` gives, skipping articles it gives none for.
    init(counting articles: [Article], by key: (Article) -> String?) {
        self = [:]
        for article in articles { if let value = key(article) { self[value, default: 0] += 1 } }
    }
}

extension Array where Element == FacetCount {
    var asDictionary: [String: Int] {
        Dictionary(map { ($0.value, $0.count) }, uniquingKeysWith: +)
    }
}
