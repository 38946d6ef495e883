import Foundation
import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

/// A large batch into an existing index, built by several writers and merged with the index (`ParallelBuild`
/// with `updatesIndex`, `UpdateMerge`), must leave what one writer's run leaves: the same documents by id, the
/// same statistics, spelling data, file states and summary counts; only docids differ. And the next
/// incremental run must go on from it as from the one writer's index.
@Suite struct ParallelUpdateTests {
    let fixture = ParallelBuildTests()

    /// The batch: changed, vanished and new text files; a feed grown by lines that repeat earlier ids; the
    /// unfinished last line of a feed completed and a new unfinished one after it; a new feed that brings ids of
    /// an unchanged feed and of a vanished one again; a vanished feed (whose moved article must stay).
    func changeCorpus(_ corpus: TestCorpus) throws {
        for number in 0..<10 {
            try corpus.write("text/\(number % 7)/story\(number).txt", TestCorpus.article(
                title: "Story \(number) rewritten", standfirst: "Ferry strike revised.",
                paragraphs: ["The revised council budget \(number) came late."]))
        }
        for number in 10..<15 { try corpus.remove("text/\(number % 7)/story\(number).txt") }
        for number in 0..<60 {
            try corpus.write("new/\(number % 3)/late\(number).txt", TestCorpus.article(
                title: "Late \(number) harbour lantern", standfirst: "Comet orchard \(number).",
                paragraphs: ["Rowing market election \(number) storm.",
                             String(repeating: "Council river bridge festival budget ferry. ", count: 8)]))
        }
        let wire = corpus.corpus.appendingPathComponent("feeds/wire.jsonl")
        let handle = try FileHandle(forWritingTo: wire)
        try handle.seekToEnd()
        let grown = (0..<30).map { number in
            // Every third line repeats an id the index holds.
            let id = number % 3 == 0 ? "feed-\(number * 3)" : "feed-grown-\(number)"
            return #"{"id": "\#(id)", "title": "Grown \#(number) bridge", "text": "Festival naïve café \#(number)."}"#
        }
        try handle.write(contentsOf: Data((grown.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        try corpus.write("feeds/x-open.jsonl", #"{"id": "open-1", "title": "First", "text": "River budget."}"# + "\n"
            + #"{"id": "open-2", "title": "Finished now", "text": "Storm lantern."}"# + "\n"
            + #"{"id": "open-3", "title": "Unfinished again", "text": "Comet rowing."}"#)
        try corpus.write("feeds/moved.jsonl", ((0..<5).map { "feed-\($0 * 7 + 1)" } + ["gone-3"]).map {
            #"{"id": "\#($0)", "title": "Moved \#($0)", "text": "Orchard ferry \#($0)."}"#
        }.joined(separator: "\n") + "\n")
        try corpus.remove("feeds/gone.jsonl")
    }

    func update(_ corpus: TestCorpus, at path: String, jobs: Int,
                configure: (inout IndexerOptions) -> Void = { _ in }) throws -> IndexSummary {
        try TestIndexing.index([corpus.corpus], at: path) { options in
            options.jobs = jobs
            options.batchSize = 5
            options.shardGenerationSize = 10  // several databases per shard: replacements reach earlier ones
            configure(&options)
        }
    }

    @Test func aLargeBatchIsMergedWithTheIndexAndLeavesWhatOneWriterLeaves() throws {
        let corpus = try fixture.makeCorpus()
        try corpus.write("feeds/gone.jsonl", (0..<8).map {
            #"{"id": "gone-\#($0)", "title": "Gone \#($0)", "text": "Market storm \#($0)."}"#
        }.joined(separator: "\n") + "\n")
        let serialPath = corpus.root.appendingPathComponent("serial").path
        let parallelPath = corpus.root.appendingPathComponent("parallel").path
        for path in [serialPath, parallelPath] { _ = try fixture.build(corpus, at: path, jobs: 1) }
        try changeCorpus(corpus)

        let serial = try update(corpus, at: serialPath, jobs: 1)
        let parallel = try update(corpus, at: parallelPath, jobs: 2)  // the default share: this batch is large
        #expect(serial.shards == 0)
        #expect(parallel.shards == 2)
        #expect(serial.added == 83 && serial.updated == 26 && serial.deleted == 12, "\(serial)")
        for path in [serialPath, parallelPath] {
            #expect(try Database(path: path).firstDocument(withTerm: "Qgone-3") != nil, "moved from a vanished feed")
        }
        for (name, a, b) in [("added", parallel.added, serial.added), ("updated", parallel.updated, serial.updated),
                             ("deleted", parallel.deleted, serial.deleted), ("unchanged", parallel.unchanged, serial.unchanged),
                             ("in index", parallel.documentsInIndex, serial.documentsInIndex)] {
            #expect(a == b, "\(name): \(a) in parallel, \(b) with one writer")
        }
        try expectSameIndex(parallelPath, serialPath, "after the parallel update")
        #expect(!FileManager.default.fileExists(atPath: ParallelBuild.folder(for: parallelPath)))

        // The next runs go on from the merged index as from the one writer's: nothing to do, then a small batch
        // (one writer: below the share) that completes the feed's unfinished line, whose tail must name the right
        // document.
        let again = try update(corpus, at: parallelPath, jobs: 2)
        #expect(again.shards == 0 && again.added + again.updated + again.deleted == 0, "\(again)")
        try corpus.write("feeds/x-open.jsonl", #"{"id": "open-1", "title": "First", "text": "River budget."}"# + "\n"
            + #"{"id": "open-2", "title": "Finished now", "text": "Storm lantern."}"# + "\n"
            + #"{"id": "open-3b", "title": "The line rewritten", "text": "Comet rowing."}"# + "\n")
        let smallSerial = try update(corpus, at: serialPath, jobs: 1)
        let smallParallel = try update(corpus, at: parallelPath, jobs: 2)
        #expect(smallParallel.shards == 0, "a small batch goes straight into the index")
        #expect(smallParallel.deleted == 1 && smallSerial.deleted == 1, "open-3, the old tail, goes: \(smallParallel)")
        try expectSameIndex(parallelPath, serialPath, "after a small batch")
    }

    @Test func theBatchIsComparedWithTheTextTheIndexHolds() throws {
        let corpus = try fixture.makeCorpus()
        let path = corpus.databasePath
        _ = try fixture.build(corpus, at: path, jobs: 1)
        let held = try IndexedText.estimatedBytes(in: Database(path: path))
        let documents = try Database(path: path).documentCount()
        let exact = try (1...Database(path: path).lastDocumentID()).reduce(0) { total, docid in
            total + ((try? Database(path: path).document(docid).data().count) ?? 0)
        }
        #expect(held > exact * 2 / 3 && held < exact * 3 / 2, "estimated \(held) bytes for \(exact) in \(documents) documents")

        // 5 new files of about the same size as the index's text files: 2% of its articles.
        for number in 0..<5 {
            try corpus.write("extra/e\(number).txt", TestCorpus.article(
                title: "Extra \(number)", standfirst: "Harbour council river bridge festival market election storm.",
                paragraphs: [String(repeating: "ferry lantern comet rowing café naïve budget orchard ", count: 9)]))
        }
        let small = try update(corpus, at: path, jobs: 2)
        #expect(small.shards == 0 && small.added == 5, "\(small)")
        try corpus.remove("extra/e0.txt")
        let forced = try update(corpus, at: path, jobs: 2) { $0.parallelUpdateShare = 0 }
        #expect(forced.shards == 0, "nothing to read: no build, whatever the share (\(forced))")
        #expect(forced.deleted == 1)
    }

    func expectSameIndex(_ path: String, _ referencePath: String, _ context: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = try IndexByID(path: path)
        let reference = try IndexByID(path: referencePath)
        #expect(got.documents.count == reference.documents.count, "\(context)", sourceLocation: sourceLocation)
        for (id, document) in reference.documents where got.documents[id] != document {
            Issue.record("\(context): document \(id) differs", sourceLocation: sourceLocation)
        }
        for id in got.documents.keys where reference.documents[id] == nil {
            Issue.record("\(context): document \(id) should not be there", sourceLocation: sourceLocation)
        }
        #expect(got.statistics == reference.statistics, "\(context): statistics", sourceLocation: sourceLocation)
        #expect(got.spellings == reference.spellings, "\(context): spelling data", sourceLocation: sourceLocation)
        for key in Set(got.metadata.keys).union(reference.metadata.keys) where got.metadata[key] != reference.metadata[key] {
            let (value, expected) = (got.metadata[key] ?? "none", reference.metadata[key] ?? "none")
            Issue.record("\(context): metadata \(key): \(value), one writer's: \(expected)", sourceLocation: sourceLocation)
        }
        #expect(try Database.checkConsistency(path: path).errors == 0, sourceLocation: sourceLocation)
    }
}
