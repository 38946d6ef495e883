import Foundation
import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

/// A new index built by several writers (`ParallelBuild`) must hold exactly what one writer builds: the same
/// documents (terms, wdf, positions, values, data) under the same ids, the same statistics, metadata and
/// spelling data; only the docids differ (each shard's come after the previous shard's).
@Suite struct ParallelBuildTests {
    /// Text articles and two feeds: ids repeated across files and within a feed (the later one wins), a feed
    /// whose last line has no newline (its state names that document's docid), a broken line.
    func makeCorpus(articles: Int = 120) throws -> TestCorpus {
        let corpus = try TestCorpus()
        let words = ["harbour", "council", "river", "bridge", "festival", "market", "election", "storm", "ferry",
                     "lantern", "comet", "rowing", "café", "naïve", "budget", "orchard"]
        var random = SeededRandom(seed: 17)
        func sentence(_ count: Int) -> String {
            (0..<count).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined(separator: " ")
        }
        for number in 0..<articles {
            try corpus.write("text/\(number % 7)/story\(number).txt", TestCorpus.article(
                title: "Story \(number) \(sentence(4))", standfirst: sentence(12),
                paragraphs: [sentence(40), sentence(30)],
                dateLine: number % 3 == 0 ? nil : "Published: \(number % 28 + 1) March \(2000 + number % 25)"))
        }
        var lines: [String] = []
        for number in 0..<articles {
            let id = number % 10 == 9 ? "feed-\(number - 1)" : "feed-\(number)"  // every tenth repeats an id
            lines.append(#"{"id": "\#(id)", "title": "Wire \#(number) \#(sentence(3))", "text": "\#(sentence(50))", "#
                + #""date": "20\#(10 + number % 15)-05-0\#(number % 9 + 1)", "category": "wire"}"#)
        }
        lines.insert(#"{"id": broken"#, at: lines.count / 3)
        try corpus.write("feeds/wire.jsonl", lines.joined(separator: "\n") + "\n")
        // Read last (after wire.jsonl), so that its tail is not its shard's first article.
        try corpus.write("feeds/x-open.jsonl", #"{"id": "open-1", "title": "First", "text": "\#(sentence(20))"}"# + "\n"
            + #"{"id": "open-2", "title": "Unfinished last line", "text": "\#(sentence(20))"}"#)
        return corpus
    }

    func build(_ corpus: TestCorpus, at path: String, jobs: Int, batch: Int = 25, generation: Int? = nil,
               shouldStop: @escaping () -> Bool = { false }) throws -> IndexSummary {
        var options = IndexerOptions(databasePath: path)
        options.jobs = jobs
        options.batchSize = batch
        if let generation { options.shardGenerationSize = generation }
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus], shouldStop: shouldStop)
        try indexer.close()
        return summary
    }

    /// Each case as (writers, batch, articles per shard database): the last starts a new database for every
    /// article, so each repeated id replaces its article in an earlier database of its shard.
    @Test(arguments: [(2, 25, nil), (3, 25, nil), (2, 1, 1)])
    func aParallelBuildHoldsWhatOneWriterBuilds(jobs: Int, batch: Int, generation: Int?) throws {
        let corpus = try makeCorpus()
        let serialPath = corpus.root.appendingPathComponent("serial").path
        let parallelPath = corpus.root.appendingPathComponent("parallel").path
        let serial = try build(corpus, at: serialPath, jobs: 1)
        let parallel = try build(corpus, at: parallelPath, jobs: jobs, batch: batch, generation: generation)

        #expect(serial.shards == 0)
        #expect(parallel.shards == jobs)
        #expect(parallel.added == serial.added && parallel.updated == serial.updated, "\(parallel) vs \(serial)")
        #expect(parallel.updated == 12, "every tenth feed line repeats an id")
        #expect(parallel.skipped == serial.skipped)
        #expect(parallel.documentsInIndex == serial.documentsInIndex)

        let one = try IndexByID(path: serialPath)
        let many = try IndexByID(path: parallelPath)
        #expect(many.documents.count == one.documents.count)
        for (id, document) in one.documents where many.documents[id] != document {
            Issue.record("document \(id) differs")
        }
        #expect(many.statistics == one.statistics)
        #expect(many.spellings == one.spellings)
        #expect(many.metadata == one.metadata, "metadata (file states with their tails as ids) differs")
        #expect(try Database.checkConsistency(path: parallelPath).errors == 0)
        #expect(!FileManager.default.fileExists(atPath: ParallelBuild.folder(for: parallelPath)))
    }

    @Test func aStoppedBuildKeepsWhatItReadAndTheNextRunFinishesIt() throws {
        let corpus = try makeCorpus()
        let path = corpus.databasePath
        var polls = 0
        let stopped = try build(corpus, at: path, jobs: 2) {
            polls += 1
            return polls > 150
        }
        #expect(stopped.interrupted)
        let held = try Database(path: path).documentCount()
        #expect(held > 0 && held < 240, "\(held) documents after the stop")

        let rest = try build(corpus, at: path, jobs: 2)
        #expect(!rest.interrupted)
        #expect(rest.shards == 2, "the rest is a large batch: built in parallel and merged with the index")
        let serialPath = corpus.root.appendingPathComponent("serial").path
        _ = try build(corpus, at: serialPath, jobs: 1)
        let finished = try IndexByID(path: path)
        let reference = try IndexByID(path: serialPath)
        #expect(finished.documents == reference.documents)
        #expect(finished.spellings == reference.spellings)
        #expect(finished.metadata == reference.metadata)
    }

    @Test func aLeftoverBuildFolderIsRemovedAndTheIndexerGoesOnWithOneWriter() throws {
        let corpus = try makeCorpus(articles: 20)
        let path = corpus.databasePath
        let leftover = ParallelBuild.folder(for: path)
        try FileManager.default.createDirectory(atPath: leftover + "/shard-0-0", withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: leftover + "/shard-0-0/postlist.glass"))

        var options = IndexerOptions(databasePath: path)
        options.jobs = 2
        let indexer = try Indexer(options: options)
        let first = try indexer.run(roots: [corpus.corpus])
        #expect(first.shards == 2)
        #expect(!FileManager.default.fileExists(atPath: leftover))

        // The same indexer (as --watch uses it) goes on in the built index, with one writer.
        try corpus.write("text/late.txt", TestCorpus.article(title: "Late news", standfirst: "Zephyrine arrives.",
                                                            paragraphs: ["The zephyrine came late."]))
        let second = try indexer.run(roots: [corpus.corpus])
        #expect(second.shards == 0)
        #expect(second.added == 1 && second.unchanged == first.documentsInIndex)
        try indexer.close()
        let database = try Database(path: path)
        #expect(try database.documentCount() == first.documentsInIndex + 1)
        #expect(try database.firstDocument(withTerm: "Qtext/late.txt") != nil)
    }
}
