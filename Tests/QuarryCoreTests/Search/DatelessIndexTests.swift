import Foundation
import QuarryCore
import QuarryTestSupport
import Testing

/// On an index whose articles have no dates, a date parameter is not quietly ignored: the response notes it,
/// `sort` and `recency` leave relevance ranking alone, and `/stats` says how many articles have dates.
@Suite struct DatelessIndexTests {
    static func dateless() throws -> (TestCorpus, InProcessQuarry) {
        let corpus = try TestCorpus()
        try corpus.write("tech/a.txt", "Chip makers race to new nodes\n\nThe chip race goes on.\n\nFoundries add capacity for chips.")
        try corpus.write("tech/b.txt", "Chip shortage eases\n\nCar makers get their chips again.\n\nA chip glut may follow.")
        try corpus.write("arts/c.txt", "Gallery opens\n\nA new gallery shows chip art.\n\nPaintings of circuits.")
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return (corpus, InProcessQuarry(path: corpus.databasePath))
    }

    @Test func statsCountTheDatedArticles() async throws {
        let (corpus, quarry) = try Self.dateless()
        let stats = try await quarry.stats()
        #expect(stats.index.documents == 3 && stats.index.datedDocuments == 0)
        withExtendedLifetime(corpus) {}
    }

    @Test func eachDateParameterGetsANoteAndRankingStaysRelevance() async throws {
        let (corpus, quarry) = try Self.dateless()
        defer { withExtendedLifetime(corpus) {} }
        let plain = try await quarry.search(SearchParameters(q: "chip", snippets: false))
        #expect(plain.notes == nil)
        #expect(plain.hits.first?.percent == 100)

        for sort in ["-date", "date"] {
            let sorted = try await quarry.search(SearchParameters(q: "chip", sort: sort, snippets: false))
            #expect(sorted.hits.map(\.id) == plain.hits.map(\.id), "relevance order")
            #expect(sorted.notes == ["no article in this index has a date, so sort=\(sort) was ignored: results are ranked by relevance"])
        }
        let recent = try await quarry.search(SearchParameters(q: "chip", snippets: false, recency: 7))
        #expect(recent.hits.map(\.percent) == plain.hits.map(\.percent), "no 50% cap from a boost no article can get")
        #expect(recent.notes == ["no article in this index has a date, so recency was ignored"])

        let ranged = try await quarry.search(SearchParameters(q: "chip", from: "2020-01-01"))
        #expect(ranged.hits.isEmpty)
        #expect(ranged.notes == ["no article in this index has a date, so from/to match nothing"])

        let months = try await quarry.search(SearchParameters(q: "chip", facets: ["month", "category"]))
        #expect(months.facets?["month"] == [])
        #expect(months.notes == ["no article in this index has a date, so the month facet is empty"])
    }
}
