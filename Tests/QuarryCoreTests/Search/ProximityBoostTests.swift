import QuarryAPI
@testable import QuarryCore
import QuarryTestSupport
import Testing
import Xapian

/// Term proximity (`proximity_weight`, off by default): with it on, an article holding the query's words next to
/// each other ranks above one holding them as often but far apart; off, the two tie.
@Suite struct ProximityBoostTests {
    @Test func neighbouringWordsRankFirstWhenTheBoostIsOn() throws {
        let corpus = try TestCorpus()
        let filler = Array(repeating: "meadow", count: 30).joined(separator: " ")
        try corpus.write("news/together.txt", TestCorpus.article(
            title: "Report one", standfirst: "A report.", paragraphs: ["The harbour crane stood. \(filler) A end."]))
        try corpus.write("news/apart.txt", TestCorpus.article(
            title: "Report two", standfirst: "A report.", paragraphs: ["The harbour stood. \(filler) A crane end."]))
        try TestIndexing.index([corpus.corpus], at: corpus.databasePath) { $0.spelling = false }

        func hits(weight: Double, _ q: String, mode: QueryMode = .auto) throws -> [SearchHit] {
            var settings = SearchSettings()
            settings.proximityWeight = weight
            return try Searcher(path: corpus.databasePath, settings: settings)
                .search(SearchRequest(q: q, snippets: false, mode: mode)).hits
        }
        let off = try hits(weight: 0, "harbour crane")
        try #require(off.count == 2)
        #expect(abs(off[0].score - off[1].score) < 1e-9, "without the boost the two tie")
        let on = try hits(weight: 0.5, "harbour crane")
        #expect(on.map(\.id) == ["news/together.txt", "news/apart.txt"])
        #expect(on[0].score > on[1].score + 1e-9)
        #expect(abs(on[1].score - off[1].score) < 1e-9, "the boost adds nothing where the words are apart")
        // A query in Xapian's syntax is left as written.
        let syntax = try hits(weight: 0.5, "harbour OR crane", mode: .syntax)
        #expect(abs(syntax[0].score - syntax[1].score) < 1e-9)
    }

    @Test func pairsAreNeighbouringWordsWithoutStopwords() {
        #expect(ProximityBoost.words(of: "the harbour's crane, 2024-05 café") == ["the", "harbour", "s", "crane", "2024", "05", "café"])
    }
}
