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
        try corpus.write("feeds/open.jsonl", #"{"id": "open-1", "title": "First", "text": "\#(sentence(20))"}"# + "\n"
            + #"{"id": "open-2", "title": "Unfinished last line", "text": "\#(sentence(20))"}"#)
        return corpus
    }

    func build(_ corpus: TestCorpus, at path: String, jobs: Int, batch: Int = 25,
               shouldStop: @escaping () -> Bool = { false }) throws -> IndexSummary {
        var options = IndexerOptions(databasePath: path)
        options.jobs = jobs
        options.batchSize = batch
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus], shouldStop: shouldStop)
        try indexer.close()
        return summary
    }

    @Test(arguments: [2, 3])
    func aParallelBuildHoldsWhatOneWriterBuilds(jobs: Int) throws {
        let corpus = try makeCorpus()
        let serialPath = corpus.root.appendingPathComponent("serial").path
        let parallelPath = corpus.root.appendingPathComponent("parallel").path
        let serial = try build(corpus, at: serialPath, jobs: 1)
        let parallel = try build(corpus, at: parallelPath, jobs: jobs)

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
        #expect(rest.shards == 0, "an index with documents is updated by one writer")
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
        try FileManager.default.createDirectory(atPath: leftover + "/shard-0", withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: leftover + "/shard-0/postlist.glass"))

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

/// An index keyed by article id rather than docid, with the docid-independent facts that must not depend on how
/// it was built.
private struct IndexByID {
    struct Document: Equatable {
        var data: [UInt8]
        var values: [DocumentValue]
        var terms: [String: (wdf: Int, positions: [Int])]

        static func == (a: Document, b: Document) -> Bool {
            a.data == b.data && a.values == b.values && a.terms.count == b.terms.count
                && a.terms.allSatisfy { term, entry in
                    b.terms[term].map { $0.wdf == entry.wdf && $0.positions == entry.positions } ?? false
                }
        }
    }

    var documents: [String: Document] = [:]
    var statistics: [String] = []
    var spellings: [TermCount]
    /// Metadata with each JSON Lines state's tail docid replaced by that document's id term.
    var metadata: [String: String] = [:]

    init(path: String) throws {
        let database = try Database(path: path)
        var idOf: [DocumentID: String] = [:]
        for docid in try database.postings("") {
            let terms = try database.termList(docid)
            let id = try #require(terms.first { $0.term.hasPrefix(IndexSchema.Prefix.uniqueID) }?.term)
            idOf[docid] = id
            let positions = try database.termPositions(docid)
            let document = try database.document(docid)
            documents[id] = Document(
                data: try document.data(), values: try document.values(),
                terms: Dictionary(uniqueKeysWithValues: terms.map { ($0.term, ($0.count, positions[$0.term] ?? [])) }))
        }
        statistics = [
            "docs \(try database.documentCount())", "length \(try database.totalLength())",
            "terms \(try database.allTerms().map { "\($0.term):\($0.count)" }.joined(separator: ","))",
        ]
        spellings = try database.spellings()
        for key in try database.metadataKeys() {
            var value = try database.metadata(key)
            if key.hasPrefix(IndexSchema.Metadata.jsonLinesPrefix),
               var object = try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any] {
                if let tail = object["tail"] as? Int { object["tail"] = idOf[DocumentID(tail)] ?? "missing \(tail)" }
                value = String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys),
                               as: UTF8.self)
            }
            metadata[key] = value
        }
    }
}
