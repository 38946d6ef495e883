import Foundation
import QuarryTestSupport
import Testing
@testable import QuarryCore
import Xapian

/// End to end on real public corpora (../shared/corpora); skipped with a note where they are absent.
@Suite struct IndexerCorporaTests {
    @Test(.enabled(if: RepositoryPaths.corporaFileExists("bbc-news/txt"), "needs ../shared/corpora/bbc-news"))
    func indexesTheBBCArticleFolder() throws {
        let corpus = try TestCorpus()
        let root = RepositoryPaths.corporaFile("bbc-news/txt")
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        let summary = try indexer.run(roots: [root])
        try indexer.close()
        #expect(summary.added == 2225)
        #expect(summary.skippedTotal == 0)

        let searcher = try Searcher(path: corpus.databasePath)
        let response = try searcher.search(SearchRequest(q: "Ad sales boost Time Warner profit", limit: 3))
        #expect(response.hits.first?.id == "business/001.txt")
        #expect(response.hits.first?.category == "business")
        let filtered = try searcher.search(SearchRequest(q: "election", limit: 50, categories: ["politics"]))
        #expect(!filtered.hits.isEmpty)
        #expect(filtered.hits.allSatisfy { $0.category == "politics" })

        let rerun = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        let second = try rerun.run(roots: [root])
        try rerun.close()
        #expect(second.unchanged == 2225 && second.added == 0 && second.updated == 0)
        #expect(try Database.checkConsistency(path: corpus.databasePath).errors == 0)
    }

    @Test(.enabled(if: RepositoryPaths.corporaFileExists("ir-med/docs.jsonl"), "needs ../shared/corpora/ir-med"))
    func indexesAJSONLinesCollection() throws {
        let corpus = try TestCorpus()
        let file = RepositoryPaths.corporaFile("ir-med/docs.jsonl")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        let summary = try indexer.run(roots: [file])
        try indexer.close()
        #expect(summary.added + summary.skippedTotal == lines)
        #expect(summary.added > 1000)
        let db = try Database(path: corpus.databasePath)
        #expect(try db.documentCount() == summary.added)
        #expect(try db.hasPositions())
    }
}
