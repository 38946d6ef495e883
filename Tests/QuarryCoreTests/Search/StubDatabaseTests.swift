import Foundation
@testable import QuarryCore
import QuarryTestSupport
import Testing
import Xapian

/// A Searcher opened on a Xapian stub database file (a list of shards) answers as the same articles in one
/// index do (Xapian merges the statistics, so the scores are the same), and sees a shard's later commits.
@Suite struct StubDatabaseTests {
    static let topics = ["harbour ferry storm", "council budget vote", "festival lantern music", "comet telescope"]

    /// Articles 0..<count, written under `folder` of the corpus.
    func writeArticles(_ range: Range<Int>, into corpus: TestCorpus, folder: String) throws {
        for number in range {
            let topic = Self.topics[number % Self.topics.count]
            try corpus.write("\(folder)/\(["news", "sport", "culture"][number % 3])/story\(number).txt",
                             TestCorpus.article(
                                title: "Story \(number) about \(topic)",
                                standfirst: "The \(topic) report number \(number).",
                                paragraphs: ["More on the \(topic) and the town.", String(repeating: "\(topic) ", count: number % 5 + 1)],
                                dateLine: "Published: \(number % 27 + 1) June \(2001 + number % 20)"))
        }
    }

    func index(_ roots: [URL], at path: String) throws {
        try TestIndexing.index(roots, at: path) { $0.jobs = 1 }
    }

    @Test func aStubOfShardsAnswersAsOneIndexAndSeesTheirCommits() throws {
        let corpus = try TestCorpus()
        try writeArticles(0..<40, into: corpus, folder: "a")
        try writeArticles(40..<90, into: corpus, folder: "b")
        let a = corpus.corpus.appendingPathComponent("a"), b = corpus.corpus.appendingPathComponent("b")
        let shardA = corpus.root.appendingPathComponent("shard-a").path
        let shardB = corpus.root.appendingPathComponent("shard-b").path
        let whole = corpus.root.appendingPathComponent("whole").path
        try index([a], at: shardA)
        try index([b], at: shardB)
        try index([a, b], at: whole)
        let stub = corpus.root.appendingPathComponent("shards.stub").path
        try "glass \(shardA)\nglass \(shardB)\n".write(toFile: stub, atomically: true, encoding: .utf8)

        var settings = SearchSettings()
        settings.reopenInterval = 0  // look for commits before every request
        let sharded = try Searcher(path: stub, settings: settings)
        let single = try Searcher(path: whole, settings: settings)
        let requests = [
            SearchRequest(q: "harbour storm", limit: 100),
            SearchRequest(q: "\"lantern music\"", limit: 100),
            SearchRequest(q: "council", limit: 100, categories: ["sport"], from: ArticleDate(year: 2005, month: 1, day: 1)),
            SearchRequest(q: "comet", limit: 100, sort: .dateDescending),
            SearchRequest(q: "", limit: 100, categories: ["news"], sort: .date),
        ]
        for request in requests {
            let fromShards = try sharded.search(request)
            let fromOne = try single.search(request)
            #expect(fromShards.total == fromOne.total, "\(request.q)")
            #expect(!fromOne.hits.isEmpty, "\(request.q) matches nothing: the comparison would prove nothing")
            // Equal scores may come in another docid order: compare each id's score.
            let scores = Dictionary(uniqueKeysWithValues: fromOne.hits.map { ($0.id, $0.score) })
            #expect(fromShards.hits.count == fromOne.hits.count, "\(request.q)")
            for hit in fromShards.hits {
                let expected = try #require(scores[hit.id], "\(request.q): \(hit.id) is not a hit of the one index")
                #expect(abs(hit.score - expected) < 1e-9, "\(request.q): \(hit.id) \(hit.score) vs \(expected)")
            }
            if request.sort != .relevance {
                #expect(fromShards.hits.map(\.date) == fromOne.hits.map(\.date), "\(request.q): date order")
            }
        }
        #expect(try sharded.stats().documents == 90)

        // A commit to one shard is seen through the stub.
        try writeArticles(90..<91, into: corpus, folder: "b")
        try index([b], at: shardB)
        #expect(try sharded.stats().documents == 91)
        #expect(try sharded.search(SearchRequest(q: "\"story 90\"")).hits.map(\.id) == ["news/story90.txt"])
    }
}
