import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// `/documents/{id}` gives back the article as it was read: its parts kept apart, and a JSON Lines record's own
/// fields (those Quarry does not interpret) as they were in the file.
@Suite("Stored articles", .timeLimit(.minutes(2)))
struct StoredArticleTests {
    @Test(arguments: SampleCorpus.articles.map(\.id))
    func everyArticleComesBackWithItsPartsAndFields(id: String) async throws {
        let quarry = InProcessQuarry(path: try await SharedIndex.prepare())
        let stored = try await quarry.document(id: id)
        let original = try #require(SampleCorpus.article(id))
        #expect(stored.title == original.title)
        #expect(stored.standfirst == original.standfirst)
        #expect(stored.body == original.body)
        #expect(stored.date == original.date && stored.category == original.category)
        #expect(stored.url == original.url && stored.author == original.author)
        #expect(stored.extra ?? [:] == original.extra)
    }

    @Test func aRecordsOwnFieldsAreKept() async throws {
        let quarry = InProcessQuarry(path: try await SharedIndex.prepare())
        let line = try #require(String(contentsOf: RepositoryPaths.samples.appendingPathComponent("news.jsonl"),
                                       encoding: .utf8).split(separator: "\n").first { $0.contains("\"tags\"") })
        let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let id = try #require(record["id"] as? String)
        let tags = try #require(record["tags"] as? [String])
        let stored = try await quarry.document(id: id)
        #expect(stored.extra?["tags"] == .array(tags.map(JSONValue.string)))
        let wire = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        #expect(wire.contains(#""extra":{"tags":["#), "\(wire)")
    }
}
