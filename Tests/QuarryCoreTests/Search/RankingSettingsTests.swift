import Foundation
import QuarryTestSupport
import Testing
@testable import QuarryCore

/// The ranking settings quarryd exposes (query_stopwords, bm25_plus_delta, bm25_min_normlen) and query stemming that
/// follows the index's own strategy, checked on a small index built by the real Indexer.
@Suite struct RankingSettingsTests {
    /// Three articles as JSON Lines: one about river floods, one full of function words, one about storms.
    func makeIndex(stemming: StemmingStrategy = .some, language: String? = nil) throws -> TestCorpus {
        let corpus = try TestCorpus()
        try corpus.write("articles.jsonl", """
            {"id": "floods", "title": "Rivers rise in the north", "text": "The river floods every spring and the \
            floods reach the town."}
            {"id": "filler", "title": "Notes from a mountain pass", "text": "It is the pass of the mountain, the \
            one that is closed in the winter, and then it is the one that is open in the summer."}
            {"id": "storms", "title": "Coastal storms", "text": "A storm hit the coast and the harbour walls \
            held."}
            """)
        var options = IndexerOptions(databasePath: corpus.databasePath)
        options.spelling = false
        options.stemming = stemming
        options.language = language
        let indexer = try Indexer(options: options)
        _ = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return corpus
    }

    func hits(_ corpus: TestCorpus, _ query: String, configure: (inout SearchSettings) -> Void = { _ in })
        throws -> [SearchHit]
    {
        var settings = SearchSettings()
        configure(&settings)
        let searcher = try Searcher(path: corpus.databasePath, settings: settings)
        return try searcher.search(SearchRequest(q: query, limit: 10, snippets: false)).hits
    }

    @Test func englishStopwordsDropFunctionWordsFromQueries() throws {
        let corpus = try makeIndex()
        let query = "the floods of the river"
        let kept = try hits(corpus, query) { $0.stopwords = .none }
        #expect(Set(kept.map(\.id)) == ["floods", "filler", "storms"], "without a stop list, \"the\" matches all")

        let stopped = try hits(corpus, query) { $0.stopwords = .english }
        #expect(stopped.map(\.id) == ["floods"])
        let contentOnly = try hits(corpus, "floods river") { $0.stopwords = .english }
        #expect(stopped.map(\.score) == contentOnly.map(\.score), "stopwords add nothing to the score")

        let short = try hits(corpus, "the one that is open") { $0.stopwords = .englishShort }
        #expect(short.map(\.id) == ["filler"], "\"one\" and \"open\" are not in Lucene's short list")
        let onlyStopwords = try hits(corpus, "the") { $0.stopwords = .english }
        #expect(onlyStopwords.count == 3, "a query made only of stopwords is kept whole")
        #expect(SearchSettings().stopwords == .english)
    }

    @Test func englishStopwordsAreNotAppliedToAnotherLanguage() throws {
        let corpus = try makeIndex(language: "french")
        let found = try hits(corpus, "the floods of the river") { $0.stopwords = .english }
        #expect(found.count == 3, "on a French index \"the\" is an ordinary word: \(found.map(\.id))")
    }

    @Test func bm25PlusAndMinimumLengthChangeScoresButNotWhatMatches() throws {
        let corpus = try makeIndex()
        let plain = try hits(corpus, "river storm")
        let plus = try hits(corpus, "river storm") { $0.bm25PlusDelta = 1 }
        #expect(Set(plus.map(\.id)) == Set(plain.map(\.id)))
        for hit in plus {
            let before = try #require(plain.first { $0.id == hit.id })
            #expect(hit.score > before.score, "BM25+ adds delta times the term weight for \(hit.id)")
        }

        // Every article here is shorter than the average would need to be for a min_normlen of 2 to be
        // inert: raising it treats them all as longer, which lowers every score.
        let floor = try hits(corpus, "river storm") { $0.minNormalisedLength = 2 }
        #expect(Set(floor.map(\.id)) == Set(plain.map(\.id)))
        for hit in floor {
            let before = try #require(plain.first { $0.id == hit.id })
            #expect(hit.score < before.score, "min_normlen 2 lengthens \(hit.id)")
        }
    }

    @Test(arguments: [StemmingStrategy.some, .all, .allZ])
    func queriesStemTheWayTheIndexWasBuilt(stemming: StemmingStrategy) throws {
        let corpus = try makeIndex(stemming: stemming)
        let found = try hits(corpus, "flooding rivers")
        #expect(found.first?.id == "floods", "\(stemming): \(found.map(\.id))")
        #expect(try Searcher(path: corpus.databasePath, settings: SearchSettings()).stats().stemming == stemming.name)
    }
}
