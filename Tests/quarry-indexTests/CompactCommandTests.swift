import Foundation
import QuarryCore
import QuarryTestSupport
import Testing
import Xapian

/// `quarry-index compact --db DIR` on an index grown in many small batches: smaller, the same documents, terms,
/// docids and metadata, the same answers; the next incremental run has nothing to do; readers never find DIR
/// missing or half-written; writers are refused meanwhile; an interrupted or killed compaction leaves the index
/// as it was, and its leftovers are cleaned by the next run.
@Suite("quarry-index compact", .serialized)
struct CompactCommandTests {
    static let articleCount = 1200
    static let batchSize = 20

    /// A corpus of plain-text articles and a JSON Lines feed, indexed in small batches (many commits: a grown
    /// index).
    private struct Grown {
        let corpus: TestCorpus
        let generated: GeneratedCorpus
        let feed: URL
        var db: String { corpus.databasePath }
        var temporary: String { IndexCompaction.temporaryPath(for: db) }

        init(seed: UInt64 = 17) throws {
            corpus = try TestCorpus()
            generated = try GeneratedCorpus.write(into: corpus, count: CompactCommandTests.articleCount, seed: seed)
            let lines = (0..<50).map { number in
                #"{"id":"feed-\#(number)","title":"Feed item \#(number) feeduniq\#(number)","text":"Wire copy about the harbour \#(number)."}"#
            }
            feed = try corpus.write("feed/wire.jsonl", lines.joined(separator: "\n") + "\n")
            let built = try index()
            try #require(built.status == 0, "\(built.stderr)")
        }

        func index(json: Bool = false) throws -> Executables.Output {
            // One writer: a parallel build's index is compact already.
            try Executables.run("quarry-index", [corpus.corpus.path, "--db", db, "--batch",
                                                 String(CompactCommandTests.batchSize), "--jobs", "1", "--quiet"]
                                + (json ? ["--json"] : []))
        }

        func compactProcess() throws -> Process {
            let process = Process()
            process.executableURL = Executables.url("quarry-index")
            process.arguments = ["compact", "--db", db, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }

        /// Starts a compaction and stops it (SIGSTOP) once it is writing its copy; nil when it finished first.
        func compactionStoppedMidway() throws -> Process? {
            let process = try compactProcess()
            while process.isRunning && !FileManager.default.fileExists(atPath: temporary + "/postlist.glass") {
                usleep(200)
            }
            kill(process.processIdentifier, SIGSTOP)
            // Still compacting (not swapped yet): the copy is there and DIR is the original.
            if process.isRunning, FileManager.default.fileExists(atPath: temporary) {
                return process
            }
            kill(process.processIdentifier, SIGCONT)
            process.waitUntilExit()
            return nil
        }
    }

    private static func folderBytes(_ path: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int) ?? 0)
        }
    }

    private static let queries = ["harbour", "storm ferry", "\"river bridge\"", "title:comet", "uniq17tok",
                                  "feeduniq3", "category:sport budget", "harbour -storm", "lant*"]

    private static func answers(_ db: String) throws -> [String] {
        let searcher = try Searcher(path: db)
        return try queries.map { query in
            let response = try searcher.search(SearchRequest(q: query, limit: 50, snippets: false))
            return "\(query): \(response.total.lower)-\(response.total.upper) "
                + response.hits.map { "\($0.id)@\(String(format: "%.6f", $0.score))" }.joined(separator: " ")
        }
    }

    private static func compactJSON(_ db: String) throws -> (Executables.Output, IndexCompaction.Summary?) {
        let output = try Executables.run("quarry-index", ["compact", "--db", db, "--json"])
        return (output, try? JSONDecoder().decode(IndexCompaction.Summary.self, from: Data(output.stdout.utf8)))
    }

    @Test func aGrownIndexGetsSmallerAndHoldsTheSameAndTheNextRunSkipsEverything() throws {
        let grown = try Grown()
        let before = try IndexContents(path: grown.db)
        let answersBefore = try Self.answers(grown.db)
        let sizeBefore = Self.folderBytes(grown.db)

        let (output, summary) = try Self.compactJSON(grown.db)
        try #require(output.status == 0, "\(output.stderr)")
        let result = try #require(summary, "not a summary: \(output.stdout)")
        print("compact: \(result.bytesBefore) → \(result.bytesAfter) bytes (\(result.ratio)), \(result.seconds) s")
        #expect(result.bytesBefore == sizeBefore)
        #expect(result.bytesAfter < result.bytesBefore * 3 / 4, "a grown index shrinks by a quarter at least")
        #expect(result.bytesAfter == Self.folderBytes(grown.db))
        #expect(result.documents == Self.articleCount + 50 && result.checked && result.swap == "exchange")
        #expect(!FileManager.default.fileExists(atPath: grown.temporary))

        // The same documents, docid for docid, with the same data, values, terms and positions; the same metadata
        // (the JSON Lines feed state included) and spelling data; the same answers, scores included.
        let after = try IndexContents(path: grown.db)
        #expect(after.documentDifferences(from: before.documents).isEmpty,
                "\(after.documentDifferences(from: before.documents))")
        #expect(after.lastDocumentID == before.lastDocumentID)
        #expect(after.metadata == before.metadata)
        #expect(after.metadata.keys.contains { $0.hasPrefix(IndexSchema.Metadata.jsonLinesPrefix) })
        #expect(after.spellingDifferences(from: before.spellings).isEmpty)
        #expect(try Self.answers(grown.db) == answersBefore)
        try CommittedIndexCheck.xapianCheck(grown.db, "after compact")

        // The next incremental run skips every file, and a line appended to the feed costs one document.
        let rerun = try grown.index(json: true)
        let skipped = try JSONDecoder().decode(IndexSummary.self, from: Data(rerun.stdout.utf8))
        #expect(skipped.added == 0 && skipped.updated == 0 && skipped.deleted == 0)
        #expect(skipped.unchanged == Self.articleCount + 50)
        #expect(skipped.bytesRead == 0, "nothing re-read")
        let handle = try FileHandle(forWritingTo: grown.feed)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"id":"feed-50","title":"Late item feeduniq50","text":"More."}"#.utf8 + [10]))
        try handle.close()
        let appended = try JSONDecoder().decode(IndexSummary.self, from: Data(try grown.index(json: true).stdout.utf8))
        #expect(appended.added == 1 && appended.updated == 0 && appended.deleted == 0)
        #expect(appended.bytesRead < 200, "only the new line is read: \(appended.bytesRead) bytes")
    }

    @Test func readersNeverFindTheIndexMissingOrHalfWritten() throws {
        let grown = try Grown()
        let uuidBefore = try Database(path: grown.db).uuid()
        var settings = SearchSettings()
        settings.reopenInterval = 0
        let searcher = try Searcher(path: grown.db, settings: settings)
        var looks = 0
        var failures: [String] = []
        for round in 1...3 {
            let process = try grown.compactProcess()
            repeat {
                looks += 1
                // A reader that opens DIR now (quarryd's Searcher, as at start-up), and one that follows it.
                do {
                    let count = try Searcher(path: grown.db).stats().documents
                    if count != Self.articleCount + 50 { failures.append("round \(round): opened with \(count)") }
                } catch {
                    failures.append("round \(round): cannot open: \(error)")
                }
                do {
                    let token = grown.generated.articles[looks % Self.articleCount].token
                    let hits = try searcher.search(SearchRequest(q: token, limit: 5, snippets: false)).hits
                    if hits.count != 1 { failures.append("round \(round): \(token) found \(hits.count)") }
                } catch {
                    failures.append("round \(round): search failed: \(error)")
                }
            } while process.isRunning
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        print("readers: \(looks) looks during 3 compactions, \(failures.count) failures")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(looks > 10, "the readers looked while compacting")
        #expect(try Database(path: grown.db).uuid() != uuidBefore, "a new index was swapped in")
        // The searcher follows it.
        let stats = try searcher.stats()
        #expect(stats.documents == Self.articleCount + 50)
    }

    @Test func writersAreRefusedWhileCompactingAndAnInterruptedCompactionLeavesTheIndexAsItWas() throws {
        let grown = try Grown()
        let before = try IndexContents(path: grown.db)
        var interrupted = false
        for _ in 1...5 {
            guard let process = try grown.compactionStoppedMidway() else { continue }
            // Stopped while holding the write lock: another writer, and another compaction, are refused.
            let writer = try grown.index()
            #expect(writer.status != 0)
            #expect(writer.stderr.contains("another quarry-index is writing to \(grown.db)"), "\(writer.stderr)")
            let second = try Executables.run("quarry-index", ["compact", "--db", grown.db])
            #expect(second.status != 0)
            #expect(second.stderr.contains("another quarry-index is writing to \(grown.db)"), "\(second.stderr)")
            #expect(FileManager.default.fileExists(atPath: grown.temporary), "the refused run leaves the copy alone")

            // SIGINT: the compaction stops, removes its copy and leaves the index untouched.
            kill(process.processIdentifier, SIGINT)
            kill(process.processIdentifier, SIGCONT)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            interrupted = true
            break
        }
        try #require(interrupted, "no compaction could be caught before its swap")
        #expect(!FileManager.default.fileExists(atPath: grown.temporary))
        #expect(try IndexContents(path: grown.db) == before)
        let rerun = try grown.index(json: true)
        #expect(try JSONDecoder().decode(IndexSummary.self, from: Data(rerun.stdout.utf8)).unchanged
            == Self.articleCount + 50)
    }

    @Test func aKilledCompactionLeavesTheIndexAndItsLeftoverIsCleanedByTheNextRun() throws {
        let grown = try Grown()
        let before = try IndexContents(path: grown.db)
        var killed = false
        for _ in 1...5 {
            guard let process = try grown.compactionStoppedMidway() else { continue }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            killed = true
            break
        }
        try #require(killed, "no compaction could be caught before its swap")
        #expect(FileManager.default.fileExists(atPath: grown.temporary), "a killed run leaves its copy")
        #expect(try IndexContents(path: grown.db) == before, "and the index as it was")
        let searcher = try Searcher(path: grown.db)
        #expect(try searcher.search(SearchRequest(q: "uniq5tok", limit: 5, snippets: false)).hits.count == 1)

        let next = try Executables.run("quarry-index", ["compact", "--db", grown.db])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("left by an interrupted compaction"), "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: grown.temporary))
        let after = try IndexContents(path: grown.db)
        #expect(after.documentDifferences(from: before.documents).isEmpty)
        #expect(after.metadata == before.metadata)
    }

    @Test func anIndexParkedByTheFallbackSwapIsPutBack() throws {
        // What a run killed between the fallback's two renames leaves: no DIR, the index at DIR.compact-old.
        let grown = try Grown()
        let before = try IndexContents(path: grown.db)
        try FileManager.default.moveItem(atPath: grown.db, toPath: IndexCompaction.parkedPath(for: grown.db))
        let next = try Executables.run("quarry-index", ["compact", "--db", grown.db])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("put back"), "\(next.stderr)")
        #expect(!FileManager.default.fileExists(atPath: IndexCompaction.parkedPath(for: grown.db)))
        #expect(try IndexContents(path: grown.db).documents == before.documents)
    }

    @Test func compactingWhatIsNotAnIndexIsRefusedAndCreatesNothing() throws {
        let corpus = try TestCorpus()
        let missing = try Executables.run("quarry-index", ["compact", "--db", corpus.databasePath])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no Quarry index there"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: corpus.databasePath))
        #expect(!FileManager.default.fileExists(atPath: IndexCompaction.temporaryPath(for: corpus.databasePath)))
    }

    @Test func helpShowsIndexingAndCompact() throws {
        let help = try Executables.run("quarry-index", ["--help"])
        #expect(help.stdout.contains("--watch") && help.stdout.contains("compact"))
        let compactHelp = try Executables.run("quarry-index", ["help", "compact"])
        #expect(compactHelp.stdout.contains("--db") && compactHelp.stdout.contains("--fuller"))
    }
}
