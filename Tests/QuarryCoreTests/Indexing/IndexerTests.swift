import Foundation
import Testing
@testable import QuarryCore
import QuarryTestSupport
import Xapian

@Suite struct IndexerTests {
    func makeCorpus() throws -> TestCorpus {
        let corpus = try TestCorpus()
        try corpus.write("world/flood.txt", TestCorpus.article(
            title: "Floods close the Valmora coast road",
            standfirst: "Residents were told to move to higher ground.",
            paragraphs: ["Heavy rain swelled the river overnight.", "Engineers inspected the old bridge."],
            dateLine: "Updated: October 24, 2023, 7:13 AM"))
        try corpus.write("world/bridge.txt", TestCorpus.article(
            title: "Bridge reopens after inspection",
            standfirst: "Traffic is moving again.",
            paragraphs: ["The council said repairs took two weeks."],
            dateLine: "Published: 3 March 2024"))
        try corpus.write("business/rates.txt", TestCorpus.article(
            title: "Central bank holds rates",
            standfirst: "The interest rate decision surprised few.",
            paragraphs: ["Borrowing costs stay at four percent."]))
        try corpus.write("wire.jsonl", """
            {"id": "w1", "title": "Comet seen over the hills", "text": "Astronomers tracked the comet.", "date": "2024-01-15", "category": "science"}
            {"id": "w2", "title": "Rowing final tonight", "text": "Crews prepare for the final.", "author": "Ana Lima", "tags": ["sport"]}
            {"id": broken json
            {"id": "w3", "title": "Chip maker earnings rise", "text": "Revenue grew on strong demand.", "url": "https://example.org/w3"}

            """)
        return corpus
    }

    func index(_ corpus: TestCorpus, configure: (inout IndexerOptions) -> Void = { _ in }) throws -> IndexSummary {
        var options = IndexerOptions(databasePath: corpus.databasePath)
        configure(&options)
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus])
        try indexer.close()
        return summary
    }

    @Test func indexesTextAndJSONLinesWithTheSchema() throws {
        let corpus = try makeCorpus()
        let summary = try index(corpus)
        #expect(summary.added == 6)
        #expect(summary.skipped == ["malformedJSON": 1])
        #expect(summary.documentsInIndex == 6)
        #expect(summary.indexBytes > 0)

        let db = try Database(path: corpus.databasePath)
        #expect(try db.metadata(IndexSchema.Metadata.language) == "english")
        #expect(try db.metadata(IndexSchema.Metadata.schemaVersion) == IndexSchema.version)
        let docid = try #require(try db.firstDocument(withTerm: "Qworld/flood.txt"))
        let terms = Set(try db.termList(docid).map(\.term))
        for term in ["ZSflood", "Svalmora", "XCworld", "D20231024", "M202310", "Y2023", "Zflood", "river"] {
            #expect(terms.contains(term), "missing term \(term)")
        }
        let doc = try db.document(docid)
        #expect(try doc.stringValue(IndexSchema.Slot.date) == "20231024")
        #expect(try doc.stringValue(IndexSchema.Slot.category) == "world")
        let stored = try StoredData.decode(doc.data())
        #expect(stored.title == "Floods close the Valmora coast road")
        #expect(stored.standfirst == "Residents were told to move to higher ground.")
        #expect(!stored.body.contains("Updated:"))

        let wire = try db.document(try #require(try db.firstDocument(withTerm: "Qw2")))
        let wireData = try StoredData.decode(wire.data())
        #expect(wireData.author == "Ana Lima")
        #expect(wireData.extra?["tags"] == .array([.string("sport")]))
        #expect(try db.termFrequency("Alima") == 1)
        #expect(try db.termFrequency("XCscience") == 1)
        // Spelling data is on by default.
        #expect(try db.spellingSuggestion(for: "astronomrs") == "astronomers")
    }

    /// The indexer keeps the spelling data itself (issue 17): every unprefixed word, with its occurrences summed over
    /// the documents, nothing prefixed and no accent-folded twin; a later run adds its new words and the known words'
    /// increments, even when every batch holds one document.
    @Test func spellingDataHoldsTheWordsOfEveryRun() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus) { $0.batchSize = 1 }
        var spellings = Dictionary(uniqueKeysWithValues: try Database(path: corpus.databasePath).spellings()
            .map { ($0.term, $0.count) })
        #expect(spellings["astronomers"] == 1)
        #expect(spellings["valmora"] == 1)  // occurrences: the title weight does not count
        #expect(spellings.keys.allSatisfy { !ArticleDocumentBuilder.isPrefixed($0) })
        #expect(spellings["lima"] == nil && spellings["Alima"] == nil)  // author words are prefixed only
        let before = spellings["the"] ?? 0
        #expect(before > 0)

        try corpus.write("world/quake.txt", TestCorpus.article(
            title: "Earthquake shakes the Valmora café district",
            standfirst: "No injuries were reported.",
            paragraphs: ["Seismologers measured the tremor."]))
        _ = try index(corpus) { $0.batchSize = 1 }
        let db = try Database(path: corpus.databasePath)
        spellings = Dictionary(uniqueKeysWithValues: try db.spellings().map { ($0.term, $0.count) })
        #expect(spellings["earthquake"] == 1)
        #expect(spellings["valmora"] == 2)
        #expect(spellings["café"] == 1 && spellings["cafe"] == nil)
        #expect((spellings["the"] ?? 0) > before)
        #expect(try db.spellingSuggestion(for: "seismologer") == "seismologers")
        #expect(try db.spellingSuggestion(for: "earthquak") == "earthquake")
    }

    /// A run killed after committing documents but before writing its words leaves `spellingPending` set: the
    /// next indexer adds the words of the index that the spelling data lacks, and clears it.
    @Test func aRunKilledBeforeItsSpellingIsMadeUpForByTheNext() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus) { $0.spelling = false }  // documents, and no spelling data: as a killed run leaves
        do {
            let db = try WritableDatabase(path: corpus.databasePath, mode: .open)
            try db.setMetadata(IndexSchema.Metadata.spellingPending, "1")
            try db.commit()
            try db.close()
        }
        #expect(try Database(path: corpus.databasePath).spellings().isEmpty)
        let again = try index(corpus)
        #expect(again.added == 0 && again.unchanged == 6)
        let db = try Database(path: corpus.databasePath)
        #expect(try db.metadata(IndexSchema.Metadata.spellingPending).isEmpty)
        let spellings = Dictionary(uniqueKeysWithValues: try db.spellings().map { ($0.term, $0.count) })
        #expect(spellings["astronomers"] == 1)
        #expect(spellings["valmora"] == 1)  // its occurrences, as a clean build counts them
        #expect(try db.spellingSuggestion(for: "astronomrs") == "astronomers")
    }

    @Test func rerunOnAnUnchangedCorpusChangesNothing() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        let revision = try Database(path: corpus.databasePath).revision()
        let again = try index(corpus)
        #expect(again.added == 0 && again.updated == 0 && again.deleted == 0)
        #expect(again.unchanged == 6)
        #expect(try Database(path: corpus.databasePath).revision() == revision)
    }

    @Test func changedFileReplacesItsDocument() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        try corpus.write("world/bridge.txt", TestCorpus.article(
            title: "Bridge reopens after a long inspection", standfirst: "Traffic is flowing.",
            paragraphs: ["A ferry carried commuters meanwhile."]))
        let summary = try index(corpus)
        #expect(summary.updated == 1)
        #expect(summary.added == 0)
        let db = try Database(path: corpus.databasePath)
        #expect(try db.documentCount() == 6)
        #expect(try db.termFrequency("ferri") + db.termFrequency("Zferri") >= 1)
    }

    @Test func vanishedFilesAreDeletedUnlessToldToKeepThem() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        try corpus.remove("business/rates.txt")
        let kept = try index(corpus) { $0.deleteMissing = false }
        #expect(kept.deleted == 0)
        #expect(try Database(path: corpus.databasePath).documentCount() == 6)
        let deleted = try index(corpus)
        #expect(deleted.deleted == 1)
        #expect(try Database(path: corpus.databasePath).firstDocument(withTerm: "Qbusiness/rates.txt") == nil)
    }

    @Test func linesRemovedFromJSONLinesAreDeleted() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        try corpus.write("wire.jsonl", """
            {"id": "w1", "title": "Comet seen over the hills", "text": "Astronomers tracked the comet."}

            """)
        let summary = try index(corpus)
        #expect(summary.updated == 1)
        #expect(summary.deleted == 2)
        #expect(try Database(path: corpus.databasePath).documentCount() == 4)
    }

    @Test func badFilesAreSkippedAndCountedAndNothingIndexedIsLost() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        try corpus.write("world/empty.txt", "")
        try corpus.write("world/binary.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13, 0])
        try corpus.write("world/latin1.txt", bytes: Array("Caf".utf8) + [0xE9] + Array(" au lait\n\nText".utf8))
        try corpus.write("world/huge.txt", String(repeating: "word ", count: 5000))
        // A file indexed before that turns bad keeps its old document.
        try corpus.write("world/bridge.txt", bytes: [0xFF, 0xFE, 0x00, 0x41])
        var warnings: [IndexWarning] = []
        var options = IndexerOptions(databasePath: corpus.databasePath)
        options.maxFileBytes = 10_000
        let indexer = try Indexer(options: options)
        let summary = try indexer.run(roots: [corpus.corpus], warn: { warnings.append($0) })
        try indexer.close()
        #expect(summary.skipped["empty"] == 1)
        #expect(summary.skipped["binary"] == 2)
        #expect(summary.skipped["invalidUTF8"] == 1)
        #expect(summary.skipped["tooLarge"] == 1)
        #expect(warnings.contains { $0.path.hasSuffix("latin1.txt") })
        #expect(try Database(path: corpus.databasePath).firstDocument(withTerm: "Qworld/bridge.txt") != nil)
        #expect(summary.deleted == 0)
    }

    @Test func secondWriterIsRefusedClearly() throws {
        let corpus = try makeCorpus()
        let first = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        defer { try? first.close() }
        #expect {
            try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        } throws: { error in
            "\(error)" == "another quarry-index is writing to \(corpus.databasePath)"
        }
    }

    @Test func languageIsStoredAndEnforced() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus) { $0.language = "french" }
        #expect(try Database(path: corpus.databasePath).metadata(IndexSchema.Metadata.language) == "french")
        #expect(throws: IndexerError.self) { try index(corpus) { $0.language = "german" } }
        // Without --language the stored one is used.
        #expect(try index(corpus).unchanged == 6)
        #expect(throws: IndexerError.self) {
            try Indexer(options: { var o = IndexerOptions(databasePath: corpus.root.path + "/other"); o.language = "klingon"; return o }())
        }
    }

    @Test func stopRequestCommitsWhatWasDone() throws {
        let corpus = try makeCorpus()
        let indexer = try Indexer(options: IndexerOptions(databasePath: corpus.databasePath))
        var polls = 0
        let summary = try indexer.run(roots: [corpus.corpus], shouldStop: { polls += 1; return polls > 2 })
        try indexer.close()
        #expect(summary.interrupted)
        let count = try Database(path: corpus.databasePath).documentCount()
        #expect(count == summary.added)
        #expect(count > 0 && count < 6)
    }

    @Test func xapianToolsReadTheIndex() throws {
        let corpus = try makeCorpus()
        _ = try index(corpus)
        let delve = try #require(Executables.xapianTool("xapian-delve"), "xapian-tools is not installed: run scripts/setup")
        let output = try Executables.run(delve, ["-t", "XCworld", corpus.databasePath]).stdout
        #expect(output.contains("termfreq 2"))
        let quest = try Executables.run("/usr/bin/quest", ["-d", corpus.databasePath, "valmora"]).stdout
        #expect(quest.contains("Floods close the Valmora coast road"))
    }
}
