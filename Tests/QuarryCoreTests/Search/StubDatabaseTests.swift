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

    /// Two shards (articles 0..<40 and 40..<90) and one index holding all of them.
    struct Layout {
        let corpus: TestCorpus
        let shardA: String, shardB: String, whole: String

        init(_ test: StubDatabaseTests) throws {
            corpus = try TestCorpus()
            try test.writeArticles(0..<40, into: corpus, folder: "a")
            try test.writeArticles(40..<90, into: corpus, folder: "b")
            shardA = corpus.root.appendingPathComponent("shard-a").path
            shardB = corpus.root.appendingPathComponent("shard-b").path
            whole = corpus.root.appendingPathComponent("whole").path
            try test.index([folder("a")], at: shardA)
            try test.index([folder("b")], at: shardB)
            try test.index([folder("a"), folder("b")], at: whole)
        }

        func folder(_ name: String) -> URL { corpus.corpus.appendingPathComponent(name) }

        func stub(_ lines: [String]) throws -> String {
            let path = corpus.root.appendingPathComponent("shards-\(UUID().uuidString).stub").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static let requests = [
        SearchRequest(q: "harbour storm", limit: 100),
        SearchRequest(q: "\"lantern music\"", limit: 100),
        SearchRequest(q: "council", limit: 100, categories: ["sport"], from: ArticleDate(year: 2005, month: 1, day: 1)),
        SearchRequest(q: "comet", limit: 100, sort: .dateDescending),
        SearchRequest(q: "", limit: 100, categories: ["news"], sort: .date),
    ]

    /// Every request gets the one index's total, hits (each id's score to 1e-9) and date order.
    func expectSameAnswers(_ sharded: Searcher, _ single: Searcher) throws {
        for request in Self.requests {
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
    }

    static var settings: SearchSettings {
        var settings = SearchSettings()
        settings.reopenInterval = 0  // look for commits before every request
        return settings
    }

    @Test func aStubOfShardsAnswersAsOneIndexAndSeesTheirCommits() throws {
        let layout = try Layout(self)
        let stub = try layout.stub(["glass \(layout.shardA)", "glass \(layout.shardB)"])
        let sharded = try Searcher(path: stub, settings: Self.settings)
        try expectSameAnswers(sharded, try Searcher(path: layout.whole, settings: Self.settings))
        #expect(try sharded.stats().documents == 90)

        // A commit to one shard is seen through the stub.
        try writeArticles(90..<91, into: layout.corpus, folder: "b")
        try index([layout.folder("b")], at: layout.shardB)
        #expect(try sharded.stats().documents == 91)
        #expect(try sharded.search(SearchRequest(q: "\"story 90\"")).hits.map(\.id) == ["news/story90.txt"])
    }

    /// The same shards reached through a program speaking Xapian's remote protocol on a pipe (`remote :PROGRAM
    /// ARGS`, as `ssh HOST xapian-progsrv PATH` is used), opened by Quarry's own stub reader.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xapian-progsrv"),
                   "skipped: xapian-progsrv (Debian's xapian-tools) is not installed"))
    func shardsThroughAProgramAnswerAsOneIndex() throws {
        let layout = try Layout(self)
        let stub = try layout.stub(["remote :/usr/bin/xapian-progsrv \(layout.shardA)",
                                    "remote :/usr/bin/xapian-progsrv \(layout.shardB)"])
        try expectSameAnswers(try Searcher(path: stub, settings: Self.settings),
                              try Searcher(path: layout.whole, settings: Self.settings))
    }

    /// The same shards served by xapian-tcpsrv (Xapian's remote backend) on 127.0.0.1 (issue 19).
    @Test(.enabled(if: TcpServer.isInstalled, "skipped: xapian-tcpsrv (Debian's xapian-tools) is not installed"))
    func remoteShardsAnswerAsOneIndex() throws {
        let layout = try Layout(self)
        let serverA = try TcpServer(serving: layout.shardA)
        defer { serverA.stop() }
        let serverB = try TcpServer(serving: layout.shardB)
        defer { serverB.stop() }
        let stub = try layout.stub(["remote 127.0.0.1:\(serverA.port)", "remote 127.0.0.1:\(serverB.port)"])
        // No reopen check between requests: the failure must be met by the search itself.
        var settings = Self.settings
        settings.reopenInterval = 3600
        settings.remoteRetryInterval = 0  // try the shards again on every request once one failed
        let sharded = try Searcher(path: stub, settings: settings)
        let single = try Searcher(path: layout.whole, settings: Self.settings)
        try expectSameAnswers(sharded, single)
        #expect(try sharded.stats().documents == 90)

        // A shard server that dies: a clear 503, at once (no hang), until it is back; then the same answers,
        // without a new Searcher.
        serverB.stop()
        let started = ContinuousClock.now
        for _ in 0..<2 {  // the search meets it, then opening the shards again does
            do {
                _ = try sharded.search(Self.requests[0])
                Issue.record("a search answered with a shard down")
            } catch {
                guard case .indexUnavailable(let message) = error else { Issue.record("\(error)"); continue }
                #expect(message.contains("a remote shard did not answer"), "\(message)")
                #expect(!message.contains(layout.corpus.root.path), "a server path in: \(message)")
            }
        }
        #expect(ContinuousClock.now - started < .seconds(5), "a dead shard must not hang a search")
        let restarted = try TcpServer(serving: layout.shardB, port: serverB.port)
        defer { restarted.stop() }
        try expectSameAnswers(sharded, single)
    }
}
