import Foundation
import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

/// JSON Lines files that grow (news feeds): an append indexes only the new lines, anything else re-indexes the
/// file, a stop request in the middle of a file is picked up by the next run, and progress is reported from
/// within a file.
@Suite struct JSONLinesFeedTests {
    static let fileName = "feed.jsonl"

    /// Line `number` (from 1) of a generated feed; `edition` changes the title without changing the length.
    static func line(_ number: Int, edition: String = "alpha") -> String {
        let id = String(format: "n%05d", number)
        return #"{"id": "\#(id)", "title": "Story \#(number) \#(edition) edition", "#
            + #""text": "Harbour council news number \#(number) with token uniq\#(number)tok.", "date": "2024-01-15"}"#
            + "\n"
    }

    static func lines(_ range: ClosedRange<Int>, edition: String = "alpha") -> String {
        range.map { line($0, edition: edition) }.joined()
    }

    func options(_ corpus: TestCorpus) -> IndexerOptions {
        var options = IndexerOptions(databasePath: corpus.databasePath)
        options.spelling = false
        options.batchSize = 100
        return options
    }

    func index(_ corpus: TestCorpus, configure: (inout IndexerOptions) -> Void = { _ in },
               shouldStop: () -> Bool = { false }) throws -> IndexSummary {
        var options = options(corpus)
        configure(&options)
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus], shouldStop: shouldStop)
        try indexer.close()
        return summary
    }

    func append(_ text: String, to corpus: TestCorpus) throws {
        let handle = try FileHandle(forWritingTo: corpus.corpus.appendingPathComponent(Self.fileName))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Every document's docid, by article id.
    func docids(_ corpus: TestCorpus, _ range: ClosedRange<Int>) throws -> [DocumentID] {
        let database = try Database(path: corpus.databasePath)
        return try range.map { number in
            try #require(try database.firstDocument(withTerm: "Q" + String(format: "n%05d", number)),
                         "article \(number) is missing")
        }
    }

    func title(_ corpus: TestCorpus, _ number: Int) throws -> String {
        let database = try Database(path: corpus.databasePath)
        let docid = try #require(try database.firstDocument(withTerm: "Q" + String(format: "n%05d", number)))
        return try StoredData.decode(database.document(docid).data()).title
    }

    func state(_ corpus: TestCorpus) throws -> JSONLinesState? {
        let path = corpus.corpus.appendingPathComponent(Self.fileName).standardizedFileURL.path
        let text = try Database(path: corpus.databasePath).metadata(IndexSchema.Metadata.jsonLinesKey(for: path))
        return JSONLinesState.decode(text)
    }

    @Test func appendingLinesIndexesOnlyTheNewOnes() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...2000))
        let first = try index(corpus)
        #expect(first.added == 2000)
        let before = try docids(corpus, 1...2000)
        let revision = try Database(path: corpus.databasePath).revision()

        let appended = Self.line(2001)
        try append(appended, to: corpus)
        let summary = try index(corpus)
        #expect(summary.added == 1)
        #expect(summary.updated == 0)
        #expect(summary.deleted == 0)
        #expect(summary.unchanged == 2000)
        #expect(summary.bytesRead == appended.utf8.count, "only the new line is read for articles")
        #expect(try docids(corpus, 1...2000) == before, "the old documents are untouched")
        #expect(try Database(path: corpus.databasePath).documentCount() == 2001)
        #expect(try Database(path: corpus.databasePath).revision() == revision + 1, "one commit")
        #expect(try title(corpus, 2001) == "Story 2001 alpha edition")
        #expect(try state(corpus)?.position.lines == 2001)

        // And again: each append is read from where the last one ended; an unchanged file is not read at all.
        try append(Self.lines(2002...2004), to: corpus)
        let again = try index(corpus)
        #expect(again.added == 3 && again.updated == 0 && again.unchanged == 2001)
        let unchanged = try index(corpus)
        #expect(unchanged.added == 0 && unchanged.updated == 0 && unchanged.unchanged == 2004)
        #expect(unchanged.bytesRead == 0)
    }

    @Test func editingAMiddleLineFallsBackToAFullReindex() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...1000))
        _ = try index(corpus)
        try append(Self.lines(1001...1010), to: corpus)
        let appended = try index(corpus)
        #expect(appended.added == 10 && appended.updated == 0, "only the appended lines were read")

        // The same length: only a hash of every byte read before tells this edit from an append.
        let edited = Self.lines(1...499) + Self.line(500, edition: "omega") + Self.lines(501...1010)
            + Self.line(1011)
        #expect(edited.utf8.count == (Self.lines(1...1011)).utf8.count)
        try corpus.write(Self.fileName, edited)
        let summary = try index(corpus)
        #expect(summary.updated == 1010, "the whole file is indexed again")
        #expect(summary.added == 1)
        #expect(summary.deleted == 0)
        #expect(try title(corpus, 500) == "Story 500 omega edition")
        #expect(try title(corpus, 499) == "Story 499 alpha edition")
        #expect(try Database(path: corpus.databasePath).documentCount() == 1011)
    }

    @Test func truncatingTheFileDeletesTheVanishedLines() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...1000))
        _ = try index(corpus)
        try append(Self.lines(1001...1010), to: corpus)
        let appended = try index(corpus)
        #expect(appended.added == 10 && appended.updated == 0, "only the appended lines were read")

        try corpus.write(Self.fileName, Self.lines(1...600))
        let summary = try index(corpus)
        #expect(summary.deleted == 410)
        #expect(summary.added == 0)
        let database = try Database(path: corpus.databasePath)
        #expect(try database.documentCount() == 600)
        #expect(try database.firstDocument(withTerm: "Qn00601") == nil)
        #expect(try database.firstDocument(withTerm: "Qn01010") == nil)
        #expect(try database.firstDocument(withTerm: "Qn00600") != nil)

        // And it grows again from there.
        try append(Self.line(601), to: corpus)
        let grown = try index(corpus)
        #expect(grown.added == 1 && grown.updated == 0 && grown.unchanged == 600)
    }

    @Test func aStopInTheMiddleOfAFileCommitsWhatWasDoneAndTheNextRunFinishesIt() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...3000))
        var polls = 0
        let stopped = try index(corpus, shouldStop: { polls += 1; return polls > 1234 })
        #expect(stopped.interrupted)
        let done = stopped.added
        #expect(done > 1000 && done < 3000, "stopped within the file, not at its end (\(done) lines)")
        #expect(try Database(path: corpus.databasePath).documentCount() == done, "what was done is committed")
        let reached = try #require(try state(corpus))
        #expect(reached.complete == nil, "the file is not marked as indexed")
        #expect(reached.position.lines == done)
        let first = try docids(corpus, 1...done)

        let resumed = try index(corpus)
        #expect(!resumed.interrupted)
        #expect(resumed.added == 3000 - done, "the next run goes on from there")
        #expect(resumed.updated == 0, "every line is indexed exactly once")
        #expect(resumed.deleted == 0)
        #expect(try Database(path: corpus.databasePath).documentCount() == 3000)
        #expect(try docids(corpus, 1...done) == first)
        #expect(try state(corpus)?.complete != nil)
        #expect(try index(corpus).unchanged == 3000)
    }

    @Test func aStoppedReindexStillDeletesTheVanishedLinesWhenItFinishes() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...1000))
        _ = try index(corpus)
        // Rewritten: new titles, and the last 200 lines gone.
        try corpus.write(Self.fileName, Self.lines(1...800, edition: "gamma"))
        var polls = 0
        let stopped = try index(corpus, shouldStop: { polls += 1; return polls > 300 })
        #expect(stopped.interrupted)
        #expect(stopped.updated == 300 && stopped.deleted == 0)

        let resumed = try index(corpus)
        #expect(resumed.updated == 500, "the re-index goes on from where it stopped")
        #expect(resumed.deleted == 200, "and then deletes what the new file no longer holds")
        #expect(try Database(path: corpus.databasePath).documentCount() == 800)
        #expect(try title(corpus, 1) == "Story 1 gamma edition")
        #expect(try title(corpus, 800) == "Story 800 gamma edition")
    }

    @Test func aHalfWrittenLastLineIsReadAgainOnceFinished() throws {
        let corpus = try TestCorpus()
        let whole = Self.line(3)
        let cut = whole.utf8.count / 2
        try corpus.write(Self.fileName, Self.lines(1...2) + String(whole.prefix(cut)))
        let first = try index(corpus)
        #expect(first.added == 2)
        #expect(first.skipped["malformedJSON"] == 1)

        try append(String(whole.dropFirst(cut)), to: corpus)
        let finished = try index(corpus)
        #expect(finished.added == 1 && finished.updated == 0 && finished.skippedTotal == 0)
        #expect(try title(corpus, 3) == "Story 3 alpha edition")

        // A last line without a newline is indexed, and read again when the next one comes.
        try append(String(Self.line(4).dropLast()), to: corpus)
        #expect(try index(corpus).added == 1)
        try append("\n" + Self.line(5), to: corpus)
        let next = try index(corpus)
        #expect(next.added == 1 && next.updated == 1 && next.deleted == 0)
        #expect(try Database(path: corpus.databasePath).documentCount() == 5)

        // Overwritten by a writer that gave it another id before finishing it: the old document goes.
        try corpus.write(Self.fileName, Self.lines(1...5) + #"{"id": "n00006", "title": "Six"}"#)
        #expect(try index(corpus).added == 1)
        try corpus.write(Self.fileName, Self.lines(1...5) + #"{"id": "n00007", "title": "Seven"}"# + "\n")
        let replaced = try index(corpus)
        #expect(replaced.added == 1 && replaced.deleted == 1 && replaced.updated == 0)
        #expect(try Database(path: corpus.databasePath).firstDocument(withTerm: "Qn00006") == nil)
    }

    @Test func aVanishedFeedTakesItsStateWithIt() throws {
        let corpus = try TestCorpus()
        try corpus.write(Self.fileName, Self.lines(1...10))
        _ = try index(corpus)
        #expect(try state(corpus) != nil)
        try corpus.remove(Self.fileName)
        #expect(try index(corpus).deleted == 10)
        #expect(try state(corpus) == nil)
        #expect(try Database(path: corpus.databasePath).metadataKeys(prefix: IndexSchema.Metadata.jsonLinesPrefix).isEmpty)
    }

    @Test func progressIsReportedFromWithinAFile() throws {
        let corpus = try TestCorpus()
        let text = Self.lines(1...2000)
        try corpus.write(Self.fileName, text)
        var options = options(corpus)
        options.progressInterval = .zero
        let indexer = try Indexer(options: options)
        var reports: [IndexProgress] = []
        _ = try indexer.run(roots: [corpus.corpus], progress: { reports.append($0) })
        try indexer.close()

        let within = reports.filter { $0.file != nil }
        #expect(within.count >= 1000, "reported while the file is read (\(within.count) reports)")
        #expect(within.allSatisfy { $0.file?.hasSuffix(Self.fileName) == true })
        #expect(within.allSatisfy { $0.fileBytesTotal == text.utf8.count && $0.bytesTotal == text.utf8.count })
        #expect(within.allSatisfy { $0.filesDone == 0 && $0.filesTotal == 1 })
        #expect(zip(within, within.dropFirst()).allSatisfy {
            $0.fileBytesDone < $1.fileBytesDone && $0.fileDocuments < $1.fileDocuments && $0.bytesDone < $1.bytesDone
        })
        let middle = try #require(within.first { $0.fileDocuments == 1000 })
        #expect(middle.fileBytesDone == Self.lines(1...1000).utf8.count)
        #expect(middle.documents == 1000)
        #expect(middle.fraction > 0.4 && middle.fraction < 0.6)
        #expect(within.last?.fileDocuments == 2000)
        #expect(reports.last?.filesDone == 1 && reports.last?.file == nil && reports.last?.fraction == 1)
    }
}
